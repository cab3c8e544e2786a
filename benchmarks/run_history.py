"""How much disk the production deployment's run history takes (`make bench-history`).

Starts `make serve` on a private PostgreSQL cluster (as the tests do), lets it run one refresh to
warm up, then launches `--runs` full refreshes one after another from the UI's API, and measures
what they added: the PostgreSQL database (runs, event log, asset records), the compute logs in
DAGSTER_HOME/storage, and the sensors' ticks over the time they took. A year of daily refreshes
is projected from it, with the retention settings (runs: GRANTS_RUN_RETENTION_DAYS; skipped
ticks: 7 days; other ticks: 90). Not a test: CI does not run it. Writes
benchmarks/run-history-results.md.
"""

import argparse
import platform
import shutil
import tempfile
import time
from pathlib import Path

import psycopg2

from orchestration.settings import OperationsSettings
from tests.conftest import PROJECT_ROOT
from tests.integration.alert_receivers import smtp_server, webhook_server
from tests.integration.postgres_cluster import postgres_cluster
from tests.integration.production import Deployment

RESULTS = Path(__file__).with_name("run-history-results.md")
SKIPPED_TICK_DAYS, OTHER_TICK_DAYS = 7, 90
# Sensor and schedule ticks a day: seed_change_sensor every 30 s, abandoned_runs_sensor every
# 15 s, refresh_failure_alert every 30 s, stale_warehouse_alert every 60 s, two schedules.
TICKS_A_DAY = 86400 // 30 + 86400 // 15 + 86400 // 30 + 86400 // 60 + 2


def database_bytes(url: str) -> dict[str, int]:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select pg_database_size(current_database()),"
            " pg_total_relation_size('job_ticks'), (select count(*) from job_ticks),"
            " (select count(*) from event_logs)"
        )
        size, ticks_bytes, ticks, events = cursor.fetchone()
    connection.close()
    return {"database": size, "ticks_bytes": ticks_bytes, "ticks": ticks, "events": events}


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def mib(size: float) -> str:
    return f"{size / 2**20:,.1f} MiB"


def measure(runs: int) -> str:
    root = Path(tempfile.mkdtemp(prefix="grants-history-"))
    shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds")
    with postgres_cluster() as cluster, smtp_server() as inbox, webhook_server() as webhook:
        site = Deployment.create(root, cluster.create_database("history"), inbox, webhook)
        site.start()
        try:
            site.wait_for_runs(1, timeout=600)  # the seed sensor's first run: nothing published
            before, logs_before, started = (
                database_bytes(site.postgres_url),
                folder_bytes(site.home / "storage"),
                time.monotonic(),
            )
            for count in range(2, runs + 2):
                site.launch()
                site.wait_for_runs(count, timeout=900)
            after, logs_after, took = (
                database_bytes(site.postgres_url),
                folder_bytes(site.home / "storage"),
                time.monotonic() - started,
            )
        finally:
            assert site.server is not None
            site.server.stop(to_group=True)
    shutil.rmtree(root, ignore_errors=True)
    ticks_added = after["ticks_bytes"] - before["ticks_bytes"]
    per_run = (after["database"] - before["database"] - ticks_added) / runs
    logs_per_run = (logs_after - logs_before) / runs
    ticks_made = max(after["ticks"] - before["ticks"], 1)
    per_tick = ticks_added / ticks_made
    events = (after["events"] - before["events"]) / runs
    retention = OperationsSettings().run_retention_days
    kept_runs = min(365, retention)
    ticks_kept = TICKS_A_DAY * SKIPPED_TICK_DAYS + 3 * OTHER_TICK_DAYS
    return "\n".join(
        [
            "# Run history on disk (`make bench-history`)",
            "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()}:"
            f" {runs} full refreshes of the shipped seeds launched from the UI's API, one after"
            f" another, in {took:.0f} s, after a first one.",
            "",
            "| what | measured |",
            "|---|---|",
            f"| PostgreSQL, per run (the run, {events:.0f} events, asset records) |"
            f" {mib(per_run)} |",
            f"| compute logs (`DAGSTER_HOME/storage`), per run | {mib(logs_per_run)} |",
            f"| one sensor or schedule tick | {per_tick:,.0f} bytes |",
            "",
            "A year of daily refreshes:",
            "",
            "| retention | run history | ticks | total |",
            "|---|---|---|---|",
            f"| runs kept {retention} days (default), ticks as `dagster.yaml` |"
            f" {mib(kept_runs * (per_run + logs_per_run))} | {mib(ticks_kept * per_tick)} |"
            f" {mib(kept_runs * (per_run + logs_per_run) + ticks_kept * per_tick)} |",
            f"| nothing purged | {mib(365 * (per_run + logs_per_run))} |"
            f" {mib(365 * TICKS_A_DAY * per_tick)} |"
            f" {mib(365 * (per_run + logs_per_run + TICKS_A_DAY * per_tick))} |",
            "",
            f"Ticks a day: {TICKS_A_DAY:,} (the four sensors' intervals and two schedules);"
            f" skipped ticks are kept {SKIPPED_TICK_DAYS} days, the others {OTHER_TICK_DAYS}."
            " dbt writes into one fixed target folder and rotates its log: nothing per run.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    report = measure(arguments.runs)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
