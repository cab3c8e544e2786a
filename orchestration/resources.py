"""Resources shared by the assets, built from `Settings` in one place."""

import sys
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging.version import Version
from pydantic import PrivateAttr

from orchestration.project import dbt_project
from orchestration.refresh_lock import RefreshLock
from orchestration.settings import DEFAULT_MEMORY_LIMIT, PROJECT_ROOT, Settings

# Every step that writes a DuckDB file runs in this pool; dagster.yaml limits it to one step at
# a time, so no two steps ever contend for DuckDB's single-writer lock.
DUCKDB_WRITER_POOL = "duckdb_writer"
OWNERS = ["team:grants-warehouse"]


class WarehouseResource(dg.ConfigurableResource):
    """Where the seed CSVs are read from and where the warehouse files are written.

    While a run uses it, it holds `warehouse/.refresh.lock`, so a second refresh of the same
    warehouse (from the UI, a schedule, the sensor or `make refresh`) waits for the first to
    finish instead of interleaving with it. The lock is an OS lock: it is released when the
    process ends, however it ends, so a killed refresh leaves nothing to clean up.
    """

    seeds_dir: str
    warehouse_dir: str
    duckdb_memory_limit: str = DEFAULT_MEMORY_LIMIT
    engine: str = "duckdb"
    lock_timeout_seconds: float = 1800

    _lock: RefreshLock | None = PrivateAttr(default=None)

    @property
    def settings(self) -> Settings:
        return Settings(
            seeds_dir=Path(self.seeds_dir),
            warehouse_dir=Path(self.warehouse_dir),
            duckdb_memory_limit=self.duckdb_memory_limit,
            engine=self.engine,
        )

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._lock = RefreshLock(self.settings.refresh_lock)
        holder = self._lock.acquire(
            timeout_seconds=self.lock_timeout_seconds,
            on_wait=context.log.warning if context.log else None,
        )
        if holder is not None:
            raise dg.Failure(
                f"Another refresh ({holder}) has held {self.settings.refresh_lock} for more than"
                f" {self.lock_timeout_seconds:.0f} s; this refresh gave up without changing anything."
            )

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()


class InstalledDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two start-up costs paid on every run here:

    - it is told the installed dbt-core version instead of asking a `dbt --version` subprocess
      (about 4 s: a cold dbt start-up);
    - it does not load dbt's macros into this process (about 1.2 s) to hand dagster-dbt an
      adapter, which only `fetch_row_counts`/`fetch_column_metadata` use; row counts and previews
      are logged by each model's post-hook instead (see transform.py).
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources for one warehouse location: paths, the working DuckDB file and dbt."""
    return {
        "warehouse": WarehouseResource(
            seeds_dir=str(settings.seeds_dir),
            warehouse_dir=str(settings.warehouse_dir),
            duckdb_memory_limit=settings.duckdb_memory_limit,
            engine=settings.engine,
        ),
        "duckdb": DuckDBResource(
            database=str(settings.build_database), connection_config=settings.duckdb_config
        ),
        "dbt": InstalledDbtCliResource(
            project_dir=dbt_project,
            dbt_executable=str(dbt_executable(settings.engine)),
            target=settings.engine,
        ),
    }


# dbt with dbt-spark and pyspark, in their own environment (`make spark-env`).
SPARK_DBT = PROJECT_ROOT / ".spark-venv" / "bin" / "dbt"


def dbt_executable(engine: str) -> Path:
    """The dbt installed beside this Python (dbt-duckdb), whether or not the environment is
    activated; for Spark, the one in .spark-venv (dbt-spark and pyspark live apart: Great
    Expectations imports pyspark when it is importable, and pyspark exits under pytest-xdist)."""
    if engine == "spark":
        if not SPARK_DBT.exists():
            raise FileNotFoundError(
                f"GRANTS_ENGINE=spark needs dbt-spark: {SPARK_DBT} is missing; run `make spark-env`"
            )
        # That dbt, with Spark's stderr kept out of dbt's event stream (see the script).
        return Path(__file__).resolve().parent / "bin" / "dbt-spark"
    return Path(sys.executable).parent / "dbt"
