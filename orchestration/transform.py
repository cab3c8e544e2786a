"""dbt models as Dagster assets, with the one translator that names and groups them."""

import importlib
import os
import threading
from collections.abc import Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.metadata import table_metadata
from orchestration.project import dbt_project, load_manifest
from orchestration.resources import DUCKDB_WRITER_POOL, OWNERS, WarehouseResource
from orchestration.settings import BUILD_DATABASE_VARIABLE


class GrantsDbtTranslator(DagsterDbtTranslator):
    """Keys are `[schema, name]` for models and sources alike, so `raw.domain_grants` (a dbt
    source) is the asset the seed loader materializes, and `marts.mart_domain_year` is the table
    a BI user queries. Groups follow the schema: raw, staging, marts."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS


translator = GrantsDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=load_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=DUCKDB_WRITER_POOL,
)
def dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """`dbt build` of the selected models into the working DuckDB file: models, contracts, data
    tests (reported as asset checks) and unit tests."""
    # profiles.yml reads the working file's path from the environment (see profiles.yml).
    os.environ[BUILD_DATABASE_VARIABLE] = str(warehouse.settings.build_database)
    # While dbt works in its own process this one mostly waits: import, on the other core, the
    # libraries the checks and charts need next (Great Expectations alone takes ~10 s here).
    for module in ("great_expectations", "matplotlib.pyplot"):
        threading.Thread(target=importlib.import_module, args=(module,), daemon=True).start()
    target_path = warehouse.settings.warehouse_dir / "build" / "dbt-target"
    events, failure = [], None
    try:
        for event in dbt.cli(["build"], context=context, target_path=target_path).stream():
            events.append(event)
    except Exception as error:  # dbt failed: still report what it built, then fail
        failure = error
    # dbt holds the working file's write lock until it exits, so row counts and previews are
    # read once it has: a few seconds after each model, in exchange for no lock contention.
    yield from with_table_metadata(context, events, warehouse.settings.build_database)
    if failure is not None:
        raise failure


def with_table_metadata(context: dg.AssetExecutionContext, events, database):
    """dbt's events, each model's Output enriched with its row count and a preview."""
    with duckdb.connect(str(database), read_only=True) as connection:
        for event in events:
            if isinstance(event, dg.Output):
                schema, name = context.asset_key_for_output(event.output_name).path
                event = event.with_metadata(
                    {**event.metadata, **table_metadata(connection, schema, name)}
                )
            yield event


def model_keys(schema: str) -> list[dg.AssetKey]:
    """The keys of the dbt models built into `schema` (e.g. everything a BI reader sees)."""
    return sorted(key for key in dbt_models.keys if key.path[0] == schema)
