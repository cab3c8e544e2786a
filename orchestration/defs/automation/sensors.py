"""The sensor on the seed CSVs, which refreshes what a change reaches, and the sensor that fails
runs whose process died."""

import json
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from orchestration.defs.automation.jobs import refresh_job
from orchestration.lib.fingerprint import seed_fingerprints
from orchestration.lib.runs.abandoned_runs import recover_abandoned_runs
from orchestration.lib.seed_changes import changed_seed_files, fingerprint_key, refresh_selection
from orchestration.lib.seed_files.catalog import seed_asset_key
from orchestration.settings import load_settings


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
        repository = context.repository_def
        subset = (
            refresh_selection(changed, seed_asset, repository.asset_graph)
            if previous and repository is not None
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


@dg.definitions
def sensors() -> dg.Definitions:
    settings = load_settings()
    seed_change_sensor = build_seed_change_sensor(
        settings.seeds_dir, seed_asset_key, settings.seed_hashes
    )
    return dg.Definitions(sensors=[seed_change_sensor, abandoned_runs_sensor])
