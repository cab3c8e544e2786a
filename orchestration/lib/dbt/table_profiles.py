"""The row count and preview each model's post-hook logs (macros/log_table_profile.sql), picked
out of dbt's event stream and handed to the model's result event."""

import json
from collections.abc import Mapping
from typing import Any

from orchestration.lib.table_metadata import DBT_PROFILE_KEY, profile_metadata


class TableProfiles:
    """Follows dbt's JSON events: remembers the profile a model logged, and gives it back, as
    materialization metadata, with that model's result event."""

    def __init__(self) -> None:
        self._logged: dict[str, Mapping[str, Any]] = {}

    def observe(self, raw_event: Mapping[str, Any], is_result_event: bool) -> dict[str, Any] | None:
        """The metadata for `raw_event` when it is the result of a model that logged a profile,
        else None (and the profile is kept when `raw_event` is the log line itself)."""
        node = raw_event.get("data", {}).get("node_info", {}).get("unique_id")
        if not node:
            return None
        if is_result_event:
            profile = self._logged.pop(node, None)
            if profile is None:
                return None
            return profile_metadata(profile["row_count"], profile["columns"], profile["rows"])
        logged = _logged_profile(raw_event.get("info", {}).get("msg", ""))
        if logged is not None:
            self._logged[node] = logged
        return None


def _logged_profile(message: str) -> Mapping[str, Any] | None:
    if DBT_PROFILE_KEY not in message:
        return None
    try:
        logged = json.loads(message)
    except ValueError:
        return None
    return logged.get(DBT_PROFILE_KEY) if isinstance(logged, dict) else None
