"""Housekeeping: run history kept for GRANTS_RUN_RETENTION_DAYS (90 by default), daily."""

import dagster as dg

from orchestration.lib.runs.retention import purge_run_history
from orchestration.settings import load_operations_settings

HOUSEKEEPING_JOB_NAME = "purge_run_history"


class RetentionConfig(dg.Config):
    older_than_days: float = load_operations_settings().run_retention_days
    """Finished runs created longer ago than this are deleted (GRANTS_RUN_RETENTION_DAYS)."""


@dg.op(description="Delete finished runs older than the retention period, with their logs.")
def purge_old_runs(context: dg.OpExecutionContext, config: RetentionConfig) -> None:
    purge = purge_run_history(context.instance, config.older_than_days)
    context.log.info(
        f"Deleted {len(purge.deleted_runs)} runs older than {config.older_than_days:g} days"
        + (f"; kept run {purge.kept_run}, the last publish's" if purge.kept_run else "")
    )


@dg.job(name=HOUSEKEEPING_JOB_NAME, description=purge_old_runs.description)
def purge_run_history_job() -> None:
    purge_old_runs()


housekeeping_schedule = dg.ScheduleDefinition(
    name="daily_housekeeping",
    job=purge_run_history_job,
    cron_schedule="30 3 * * *",
    execution_timezone="Africa/Casablanca",
    # Harmless anywhere: it deletes only runs older than the retention period.
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Deletes finished runs older than GRANTS_RUN_RETENTION_DAYS (default 90), daily.",
)
