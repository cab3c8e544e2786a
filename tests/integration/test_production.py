"""The production deployment runs by itself, stops cleanly and says when something is wrong:
`make serve` on a real PostgreSQL server (a private cluster), its code server, daemon and
webserver each in its own process; alerts received by a real SMTP server and an HTTP endpoint;
one deployment shared by the tests below, in order, as an operator would live with it."""

import os
import signal
import socket
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.automation.housekeeping import HOUSEKEEPING_JOB_NAME
from orchestration.lib.conventions import PUBLISHED_KEY
from orchestration.lib.runs.abandoned_runs import PROCESS_TAG, RunProcess
from tests.conftest import copy_refreshed, copy_seeds, query
from tests.integration.alert_receivers import smtp_server, webhook_server
from tests.integration.crash_site import live_members
from tests.integration.postgres_cluster import postgres_cluster
from tests.integration.production import (
    START_SCHEDULE,
    START_SENSOR,
    Deployment,
    wait_for,
)
from tests.integration.readers import readers_holding

pytestmark = pytest.mark.xdist_group("production")

# Dagster's shortest freshness window: the stale alert and the UI's FAIL come a minute after a
# publish, within the test's time.
STALE_AFTER_SECONDS = 60
UI_URL = "http://grants.test.invalid:3000"
UP_TO_DATE = "The seed CSVs are those the published warehouse was built from."
RECONCILIATION_CHECK = "marts/mart_reconciliation:amount_mad_reconcile_with_register"
# What the check says when one 2018 domain row grows by 500 MAD (13 → 13,336 500).
GAP_FOUND = (
    "    amount_mad: migrant_integration_partnership 2017: rows 6990500 vs published 6991500"
    " (difference -1000, registered -1000) → known_discrepancy; migrant_integration_partnership"
    " 2018: rows 1900000 vs published 1899500 (difference 500, registered None) → unexplained"
)
WORKSHOP_PARTICIPANTS = (
    "select participant_count from marts.mart_programme_timeline"
    " where event_id = 'training_workshop_2018'"
)
STOP_LIMIT_SECONDS = 10


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, refreshed):
    """`make serve` on a new PostgreSQL database, over a copy of the shared refresh's warehouse
    (published, with its record of the seeds) and a copy of the shipped seeds."""
    root = copy_refreshed(refreshed, tmp_path_factory.mktemp("production"))
    copy_seeds(root)
    with postgres_cluster() as cluster, smtp_server() as inbox, webhook_server() as webhook:
        site = Deployment.create(
            root,
            cluster.create_database("grants_dagster"),
            inbox,
            webhook,
            GRANTS_STALE_AFTER_HOURS=repr(STALE_AFTER_SECONDS / 3600),
            GRANTS_REFRESH_CRON="* * * * *",  # started by a test, for one tick
            GRANTS_DAGSTER_UI_URL=UI_URL,
        )
        site.start()
        # Off by default where the daily schedule is off (as here): an operator's click.
        site.mutate(START_SENSOR, sensorName="stale_warehouse_alert")
        try:
            yield site
        finally:
            if site.server and site.server.process.poll() is None:
                site.server.stop(to_group=True)


def replace_in_seed(site: Deployment, name: str, old: str, new: str) -> None:
    path = site.settings.seeds_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_in_dbt(site: Deployment, run_id: str) -> bool:
    return "STEP_START" in site.event_types(run_id) and any(
        "dbt_models" in message for message in site.messages(run_id)
    )


def test_make_serve_runs_each_service_in_its_own_process_on_postgresql(deployment):
    assert deployment.server is not None
    members = live_members(deployment.server.process.pid)
    for service in ("code-server start", "dagster-daemon run", "-m dagster_webserver"):
        assert sum(service in member for member in members) == 1, members
    with deployment.instance() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"


def test_the_sensors_first_tick_runs_nothing_when_the_seeds_are_those_published(deployment):
    ticks = wait_for("the seed sensor's first tick", lambda: deployment.ticks("seed_change_sensor"))
    assert (ticks[-1]["status"], ticks[-1]["skipReason"]) == ("SKIPPED", UP_TO_DATE)
    assert all(tick["status"] == "SKIPPED" and not tick["runIds"] for tick in ticks)
    assert deployment.runs() == []


