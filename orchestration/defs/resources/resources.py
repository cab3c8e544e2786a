"""The resources every asset and check uses, for the warehouse the settings name."""

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration.lib.dbt.cli import dbt_executable
from orchestration.lib.dbt.project import dbt_project
from orchestration.lib.warehouse import WarehouseResource
from orchestration.settings import Settings, load_settings


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The paths and the lock (`warehouse`), the working DuckDB file (`duckdb`) and dbt."""
    return {
        "warehouse": WarehouseResource(
            seeds_dir=str(settings.seeds_dir),
            warehouse_dir=str(settings.warehouse_dir),
            duckdb_memory_limit=settings.duckdb_memory_limit,
            engine=settings.engine,
            lock_timeout_seconds=settings.lock_timeout_seconds,
        ),
        "duckdb": DuckDBResource(
            database=str(settings.build_database), connection_config=settings.duckdb_config
        ),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            dbt_executable=str(dbt_executable(settings.engine)),
            target=settings.engine,
        ),
    }


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=build_resources(load_settings()))
