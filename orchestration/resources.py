"""Resources shared by the assets, built from `Settings` in one place."""

from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging.version import Version
from pydantic import PrivateAttr

from orchestration.abandoned_runs import PROCESS_TAG, recover_abandoned_runs, this_process
from orchestration.project import dbt_project
from orchestration.refresh_lock import RefreshLock
from orchestration.settings import (
    DEFAULT_LOCK_TIMEOUT_SECONDS,
    DEFAULT_MEMORY_LIMIT,
    SPARK_DBT,
    Settings,
)

# Every step that writes a DuckDB file is in this pool. dagster.yaml limits it to one *run* at a
# time (granularity: run): the daemon's queue starts no second run that writes DuckDB while one
# is in progress, and no step ever claims a slot a killed process could keep (see
# abandoned_runs.py).
DUCKDB_WRITER_POOL = "duckdb_writer"
OWNERS = ["team:grants-warehouse"]


class WarehouseResource(dg.ConfigurableResource):
    """Where the seed CSVs are read from and where the warehouse files are written.

    While a run uses it, it holds `warehouse/.refresh.lock`, so a second refresh of the same
    warehouse (from the UI, a schedule, the sensor or `make refresh`) waits for the first to
    finish instead of interleaving with it, for `lock_timeout_seconds` at most. The lock is an
    OS lock: it is released when the process ends, however it ends. Before waiting, the run
    records its process in a tag and marks failed the runs whose process is gone, so a killed
    refresh leaves nothing to clean up.
    """

    seeds_dir: str
    warehouse_dir: str
    duckdb_memory_limit: str = DEFAULT_MEMORY_LIMIT
    engine: str = "duckdb"
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS

    _lock: RefreshLock | None = PrivateAttr(default=None)

    @property
    def settings(self) -> Settings:
        return Settings(
            seeds_dir=Path(self.seeds_dir),
            warehouse_dir=Path(self.warehouse_dir),
            duckdb_memory_limit=self.duckdb_memory_limit,
            engine=self.engine,
            lock_timeout_seconds=self.lock_timeout_seconds,
        )

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        log = context.log.warning if context.log else None
        if context.instance is not None and context.run_id is not None:
            # Recorded first, so that this run is never taken for an abandoned one (a run from
            # `make refresh` has it from its creation; one launched by the daemon gets it here).
            process = this_process().tag_value()
            if context.dagster_run is None or context.dagster_run.tags.get(PROCESS_TAG) != process:
                context.instance.add_run_tags(context.run_id, {PROCESS_TAG: process})
            for line in recover_abandoned_runs(context.instance, by=f"run {context.run_id}"):
                if log:
                    log(line)
        self._lock = RefreshLock(self.settings.refresh_lock)
        holder = self._lock.acquire(
            timeout_seconds=self.lock_timeout_seconds,
            on_wait=log,
            holder=f"run {context.run_id}" if context.run_id else "",
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
            lock_timeout_seconds=settings.lock_timeout_seconds,
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


DBT_WRAPPERS = Path(__file__).resolve().parent / "bin"


def dbt_executable(engine: str) -> Path:
    """What dagster-dbt starts as dbt: a wrapper (bin/dbt-guarded) that runs the installed dbt
    (`installed_dbt`, handed over in GRANTS_DBT_EXECUTABLE) so that it ends if this process dies;
    for Spark, bin/dbt-spark, which also keeps Spark's stderr out of dbt's event stream."""
    if engine == "spark":
        if not SPARK_DBT.exists():
            raise FileNotFoundError(
                f"GRANTS_ENGINE=spark needs dbt-spark: {SPARK_DBT} is missing; run `make spark-env`"
            )
        return DBT_WRAPPERS / "dbt-spark"
    return DBT_WRAPPERS / "dbt-guarded"
