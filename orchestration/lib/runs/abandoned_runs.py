"""Runs whose process is gone (kill -9, an OOM kill, a power cut): found, marked failed, and
their pool slots given back, so that a crash never leaves a refresh waiting for a dead one.

Every run of this code location records the process that executes it in a run tag
(`PROCESS_TAG`: host, pid and the process's start time, so a reused pid is not taken for the
dead process). A run still in progress whose recorded process no longer exists on this host is
abandoned: nothing will ever end it or free what it holds. `recover_abandoned_runs` is called by
every refresh before it waits for anything (the command line, each run's `warehouse` resource)
and by the daemon's `abandoned_runs_sensor`, so the UI shows the truth within a minute.

Only Dagster's public instance API is used: run records and tags, `report_run_failed`, and the
event log storage's concurrency methods (`get_concurrency_info`,
`free_concurrency_slots_for_run`); no table is edited by hand.
"""

import os
import socket
from dataclasses import dataclass

import dagster as dg

from orchestration.lib.runs.processes import process_start_time

PROCESS_TAG = "grants_warehouse/process"
# Statuses of a run that some process is still expected to end.
IN_PROGRESS = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


@dataclass(frozen=True)
class RunProcess:
    """The process that executes a run, as recorded in its `PROCESS_TAG`."""

    host: str
    pid: int
    start_time: str  # ticks since boot (Linux), "" where the system does not tell

    def tag_value(self) -> str:
        return f"{self.host} {self.pid} {self.start_time}".strip()

    @classmethod
    def from_tag(cls, value: str) -> "RunProcess | None":
        """The process a tag value names; None for a run without one (not started yet, or
        launched by an earlier version) or a value this code did not write."""
        host, _, rest = value.partition(" ")
        pid, _, start_time = rest.partition(" ")
        if not host or not pid.isdigit() or " " in start_time:
            return None
        return cls(host, int(pid), start_time)

    @classmethod
    def of_run(cls, run: dg.DagsterRun) -> "RunProcess | None":
        return cls.from_tag(run.tags.get(PROCESS_TAG, ""))

    def is_gone(self) -> bool:
        """True when this process certainly no longer runs; False when it runs, or when it is on
        another host (which cannot be told from here: its runs are waited for, with a bound)."""
        if self.host != socket.gethostname():
            return False
        start_time = process_start_time(self.pid)
        if start_time is None:
            return True
        return bool(self.start_time) and start_time != self.start_time


def this_process() -> RunProcess:
    return RunProcess(socket.gethostname(), os.getpid(), process_start_time(os.getpid()) or "")


def run_pools(run: dg.DagsterRun) -> list[str]:
    concurrency = run.run_op_concurrency
    return sorted(concurrency.all_pools or []) if concurrency else []


def holder_description(run: dg.DagsterRun) -> str:
    """`run <id> (pid <pid>)`: who holds a slot, for the lines that name a holder."""
    process = RunProcess.of_run(run)
    where = f" (pid {process.pid})" if process else ""
    return f"run {run.run_id}{where}"


def recover_abandoned_runs(instance: dg.DagsterInstance, by: str) -> list[str]:
    """Mark failed every run in progress whose process is gone, and free the pool slots held by
    runs that are no longer running; `by` names who did it in the run's log. Returns one line
    per slot freed and run marked, for the caller's log."""
    lines: list[str] = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS)):
        process = RunProcess.of_run(run)
        if process is None or not process.is_gone():
            continue
        instance.report_run_failed(
            run,
            message=f"Process {process.pid} on {process.host}, which ran this run, is no longer"
            f" running (killed, out of memory or a power cut): marked failed by {by}.",
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        holder = holder_description(run)
        lines.extend(
            f"Freed the {pool} slot held by {holder}, which is no longer running"
            for pool in run_pools(run)
        )
        lines.append(f"Marked {holder} failed: its process is no longer running")
    lines.extend(_free_slots_of_ended_runs(instance))
    return lines


def _free_slots_of_ended_runs(instance: dg.DagsterInstance) -> list[str]:
    """Step slots still claimed by runs that have ended (a pool at op granularity, as an
    instance used by an earlier version of this project may hold)."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    lines: list[str] = []
    for pool in sorted(storage.get_concurrency_keys()):
        info = storage.get_concurrency_info(pool)
        holders = {slot.run_id for slot in info.claimed_slots} | {
            step.run_id for step in info.pending_steps
        }
        for run_id in sorted(holders):
            run = instance.get_run_by_id(run_id)
            if run is not None and not run.is_finished:
                continue
            storage.free_concurrency_slots_for_run(run_id)
            holder = holder_description(run) if run else f"run {run_id}"
            lines.append(f"Freed the {pool} slot held by {holder}, which is no longer running")
    return lines
