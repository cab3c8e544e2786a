"""The refresh job and what launches it: a daily schedule and a sensor on the seed CSVs; and the
sensor that fails runs whose process died."""

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from orchestration.abandoned_runs import recover_abandoned_runs
from orchestration.fingerprint import seed_fingerprints

REFRESH_JOB_NAME = "refresh_warehouse"

refresh_job = dg.define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description=(
        "Full refresh: load every seed CSV into raw, dbt build (models, tests, unit tests), "
        "Great Expectations checks, and publish warehouse/grants.duckdb."
    ),
)

# Daily at 06:00 Moroccan time, before the ministry's working day: whatever changed the day
# before is in the warehouse by morning, even if the sensor was off. Stopped by default, so that
# a development machine does not start refreshing by itself; turn it on in the UI (Automation)
# or with `dagster schedule start daily_refresh`.
daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Africa/Casablanca",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Full refresh of the warehouse every day at 06:00 (Africa/Casablanca).",
)


def changed_seed_files(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """The files added, removed or changed between two fingerprints."""
    return sorted(
        name for name in previous.keys() | current.keys() if previous.get(name) != current.get(name)
    )


def fingerprint_key(fingerprints: dict[str, str]) -> str:
    """One key for a whole state of the seeds folder: the run key of the refresh it needs."""
    return hashlib.sha256(json.dumps(fingerprints, sort_keys=True).encode()).hexdigest()


def refresh_selection(
    changed: list[str], seed_asset: Callable[[str], dg.AssetKey | None], asset_graph
) -> tuple[list[dg.AssetKey], list[dg.AssetCheckKey]] | None:
    """The assets (and their checks) that depend on the changed seed files, or None (a full
    refresh) when a changed file is not a known seed (`seed_asset` gives a file's load asset)."""
    keys = [seed_asset(name) for name in changed]
    if not keys or None in keys:
        return None
    selection = dg.AssetSelection.assets(*keys).downstream()
    assets = selection.resolve(asset_graph)
    checks = [key for key in asset_graph.asset_check_keys if key.asset_key in assets]
    return sorted(assets), sorted(checks)


def build_seed_change_sensor(
    seeds_dir: Path, seed_asset: Callable[[str], dg.AssetKey | None], hash_cache: Path
) -> dg.SensorDefinition:
    """The sensor that refreshes the warehouse when a CSV in `seeds_dir` changes: only what
    depends on the changed files (`seed_asset` gives a file's load asset), or
    everything the first time and when an unknown CSV appears. It reads the folder directly (no
    resource), so evaluating it never waits for a running refresh."""

    @dg.sensor(
        name="seed_change_sensor",
        job=refresh_job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Refreshes the warehouse when a seed CSV is added, removed or changed (by content"
            " hash; the cursor holds the last state seen): only the assets and checks downstream"
            " of the changed files. The run key is the hash of the whole folder, so the same state"
            " never launches a second refresh."
        ),
    )
    def seed_change_sensor(context: dg.SensorEvaluationContext):
        current = seed_fingerprints(seeds_dir, hash_cache)
        previous = json.loads(context.cursor) if context.cursor else {}
        changed = changed_seed_files(previous, current)
        if not changed:
            return dg.SkipReason("No seed CSV changed since the last refresh request.")
        context.update_cursor(json.dumps(current, sort_keys=True))
        subset = (
            refresh_selection(changed, seed_asset, context.repository_def.asset_graph)
            if previous
            else None
        )
        assets, checks = subset if subset else (None, None)
        return dg.RunRequest(
            run_key=fingerprint_key(current),
            asset_selection=assets,
            asset_check_keys=checks,
            tags={"grants_warehouse/changed_seeds": ", ".join(changed)[:200]},
        )

    return seed_change_sensor


@dg.sensor(
    name="abandoned_runs_sensor",
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Marks failed the runs in progress whose process is gone (kill -9, out of memory, a"
        " power cut) and frees the duckdb_writer slot they held, so the queue moves on and the"
        " UI shows the truth. Launches nothing."
    ),
)
def abandoned_runs_sensor(context: dg.SensorEvaluationContext):
    lines = recover_abandoned_runs(context.instance, by="the abandoned_runs_sensor")
    for line in lines:
        context.log.warning(line)
    return dg.SkipReason("\n".join(lines) or "No run in progress has lost its process.")
