"""When the warehouse refreshes by itself."""

import dagster as dg

from orchestration.defs.automation.jobs import REFRESH_JOB_NAME

# Daily at 06:00 Moroccan time, before the ministry's working day: whatever changed the day
# before is in the warehouse by morning, even if the sensor was off. Stopped by default, so that
# a development machine does not start refreshing by itself; turn it on in the UI (Automation)
# or with `dagster schedule start daily_refresh`.
daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job_name=REFRESH_JOB_NAME,
    cron_schedule="0 6 * * *",
    execution_timezone="Africa/Casablanca",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Full refresh of the warehouse every day at 06:00 (Africa/Casablanca).",
)
