"""The refresh job, and how every job of this code location runs its steps."""

import dagster as dg

REFRESH_JOB_NAME = "refresh_warehouse"

refresh_job = dg.define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description=(
        "Full refresh: load every seed CSV into raw, dbt build (models, tests, unit tests), "
        "Great Expectations checks, and publish warehouse/grants.duckdb."
    ),
)


@dg.definitions
def jobs() -> dg.Definitions:
    # One process for the whole run: the multiprocess executor starts a fresh Python (and
    # re-imports dbt, Dagster and GX) for every step, which costs more than the work itself.
    return dg.Definitions(jobs=[refresh_job], executor=dg.in_process_executor)