def test_a_seed_that_breaks_a_check_runs_once_for_what_changed_and_alerts_once(deployment):
    published = deployment.settings.published_database
    before = published.read_bytes()
    replace_in_seed(deployment, "domain_grants.csv", "13,336 000", "13,336 500")
    (failed,) = deployment.wait_for_runs(1)
    assert failed.status == dg.DagsterRunStatus.FAILURE
    assert failed.tags["grants_warehouse/changed_seeds"] == "domain_grants.csv"
    assert failed.asset_selection is not None  # only what depends on the changed file
    assert dg.AssetKey(["raw", "domain_grants"]) in failed.asset_selection
    assert dg.AssetKey(["raw", "domains"]) not in failed.asset_selection

    wait_for(
        "the failure alert on every channel",
        lambda: (
            deployment.emails("Refresh FAILED")
            and deployment.posts("refresh_failed")
            and deployment.alerts("refresh_failed")
        ),
        timeout=180,
    )
    (mail,) = deployment.emails("Refresh FAILED")
    assert mail["Subject"] == f"[grants warehouse] Refresh FAILED (gx_checks): run {failed.run_id}"
    assert mail["To"] == "operator@test.invalid"
    body = mail.get_content().replace("\r\n", "\n")  # SMTP's line ends
    assert body.splitlines() == [
        "Refresh FAILED.",
        "  failed step: gx_checks",
        "    DagsterAssetCheckFailedError: 1 blocking asset check failed with ERROR severity:",
        "    marts/mart_reconciliation: amount_mad_reconcile_with_register",
        f"  failed check: {RECONCILIATION_CHECK}",
        GAP_FOUND,
        body.splitlines()[6],  # the counts of this run's checks (a subset of them)
        f"The published warehouse was left as it was: {published}",
        f"Run {failed.run_id} of refresh_warehouse, launched by the sensor seed_change_sensor.",
        f"Run in the Dagster UI: {UI_URL}/runs/{failed.run_id}",
    ]
    assert body.splitlines()[6].startswith("  checks: ") and body.splitlines()[6].endswith(
        " 0 warned, 1 failed"
    )
    (post,) = deployment.posts("refresh_failed")
    (line,) = deployment.alerts("refresh_failed")
    assert post["content_type"] == "application/json; charset=utf-8"
    for record in (post, line):
        assert record["message"] == body
        assert record["run_id"] == failed.run_id
        assert record["failed_steps"] == ["gx_checks"]
        assert record["failed_checks"] == [RECONCILIATION_CHECK]
        assert record["published_warehouse_unchanged"] is True
    assert published.read_bytes() == before

    # Once per failed run: the failure sensor ticks again and sends nothing more.
    sent_at = len(deployment.ticks("refresh_failure_alert"))
    wait_for("another tick", lambda: len(deployment.ticks("refresh_failure_alert")) > sent_at + 1)
    assert len(deployment.emails("Refresh FAILED")) == 1
    assert len(deployment.posts("refresh_failed")) == len(deployment.alerts("refresh_failed")) == 1

    replace_in_seed(deployment, "domain_grants.csv", "13,336 500", "13,336 000")
    restored = deployment.wait_for_runs(2)[1]
    assert restored.status == dg.DagsterRunStatus.SUCCESS
    assert restored.tags["grants_warehouse/changed_seeds"] == "domain_grants.csv"


