"""A warehouse and one Dagster instance in a temp folder, shared by a refresh that is killed and
the refresh after it, as in real use: helpers to start `python -m orchestration.cli` in its own
process group, stop it at a given point, and read the instance afterwards."""

import os
import subprocess
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import dagster as dg

from orchestration.lib.conventions import DUCKDB_WRITER_POOL
from orchestration.lib.runs.abandoned_runs import IN_PROGRESS, RunProcess
from orchestration.lib.runs.processes import PROC, all_processes
from orchestration.serve import POSTGRES_URL_VARIABLE
from orchestration.settings import Settings
from tests.conftest import refresh_environment, start_refresh


@dataclass(frozen=True)
class CrashSite:
    settings: Settings
    dagster_home: Path
    postgres_url: str = ""  # the production instance's database, when dagster_home is one

    def environment(self, **extra: str) -> dict[str, str]:
        return refresh_environment(
            self.settings, self.dagster_home, **self.instance_variables(), **extra
        )

    def instance_variables(self) -> dict[str, str]:
        return {POSTGRES_URL_VARIABLE: self.postgres_url} if self.postgres_url else {}

    def start_refresh(self, *arguments: str, **extra: str) -> subprocess.Popen:
        return start_refresh(
            self.settings, self.dagster_home, *arguments, **self.instance_variables(), **extra
        )

    @contextmanager
    def instance(self):
        """The site's Dagster instance, opened in this process as `dagster dev` would."""
        variables = {"DAGSTER_HOME": str(self.dagster_home), **self.instance_variables()}
        with mock.patch.dict(os.environ, variables), dg.DagsterInstance.get() as instance:
            yield instance

    def runs_in_progress(self) -> list[dg.DagsterRun]:
        with self.instance() as instance:
            return list(instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS)))

    def run_of_process(self, pid: int) -> dg.DagsterRun:
        with self.instance() as instance:
            (run,) = [
                run
                for run in instance.get_runs()
                if (process := RunProcess.of_run(run)) and process.pid == pid
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
    for status in all_processes():
        if status.group == process_group and status.state != "Z":
            try:
                command = (PROC / str(status.pid) / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue  # ended meanwhile
            members.append(f"{status.pid}: {command.decode()}")
    return members


def wait_for_empty_group(process_group: int, timeout: float) -> list[str]:
    """Wait up to `timeout` seconds for every process of the group to end; what is left."""
    deadline = time.monotonic() + timeout
    while (left := live_members(process_group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left
