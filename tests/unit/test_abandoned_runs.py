"""Which runs are abandoned: a run in progress whose recorded process is gone (dead, or its pid
now another process's) is marked failed by the abandoned_runs_sensor; a live one, one on another
host and one that has not recorded a process yet are left alone."""

import subprocess

import dagster as dg
import pytest

from orchestration.defs.automation.sensors import abandoned_runs_sensor
from orchestration.lib.runs.abandoned_runs import PROCESS_TAG, RunProcess, this_process
from orchestration.lib.runs.processes import process_start_time


@pytest.fixture
def dead_process() -> RunProcess:
    """A process that ran and was killed, as its run recorded it."""
    child = subprocess.Popen(["sleep", "60"])
    recorded = RunProcess(this_process().host, child.pid, process_start_time(child.pid) or "")
    assert not recorded.is_gone()
    child.kill()
    child.wait()
    return recorded


@dg.op
def noop() -> None:
    pass


@dg.job
def some_job() -> None:
    noop()


def test_only_runs_whose_process_is_gone_are_marked_failed(dead_process):
    me = this_process()
    reused_pid = RunProcess(me.host, me.pid, "1")  # this pid, but a process started at another time
    elsewhere = RunProcess("another-host", 1, "1")
    with dg.DagsterInstance.ephemeral() as instance:
        runs = {
            name: instance.create_run_for_job(
                some_job,
                status=dg.DagsterRunStatus.STARTED,
                tags={PROCESS_TAG: process.tag_value()} if process else {},
            )
            for name, process in {
                "dead": dead_process,
                "reused pid": reused_pid,
                "alive": me,
                "elsewhere": elsewhere,
                "no process yet": None,
            }.items()
        }
        skip = abandoned_runs_sensor(dg.build_sensor_context(instance=instance))
        statuses = {name: instance.get_run_by_id(run.run_id).status for name, run in runs.items()}
    assert statuses == {
        "dead": dg.DagsterRunStatus.FAILURE,
        "reused pid": dg.DagsterRunStatus.FAILURE,
        "alive": dg.DagsterRunStatus.STARTED,
        "elsewhere": dg.DagsterRunStatus.STARTED,
        "no process yet": dg.DagsterRunStatus.STARTED,
    }
    gone = " failed: its process is no longer running"
    assert sorted(skip.skip_message.splitlines()) == sorted(
        [
            f"Marked run {runs['dead'].run_id} (pid {dead_process.pid}){gone}",
            f"Marked run {runs['reused pid'].run_id} (pid {me.pid}){gone}",
        ]
    )