def test_runs_from_the_ui_the_schedule_and_the_sensor_queue_and_readers_see_no_error(
    deployment, tmp_path
):
    database = deployment.settings.published_database
    assert query(database, WORKSHOP_PARTICIPANTS) == [(53,)]
    earlier = len(deployment.runs())
    with readers_holding(database, WORKSHOP_PARTICIPANTS, 8, tmp_path) as seen:
        deployment.mutate(START_SCHEDULE, scheduleName="daily_refresh")
        wait_for(
            "the schedule's run",
            lambda: any("dagster/schedule_name" in run.tags for run in deployment.runs()),
            timeout=120,
        )
        deployment.stop_schedule("daily_refresh")
        from_ui = deployment.launch()
        replace_in_seed(deployment, "programme_events.csv", ",53,", ",60,")
        # The daemon killed while the first run works, and started again by make serve.
        wait_for(
            "a run in progress", lambda: any(r.status.value == "STARTED" for r in deployment.runs())
        )
        daemon = next(
            m for m in live_members(deployment.server.process.pid) if "dagster-daemon" in m
        )
        os.kill(int(daemon.split(":")[0]), signal.SIGKILL)
        runs = deployment.wait_for_runs(earlier + 3, timeout=600)[earlier:]
    assert deployment.server is not None
    log = deployment.server.log.read_text(errors="replace")
    assert f"serve: daemon (pid {daemon.split(':')[0]}) exited with status -9" in log
    launched_by = sorted(
        "schedule"
        if "dagster/schedule_name" in run.tags
        else "sensor"
        if "dagster/sensor_name" in run.tags
        else "ui"
        if run.run_id == from_ui
        else "?"
        for run in runs
    )
    assert launched_by == ["schedule", "sensor", "ui"]
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 3
    with deployment.instance() as instance:
        records = sorted(
            (instance.get_run_record_by_id(run.run_id) for run in runs),
            key=lambda record: record.start_time,
        )
    # The daemon's queue let one refresh out at a time: none started before the last had ended…
    for earlier_run, later_run in zip(records, records[1:], strict=False):
        assert later_run.start_time >= earlier_run.end_time
    for run in runs:
        # …so none waited on the refresh lock, and each run's history is whole.
        assert not any("Waiting for another refresh" in m for m in deployment.messages(run.run_id))
        kinds = deployment.event_types(run.run_id)
        assert dg.DagsterEventType.RUN_ENQUEUED.value in kinds  # through the daemon's queue
        started, succeeded = dg.DagsterEventType.RUN_START, dg.DagsterEventType.RUN_SUCCESS
        assert kinds.index(started.value) < kinds.index(succeeded.value)
        assert kinds.count("STEP_SUCCESS") >= 4 and "STEP_FAILURE" not in kinds
    for reader in seen:  # each held the file it opened, through three refreshes
        assert reader["errors"] == [] and reader["seen"] == [53] and reader["answers"] > 0
    assert query(database, WORKSHOP_PARTICIPANTS) == [(60,)]


def test_a_run_killed_mid_run_is_marked_failed_and_alerted_and_the_next_one_succeeds(deployment):
    earlier = len(deployment.runs())
    replace_in_seed(deployment, "programme_events.csv", ",60,", ",53,")
    run = wait_for(
        "the sensor's run in dbt",
        lambda: next(
            (
                r
                for r in deployment.runs()[earlier:]
                if PROCESS_TAG in r.tags and run_in_dbt(deployment, r.run_id)
            ),
            None,
        ),
    )
    worker = RunProcess.of_run(run)
    assert worker is not None
    os.kill(worker.pid, signal.SIGKILL)  # the run worker, as the kernel's OOM killer would
    failed = wait_for(
        "the daemon to mark the run failed",
        lambda: next(
            (r for r in deployment.runs() if r.run_id == run.run_id and r.is_finished), None
        ),
        timeout=180,
    )
    assert failed.status == dg.DagsterRunStatus.FAILURE
    # Whichever saw it first: the code server, whose child the run worker was, or the
    # abandoned_runs_sensor in the daemon.
    explanations = (
        f"Run execution process for {run.run_id} was terminated by signal 9 (SIGKILL).",
        f"Process {worker.pid} on {socket.gethostname()}, which ran this run, is no longer"
        " running (killed, out of memory or a power cut): marked failed by the"
        " abandoned_runs_sensor.",
    )
    messages = deployment.messages(run.run_id)
    assert any(why in m for m in messages for why in explanations), messages[-3:]
    mail = wait_for(
        "the alert",
        lambda: [m for m in deployment.emails("Refresh FAILED") if run.run_id in m["Subject"]],
        timeout=180,
    )[0]
    assert mail["Subject"] == f"[grants warehouse] Refresh FAILED: run {run.run_id}"
    body = mail.get_content().replace("\r\n", "\n").splitlines()
    assert body[0] == "Refresh FAILED."
    assert (
        f"The published warehouse was left as it was: {deployment.settings.published_database}"
        in body
    )

    next_run = deployment.launch()  # no clean-up by hand: the slot was freed
    finished = deployment.wait_for_runs(earlier + 2)
    assert finished[-1].run_id == next_run and finished[-1].status == dg.DagsterRunStatus.SUCCESS
    with deployment.instance() as instance:
        info = instance.event_log_storage.get_concurrency_info("duckdb_writer")
        assert (info.claimed_slots, info.pending_steps) == ([], [])
    assert query(deployment.settings.published_database, WORKSHOP_PARTICIPANTS) == [(53,)]


