"""The warehouse resource: where a run reads the seeds and writes the warehouse, and the lock that
keeps two refreshes of one warehouse from interleaving."""

from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from orchestration.lib.fingerprint import Inputs, current_inputs
from orchestration.lib.runs.abandoned_runs import PROCESS_TAG, recover_abandoned_runs, this_process
from orchestration.lib.runs.refresh_lock import RefreshLock
from orchestration.settings import DEFAULT_LOCK_TIMEOUT_SECONDS, DEFAULT_MEMORY_LIMIT, Settings


class WarehouseResource(dg.ConfigurableResource):
    """Where the seed CSVs are read from and where the warehouse files are written.

    While a run uses it, it holds `warehouse/.refresh.lock`, so a second refresh of the same
    warehouse (from the UI, a schedule, the sensor or `make refresh`) waits for the first to
    finish instead of interleaving with it, for `lock_timeout_seconds` at most. The lock is an
    OS lock: it is released when the process ends, however it ends. Before waiting, the run
    records its process in a tag and marks failed the runs whose process is gone, so a killed
    refresh leaves nothing to clean up. Once it holds the lock, it hashes the seeds and the code
    (`inputs`), which the publish step records beside the file it publishes.
    """

    seeds_dir: str
    warehouse_dir: str
    duckdb_memory_limit: str = DEFAULT_MEMORY_LIMIT
    engine: str = "duckdb"
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS

    _lock: RefreshLock | None = PrivateAttr(default=None)
    _inputs: Inputs | None = PrivateAttr(default=None)

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
                f" {self.lock_timeout_seconds:.0f} s;"
                " this refresh gave up without changing anything."
            )
        # Hashed before any step reads a seed: a seed changed during the run then makes the
        # published record differ from the folder, and the sensor refreshes once more.
        self._inputs = current_inputs(self.settings)

    @property
    def inputs(self) -> Inputs:
        """What this run is made from (hashed once the run holds the warehouse)."""
        return self._inputs if self._inputs is not None else current_inputs(self.settings)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()
