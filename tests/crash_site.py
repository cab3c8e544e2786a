"""A warehouse and one Dagster instance in a temp folder, shared by a refresh that is killed and
the refresh after it, as in real use: helpers to start `python -m orchestration.cli` in its own
process group, stop it at a given point, and read the instance afterwards."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import dagster as dg

from orchestration.abandoned_runs import IN_PROGRESS, PROCESS_TAG, RunProcess
from orchestration.processes import PROC
from orchestration.resources import DUCKDB_WRITER_POOL
from orchestration.settings import Settings
from tests.conftest import PROJECT_ROOT


@dataclass(frozen=True)
class CrashSite:
    settings: Settings
    dagster_home: Path

    def environment(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "GRANTS_SEEDS_DIR": str(self.settings.seeds_dir),
            "GRANTS_WAREHOUSE_DIR": str(self.settings.warehouse_dir),
            "DAGSTER_HOME": str(self.dagster_home),
            **extra,
        }

    def start_refresh(self, *arguments: str, **extra: str) -> subprocess.Popen:
        """`python -m orchestration.cli` in its own process group (its dbt child joins it)."""
        return subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", *arguments],
            cwd=PROJECT_ROOT,
            env=self.environment(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    @contextmanager
    def instance(self):
        """The site's Dagster instance, opened in this process as `dagster dev` would."""
        home = {"DAGSTER_HOME": str(self.dagster_home)}
        with mock.patch.dict(os.environ, home), dg.DagsterInstance.get() as instance:
            yield instance

    def runs_in_progress(self) -> list[dg.DagsterRun]:
        with self.instance() as instance:
            return list(instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS)))

    def run_of_process(self, pid: int) -> dg.DagsterRun:
        with self.instance() as instance:
            (run,) = [
                run
                for run in instance.get_runs()
                if (process := RunProcess.from_tag(run.tags.get(PROCESS_TAG, "")))
                and process.pid == pid
            ]
            return run

    def pool_holders(self) -> tuple[list, list]:
        """The duckdb_writer slots claimed and the steps waiting for one."""
        with self.instance() as instance:
            info = instance.event_log_storage.get_concurrency_info(DUCKDB_WRITER_POOL)
            return info.claimed_slots, info.pending_steps

    def temporary_files(self) -> list[str]:
        return sorted(
            str(path.relative_to(self.settings.warehouse_dir))
            for path in self.settings.warehouse_dir.rglob("*")
            if ".tmp" in path.name
        )


def publish_in_progress(site: CrashSite) -> bool:
    """The publish step is half-way: its new file is being written beside the published one."""
    return any(site.settings.warehouse_dir.glob(".grants.duckdb.*.tmp"))


def wait_until(
    process: subprocess.Popen,
    line_prefix: str,
    condition: Callable[[], bool] | None = None,
    timeout: float = 300,
) -> list[str]:
    """Read the process's output up to the first line starting with `line_prefix`, then (with a
    `condition`) poll until it holds. Returns the lines read."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith(line_prefix):
            break
        assert time.monotonic() < deadline, f"no line starting {line_prefix!r}"
    else:
        raise AssertionError(f"the refresh ended before {line_prefix!r}:\n{''.join(lines)}")
    while condition is not None and not condition():
        assert process.poll() is None, f"the refresh ended while waiting:\n{''.join(lines)}"
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)
    return lines


def live_members(process_group: int) -> list[str]:
    """The processes of a process group that still run (zombies, which only wait to be reaped
    by init, are not counted): their command lines."""
    members = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[2]) == process_group and fields[0] != "Z":
            members.append(f"{entry.name}: {command}")
    return members


def wait_for_empty_group(process_group: int, timeout: float) -> list[str]:
    """Wait up to `timeout` seconds for every process of the group to end; what is left."""
    deadline = time.monotonic() + timeout
    while (left := live_members(process_group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left
