"""The dbt project's models as Dagster assets, its data tests as their checks: one `dbt build`."""

import importlib
import os
import threading

import dagster as dg
from dagster_dbt import DbtCliInvocation, DbtCliResource, dbt_assets

from orchestration.lib.conventions import DUCKDB_WRITER_POOL
from orchestration.lib.dbt.project import dbt_project, load_manifest
from orchestration.lib.dbt.spark_handover import hand_raw_layer_to_spark, take_marts_from_spark
from orchestration.lib.dbt.table_profiles import TableProfiles, log_arguments
from orchestration.lib.dbt.translator import translator
from orchestration.lib.warehouse import WarehouseResource
from orchestration.settings import SPARK_ENGINES


class DbtBuildConfig(dg.Config):
    """Run configuration of the dbt step (the Launchpad's `ops: dbt_models: config:`)."""

    full_refresh: bool = False
    """Rebuild incremental models from scratch (`dbt build --full-refresh`): after a change to
    their columns, or to rebuild every period of the register."""


def dbt_build_run_config(full_refresh: bool) -> dict:
    """The run config that sets the dbt step's `DbtBuildConfig`, for jobs run from code."""
    return {"ops": {"dbt_models": {"config": {"full_refresh": full_refresh}}}}


@dbt_assets(
    manifest=load_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=DUCKDB_WRITER_POOL,
)
def dbt_models(
    context: dg.AssetExecutionContext,
    config: DbtBuildConfig,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
):
    """`dbt build` of the selected models into the working DuckDB file: models, contracts, data
    tests (reported as asset checks) and unit tests. With GRANTS_ENGINE=spark the models build
    on Spark from the raw layer handed over as Parquet, and the marts come back the same way."""
    settings = warehouse.settings
    # profiles.yml reads the working file's path and memory limit (and Spark's folders) from the
    # environment, which dbt's process inherits.
    os.environ.update(settings.dbt_environment)
    if settings.engine in SPARK_ENGINES:
        hand_raw_layer_to_spark(settings)
    target_path = settings.warehouse_dir / "build" / "dbt-target"
    log_dir = settings.warehouse_dir / "build" / "dbt-logs"
    arguments = [
        "build",
        *(["--full-refresh"] if config.full_refresh else []),
        *log_arguments(log_dir),
    ]
    invocation = dbt.cli(arguments, context=context, target_path=target_path)
    # While dbt works in its own process this one mostly waits: import, on the other core, the
    # library the checks need next (Great Expectations takes ~2 s here). Only now: started
    # before `dbt.cli`, it would compete with its in-process set-up of the dbt adapter and delay
    # dbt's start by as long. Not matplotlib: its ~23 MiB, beside dbt's process, would set the
    # refresh's peak memory (make bench); the charts step imports it after dbt has ended.
    threading.Thread(
        target=importlib.import_module, args=("great_expectations",), daemon=True
    ).start()
    yield from with_table_profiles(context, invocation, TableProfiles(log_dir))
    if settings.engine in SPARK_ENGINES:
        # The checks and the publish step read the working DuckDB file, whatever the engine.
        take_marts_from_spark(settings)


def with_table_profiles(
    context: dg.AssetExecutionContext, invocation: DbtCliInvocation, profiles: TableProfiles
):
    """dbt's events as Dagster events, as they happen, each model's Output with the row count
    and preview its post-hook logged (dbt holds the working file until it exits, so they are
    measured inside dbt; see macros/log_table_profile.sql). Raises when dbt failed, after
    everything it did build has been reported."""
    for raw_event in invocation.stream_raw_events():
        profile = profiles.of_result(raw_event.raw_event) if raw_event.is_result_event else None
        for event in raw_event.to_default_asset_events(
            manifest=invocation.manifest,
            dagster_dbt_translator=invocation.dagster_dbt_translator,
            context=context,
            target_path=invocation.target_path,
            project=invocation.project,
        ):
            if isinstance(event, dg.Output) and profile is not None:
                yield event.with_metadata({**event.metadata, **profile})
            else:
                yield event


def model_keys(schema: str) -> list[dg.AssetKey]:
    """The keys of the dbt models built into `schema` (e.g. everything a BI reader sees)."""
    return sorted(key for key in dbt_models.keys if key.path[0] == schema)
