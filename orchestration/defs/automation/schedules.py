"""When the warehouse refreshes by itself."""

import dagster as dg

from orchestration.defs.automation.jobs import REFRESH_JOB_NAME
from orchestration.settings import load_operations_settings

TIMEZONE = "Africa/Casablanca"


@dg.definitions
def schedules() -> dg.Definitions:
    operations = load_operations_settings()
    # Daily at 06:00 Moroccan time by default (GRANTS_REFRESH_CRON), before the ministry's
    # working day: whatever changed the day before is in the warehouse by morning, even if the
    # sensor was off. Stopped by default, so that a development machine does not refresh by
    # itself; a deployment turns it on (GRANTS_DAILY_REFRESH=running), or the UI does.
    daily_refresh = dg.ScheduleDefinition(
        name="daily_refresh",
        job_name=REFRESH_JOB_NAME,
        cron_schedule=operations.refresh_cron,
        execution_timezone=TIMEZONE,
        default_status=(
            dg.DefaultScheduleStatus.RUNNING
            if operations.schedule_running
            else dg.DefaultScheduleStatus.STOPPED
        ),
        description=f"Full refresh of the warehouse ({operations.refresh_cron}, {TIMEZONE}).",
    )
    return dg.Definitions(schedules=[daily_refresh])
