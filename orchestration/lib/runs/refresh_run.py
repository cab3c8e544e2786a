"""One refresh run in this process, with progress lines while it runs (`make refresh`)."""

import os

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.defs.automation.jobs import REFRESH_JOB_NAME
from orchestration.defs.dbt.assets import dbt_build_run_config
from orchestration.lib.runs.abandoned_runs import PROCESS_TAG, this_process
from orchestration.lib.runs.progress import progress_logger
from orchestration.lib.runs.stopping import signal_name
from orchestration.settings import Settings


def refresh(
    settings: Settings, full_refresh: bool = False, run_id: str | None = None
) -> dg.ExecuteInProcessResult:
    """Run the full refresh job in this process (its runs show in the UI when DAGSTER_HOME is
    shared with `dagster dev`); `full_refresh` rebuilds incremental models from scratch. The run
    records this process from its start, so that if it is killed the next refresh knows."""
    definitions = dg.Definitions.merge(
        build_definitions(settings), dg.Definitions(loggers={"progress": progress_logger})
    )
    job = definitions.resolve_job_def(REFRESH_JOB_NAME)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    return job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": {"progress": {}}, **dbt_build_run_config(full_refresh)},
        run_id=run_id,
        tags={PROCESS_TAG: this_process().tag_value()},
    )


def mark_run_stopped(run_id: str, signum: int) -> None:
    """Mark the run failed, for a process about to end before Dagster could do it itself."""
    if not os.environ.get("DAGSTER_HOME"):
        return  # an ephemeral instance: its runs end with the process
    instance = dg.DagsterInstance.get()
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_failed(
            run, message=f"Stopped by {signal_name(signum)}: the refresh process was ended."
        )
