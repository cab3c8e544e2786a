"""The Dagster code location: assembles the pieces, nothing else."""

import dagster as dg

from orchestration.automation import (
    abandoned_runs_sensor,
    build_seed_change_sensor,
    daily_refresh,
    refresh_job,
)
from orchestration.checks import gx_checks
from orchestration.load import load_seed_files, seed_asset_key
from orchestration.publish import published_warehouse
from orchestration.reports import report_charts
from orchestration.resources import build_resources
from orchestration.settings import Settings, load_settings
from orchestration.transform import dbt_models


def build_definitions(settings: Settings) -> dg.Definitions:
    """All definitions for a warehouse at `settings` (tests build one per temporary folder)."""
    return dg.Definitions(
        assets=[load_seed_files, dbt_models, published_warehouse, report_charts],
        asset_checks=[gx_checks],
        jobs=[refresh_job],
        schedules=[daily_refresh],
        sensors=[
            build_seed_change_sensor(settings.seeds_dir, seed_asset_key, settings.seed_hashes),
            abandoned_runs_sensor,
        ],
        resources=build_resources(settings),
        # One process for the whole run: the multiprocess executor starts a fresh Python (and
        # re-imports dbt, Dagster and GX) for every step, which costs more than the work itself.
        executor=dg.in_process_executor,
    )


defs = build_definitions(load_settings())
