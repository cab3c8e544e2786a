"""The row count and preview each model's post-hook logs (macros/log_table_profile.sql), read back
from dbt's own JSON log file and handed to the model's result event.

dbt holds the working DuckDB file until it exits, so the profile is measured inside dbt and
logged as one JSON line. dagster-dbt keeps such lines out of its public event stream, so they
are read from the log file dbt writes beside it (`--log-path`, `--log-format-file json`), which
has every line before the result event that follows it.
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestration.lib.table_metadata import DBT_PROFILE_KEY, profile_metadata

LOG_FILE_NAME = "dbt.log"


def log_arguments(log_dir: Path) -> list[str]:
    """The dbt flags that write the JSON log file `TableProfiles` reads (emptied first: one
    refresh at a time writes it)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / LOG_FILE_NAME).unlink(missing_ok=True)
    return ["--log-path", str(log_dir), "--log-format-file", "json", "--log-level-file", "info"]


class TableProfiles:
    """Follows dbt's JSON log file while dbt runs."""

    def __init__(self, log_dir: Path) -> None:
        self._path = log_dir / LOG_FILE_NAME
        self._offset = 0
        self._logged: dict[str, Mapping[str, Any]] = {}

    def of_result(self, raw_event: Mapping[str, Any]) -> dict[str, Any] | None:
        """The metadata of the model whose result event is `raw_event`, or None when it
        logged no profile."""
        node = raw_event.get("data", {}).get("node_info", {}).get("unique_id")
        if not node:
            return None
        self._read_new_lines()
        profile = self._logged.pop(node, None)
        if profile is None:
            return None
        return profile_metadata(profile["row_count"], profile["columns"], profile["rows"])

    def _read_new_lines(self) -> None:
        if not self._path.exists():
            return
        with self._path.open("rb") as log:
            log.seek(self._offset)
            text = log.read()
        complete = text[: text.rfind(b"\n") + 1]
        self._offset += len(complete)
        for line in complete.splitlines():
            node, profile = _logged_profile(line)
            if node is not None and profile is not None:
                self._logged[node] = profile


def _logged_profile(line: bytes) -> tuple[str | None, Mapping[str, Any] | None]:
    if DBT_PROFILE_KEY.encode() not in line:
        return None, None
    try:
        event = json.loads(line)
        logged = json.loads(event["info"]["msg"])
    except (ValueError, KeyError, TypeError):
        return None, None
    node = event.get("data", {}).get("node_info", {}).get("unique_id")
    return node, logged.get(DBT_PROFILE_KEY) if isinstance(logged, dict) else None
