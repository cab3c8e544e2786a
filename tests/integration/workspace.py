"""An in-process warehouse in a temp folder: edit its seed CSVs, run the real Dagster job (or a
subset of it) against them, and read what the run did. Used where a test needs many refreshes."""

import csv
import hashlib
import io
import shutil
from collections.abc import Iterable
from pathlib import Path

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.defs.automation.jobs import REFRESH_JOB_NAME
from orchestration.defs.checks.asset_checks import gx_checks
from orchestration.defs.dbt.assets import dbt_build_run_config
from orchestration.defs.publishing.assets import published_warehouse
from orchestration.lib.seed_files.catalog import seed_asset_key
from orchestration.settings import Settings
from tests.conftest import PROJECT_ROOT, Refresh, copy_refreshed

PUBLISH_KEY = published_warehouse.key
# The reconciliation path: every asset up to publish (not publish nor the reports after it), with
# the GX checks and without dbt's tests (a mutation must be caught by the GX checks themselves).
CHECK_ONLY_JOB = "reconcile_without_publishing"
BEFORE_PUBLISHING = dg.AssetSelection.all() - dg.AssetSelection.assets(PUBLISH_KEY).downstream()


class Workspace:
    def __init__(self, root: Path):
        self.settings = Settings(seeds_dir=root / "seeds", warehouse_dir=root / "warehouse")
        shutil.copytree(PROJECT_ROOT / "seeds", self.settings.seeds_dir)
        base = build_definitions(self.settings)
        gx_check_keys = list(gx_checks.check_keys)
        self.definitions = dg.Definitions.merge(
            base,
            dg.Definitions(
                jobs=[
                    dg.define_asset_job(
                        CHECK_ONLY_JOB,
                        selection=BEFORE_PUBLISHING.without_checks()
                        | dg.AssetSelection.checks(*gx_check_keys),
                    )
                ]
            ),
        )
        self.instance = dg.DagsterInstance.ephemeral()

    def run(
        self,
        job_name: str = REFRESH_JOB_NAME,
        full_refresh: bool = False,
        selection: Iterable[dg.AssetKey] | None = None,
    ) -> dg.ExecuteInProcessResult:
        """The job, or only the `selection` of its assets (with their checks, as a sensor's run
        would be); with `full_refresh`, dbt rebuilds its incremental models from scratch."""
        job = self.definitions.resolve_job_def(job_name)
        return job.execute_in_process(
            instance=self.instance,
            raise_on_error=False,
            # Only with full_refresh: a selection without the dbt step takes no config for it.
            run_config=dbt_build_run_config(True) if full_refresh else None,
            asset_selection=None if selection is None else list(selection),
        )

    def load_only(self, *seed_tables: str) -> dg.ExecuteInProcessResult:
        """Materialize just the load assets of `seed_tables` (raw.<table>)."""
        return self.run(selection=[dg.AssetKey(["raw", table]) for table in seed_tables])

    def affected_by(self, seed_file: str) -> list[dg.AssetKey]:
        """What a change to `seed_file` reaches on the way to the checks: its raw table and
        everything downstream of it, short of publishing."""
        selection = (
            dg.AssetSelection.assets(seed_asset_key(seed_file)).downstream() & BEFORE_PUBLISHING
        )
        return sorted(selection.resolve(self.definitions.resolve_asset_graph()))

    def save_build_database(self) -> None:
        """Keep a copy of the working file, for `restore_build_database`."""
        shutil.copy(self.settings.build_database, self._saved_build_database)

    def restore_build_database(self) -> None:
        shutil.copy(self._saved_build_database, self.settings.build_database)

    @property
    def _saved_build_database(self) -> Path:
        return self.settings.build_database.with_suffix(".saved")

    def seed_path(self, file_name: str) -> Path:
        return self.settings.seeds_dir / file_name

    def read_seed(self, file_name: str) -> list[dict[str, str]]:
        with self.seed_path(file_name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def write_seed(self, file_name: str, rows: list[dict[str, str]]) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        self.seed_path(file_name).write_text(buffer.getvalue(), encoding="utf-8")

    def edit_seed(self, file_name: str, row_index: int, column: str, value: str) -> None:
        rows = self.read_seed(file_name)
        rows[row_index][column] = value
        self.write_seed(file_name, rows)

    def restore_seeds(self) -> None:
        shutil.rmtree(self.settings.seeds_dir)
        shutil.copytree(PROJECT_ROOT / "seeds", self.settings.seeds_dir)

    def published_checksum(self) -> str | None:
        path = self.settings.published_database
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def step_failures(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """The failed steps' messages (for a dg.Failure, its description) by step key."""
    return {
        event.step_key: (
            event.event_specific_data.user_failure_data.description
            if event.event_specific_data.user_failure_data
            else event.event_specific_data.error.message
        )
        for event in result.get_step_failure_events()
    }


def check_evaluations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    """The run's check evaluations by `asset/path:check_name`."""
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": e
        for e in result.get_asset_check_evaluations()
    }


def failed_error_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    return sorted(
        name
        for name, evaluation in check_evaluations(result).items()
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    )


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}


def refreshed_workspace(tmp_path_factory, name: str, refreshed: Refresh) -> Workspace:
    """A Workspace in a new temp folder `name`, starting from a copy of the session's refresh of
    the real seeds (its working and published files): the session-scoped fixture of a test
    module that needs a refreshed warehouse of its own. Without the record of what the published
    file was built from (until one of its runs publishes), so that a `make refresh` of the same
    warehouse refreshes."""
    workspace = Workspace(copy_refreshed(refreshed, tmp_path_factory.mktemp(name)))
    workspace.settings.published_inputs.unlink()
    return workspace