def test_a_warehouse_not_published_for_too_long_is_shown_stale_and_alerted(deployment):
    with deployment.instance() as instance:
        last = instance.get_latest_materialization_event(PUBLISHED_KEY)
    assert last is not None
    published_at = datetime.fromtimestamp(last.timestamp, UTC).isoformat(timespec="seconds")
    alert = wait_for(
        "the stale-warehouse alert",
        lambda: [
            record
            for record in deployment.alerts("warehouse_stale")
            if record["age_seconds"] >= STALE_AFTER_SECONDS
            and record["published_at"] == published_at
        ],
        timeout=240,
    )[-1]
    assert alert["message"].startswith("Warehouse STALE: the last successful publish was 0 h 0")
    assert (
        f"more than the {STALE_AFTER_SECONDS / 3600:g} h allowed (GRANTS_STALE_AFTER_HOURS)."
        in alert["message"]
    )
    assert (
        f"Readers still see that warehouse: {deployment.settings.published_database}"
        in alert["message"]
    )
    assert deployment.emails("Warehouse STALE") and deployment.posts("warehouse_stale")
    for key in (["publish", "grants_duckdb"], ["marts", "mart_year_summary"]):
        assert deployment.freshness(key)["internalFreshnessPolicy"] == {"failWindowSeconds": 60}
    stale = wait_for(
        "the UI's freshness FAIL",
        lambda: (
            deployment.freshness(["publish", "grants_duckdb"])["freshnessStatusInfo"][
                "freshnessStatus"
            ]
            == "DEGRADED"
        ),
        timeout=180,
    )
    assert stale


def test_sigterm_stops_make_serve_mid_run_and_the_next_start_recovers_without_losing_history(
    deployment,
):
    run_id = deployment.launch()
    wait_for("the run in dbt", lambda: run_in_dbt(deployment, run_id))
    assert deployment.server is not None
    took, left = deployment.server.stop(to_group=True)
    assert left == [], f"still running {took:.1f} s after SIGTERM: {left}"
    assert took < STOP_LIMIT_SECONDS
    before = {run.run_id: run.status for run in deployment.runs()}

    deployment.start()
    interrupted = wait_for(
        "the interrupted run marked failed",
        lambda: next((r for r in deployment.runs() if r.run_id == run_id and r.is_finished), None),
        timeout=180,
    )
    assert interrupted.status == dg.DagsterRunStatus.FAILURE
    after = {run.run_id: run.status for run in deployment.runs()}
    assert {k: v for k, v in after.items() if k != run_id} == {
        k: v for k, v in before.items() if k != run_id
    }
    next_run = deployment.launch()
    assert deployment.wait_for_runs(len(after) + 1)[-1].run_id == next_run
    assert deployment.runs()[-1].status == dg.DagsterRunStatus.SUCCESS

    # Housekeeping with a retention of 0 days: every finished run goes, but the last publish's.
    storage = deployment.home / "storage"
    assert (storage / run_id).is_dir()
    purge = deployment.launch(
        HOUSEKEEPING_JOB_NAME, {"ops": {"purge_old_runs": {"config": {"older_than_days": 0}}}}
    )
    # (daily_housekeeping may have run too: it is on by default, at 03:30 Casablanca time.)
    purged = wait_for(
        "the purge",
        lambda: next(
            (
                r
                for r in deployment.runs(HOUSEKEEPING_JOB_NAME)
                if r.run_id == purge and r.is_finished
            ),
            None,
        ),
    )
    assert purged.status == dg.DagsterRunStatus.SUCCESS
    assert [run.run_id for run in deployment.runs()] == [next_run]
    assert not (storage / run_id).exists()

    took, left = deployment.server.stop(to_group=True)
    assert left == [] and took < STOP_LIMIT_SECONDS


def test_the_production_instance_has_the_development_instances_settings():
    development = Path(__file__).resolve().parents[2] / "dagster_home" / "dagster.yaml"
    production = development.parent.parent / "deploy" / "dagster_home" / "dagster.yaml"
    shared = development.read_text().split("\ntelemetry:", 1)[1]
    assert production.read_text().split("\ntelemetry:", 1)[1] == shared
