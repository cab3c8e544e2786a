"""Resources shared by the assets, built from `Settings` in one place."""

import sys
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging.version import Version

from orchestration.project import dbt_project
from orchestration.settings import Settings

# Every step that writes a DuckDB file runs in this pool; dagster.yaml limits it to one step at
# a time, so no two steps ever contend for DuckDB's single-writer lock.
DUCKDB_WRITER_POOL = "duckdb_writer"
OWNERS = ["team:grants-warehouse"]


class WarehouseResource(dg.ConfigurableResource):
    """Where the seed CSVs are read from and where the warehouse files are written."""

    seeds_dir: str
    warehouse_dir: str

    @property
    def settings(self) -> Settings:
        return Settings(seeds_dir=Path(self.seeds_dir), warehouse_dir=Path(self.warehouse_dir))


class InstalledDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource, told the installed dbt-core version instead of asking a
    `dbt --version` subprocess for it (about 4 s on every run: a cold dbt start-up)."""

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources for one warehouse location: paths, the working DuckDB file and dbt."""
    return {
        "warehouse": WarehouseResource(
            seeds_dir=str(settings.seeds_dir), warehouse_dir=str(settings.warehouse_dir)
        ),
        "duckdb": DuckDBResource(database=str(settings.build_database)),
        # The dbt installed beside this Python, whether or not the environment is activated.
        "dbt": InstalledDbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
        ),
    }
