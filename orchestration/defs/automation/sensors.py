"""The sensor on the seed CSVs, which refreshes what a change reaches, and the sensor that fails
runs whose process died."""

import json
from collections.abc import Callable

import dagster as dg

from orchestration.defs.automation.jobs import refresh_job
from orchestration.lib.fingerprint import published_inputs, seed_fingerprints
from orchestration.lib.runs.abandoned_runs import recover_abandoned_runs
from orchestration.lib.seed_changes import change_key, changed_seed_files, refresh_selection
from orchestration.lib.seed_files.catalog import seed_asset_key
from orchestration.settings import Settings, load_settings


def build_seed_change_sensor(
    settings: Settings, seed_asset: Callable[[str], dg.AssetKey | None]
) -> dg.SensorDefinition:
    """The sensor that refreshes the warehouse when a CSV in the seeds folder changes: only what
    depends on the changed files (`seed_asset` gives a file's load asset), or everything when an
    unknown CSV appears or nothing is known of the published warehouse. Its first tick compares
    the folder with what the published warehouse was built from (its `.published-inputs`
    record). It reads files directly (no resource), so evaluating it never waits for a refresh."""

    @dg.sensor(
        name="seed_change_sensor",
        job=refresh_job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Refreshes the warehouse when a seed CSV is added, removed or changed (by content"
            " hash; the cursor holds the last state seen, and the first tick starts from what the"
            " published warehouse was built from): only the assets and checks downstream of the"
            " changed files. The run key is the hash of the states before and after, so the same"
            " change never launches a second refresh."
        ),
    )
    def seed_change_sensor(context: dg.SensorEvaluationContext):
        current = seed_fingerprints(settings.seeds_dir, settings.seed_hashes)
        first_tick = not context.cursor
        if context.cursor:
            previous = json.loads(context.cursor)
        else:
            published = published_inputs(settings)
            previous = published.seeds if published else {}
        changed = changed_seed_files(previous, current)
        context.update_cursor(json.dumps(current, sort_keys=True))
        if not changed:
            return dg.SkipReason(
                "The seed CSVs are those the published warehouse was built from."
                if first_tick
                else "No seed CSV changed since the last refresh request."
            )
        repository = context.repository_def
        subset = (
            refresh_selection(changed, seed_asset, repository.asset_graph)
            if previous and repository is not None
            else None
        )
        assets, checks = subset if subset else (None, None)
        return dg.RunRequest(
            run_key=change_key(previous, current),
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
    seed_change_sensor = build_seed_change_sensor(settings, seed_asset_key)
    return dg.Definitions(sensors=[seed_change_sensor, abandoned_runs_sensor])
