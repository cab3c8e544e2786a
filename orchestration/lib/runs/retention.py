"""Run history that does not grow without bound: finished runs older than the retention period
are deleted with their event logs and compute logs, through Dagster's public instance API.
dbt writes into one fixed target folder and rotates its own log, so it leaves nothing per run."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import dagster as dg

from orchestration.lib.conventions import PUBLISHED_KEY

FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


@dataclass(frozen=True)
class Purge:
    deleted_runs: list[str]
    kept_run: str | None  # the run of the last publish, kept whatever its age


def purge_run_history(instance: dg.DagsterInstance, older_than_days: float) -> Purge:
    """Delete every finished run created more than `older_than_days` ago, with its events and
    compute logs, except the run of the last publish (the asset's history and the stale-warehouse
    alert read it)."""
    cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
    last_publish = instance.get_latest_materialization_event(PUBLISHED_KEY)
    kept = last_publish.run_id if last_publish else None
    deleted = []
    for record in instance.get_run_records(
        filters=dg.RunsFilter(statuses=FINISHED, created_before=cutoff)
    ):
        run_id = record.dagster_run.run_id
        if run_id == kept:
            continue
        instance.compute_log_manager.delete_logs(prefix=[run_id])
        instance.delete_run(run_id)
        deleted.append(run_id)
    return Purge(deleted, kept)
