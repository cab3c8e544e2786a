"""The refresh job and what launches it."""

import dagster as dg

REFRESH_JOB_NAME = "refresh_warehouse"

refresh_job = dg.define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description=(
        "Full refresh: load every seed CSV into raw, dbt build (models, tests, unit tests), "
        "and publish warehouse/grants.duckdb."
    ),
)

# Daily at 06:00 Moroccan time, before the ministry's working day: seed edits made the day
# before are in the warehouse by morning. Stopped by default, so that a development machine
# does not start refreshing by itself; turn it on in the UI (Automation) or with
# `dagster schedule start daily_refresh`.
daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Africa/Casablanca",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Full refresh of the warehouse every day at 06:00 (Africa/Casablanca).",
)
