"""The sensor on the seed CSVs: no change, no run; a change, exactly one run; never twice."""

import hashlib
import json
import os
import shutil

import dagster as dg
import pytest

from orchestration.definitions import build_definitions
from orchestration.lib.alerts import configured_channels
from orchestration.lib.fingerprint import (
    RECENT_SECONDS,
    cached_sha256,
    current_inputs,
    record_published_inputs,
)
from orchestration.lib.seed_changes import change_key, changed_seed_files
from orchestration.settings import Settings, load_operations_settings
from tests.conftest import PROJECT_ROOT


@pytest.fixture
def seeds(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    return seeds


def evaluate(seeds, cursor):
    definitions = build_definitions(Settings(seeds_dir=seeds, warehouse_dir=seeds.parent / "w"))
    context = dg.build_sensor_context(cursor=cursor, definitions=definitions)
    result = definitions.resolve_sensor_def("seed_change_sensor")(context)
    return result, context.cursor


def test_first_look_requests_a_refresh_then_nothing_while_nothing_changes(seeds):
    first, cursor = evaluate(seeds, None)
    assert isinstance(first, dg.RunRequest)
    assert first.asset_selection is None  # everything: nothing is known about the warehouse yet
    again, same_cursor = evaluate(seeds, cursor)
    assert isinstance(again, dg.SkipReason) and same_cursor == cursor


def test_a_changed_csv_requests_exactly_one_refresh(seeds):
    _, cursor = evaluate(seeds, None)
    grants = seeds / "domain_grants.csv"
    grants.write_text(
        grants.read_text(encoding="utf-8").replace("13,336 000", "13,336 500"), encoding="utf-8"
    )
    request, new_cursor = evaluate(seeds, cursor)
    assert isinstance(request, dg.RunRequest)
    assert request.tags["grants_warehouse/changed_seeds"] == "domain_grants.csv"
    # Only what depends on the changed file is refreshed, with its checks.
    selected = {key.to_user_string() for key in request.asset_selection}
    assert {
        "raw/domain_grants",
        "staging/stg_report__domain_grants",
        "marts/mart_domain_year",
        "marts/mart_reconciliation",
        "publish/grants_duckdb",
        "reports/charts",
    } <= selected
    assert (
        not {
            "raw/domains",
            "raw/headline_figures",
            "marts/dim_domain",
            "marts/fct_programme_events",
        }
        & selected
    )
    checks = {f"{key.asset_key.to_user_string()}:{key.name}" for key in request.asset_check_keys}
    assert "marts/mart_reconciliation:amount_mad_reconcile_with_register" in checks
    assert not any(check.startswith("marts/dim_domain:") for check in checks)
    # The same change seen again: no second run (the cursor moved on)…
    again, _ = evaluate(seeds, new_cursor)
    assert isinstance(again, dg.SkipReason)
    # …and even from the old cursor, the request carries the same run key, which Dagster runs once.
    replay, _ = evaluate(seeds, cursor)
    assert replay.run_key == request.run_key


def test_a_new_csv_dropped_into_seeds_requests_a_refresh(seeds):
    _, cursor = evaluate(seeds, None)
    (seeds / "beneficiaries.csv").write_text("beneficiary_id\nB-1\n", encoding="utf-8")
    request, _ = evaluate(seeds, cursor)
    assert request.tags["grants_warehouse/changed_seeds"] == "beneficiaries.csv"
    assert request.asset_selection is None  # not a known seed: refresh everything


def test_changed_files_and_run_keys_are_pure_functions_of_content():
    assert changed_seed_files(
        {"a.csv": "1", "b.csv": "2"}, {"a.csv": "1", "b.csv": "3", "c.csv": "4"}
    ) == ["b.csv", "c.csv"]
    assert changed_seed_files({"a.csv": "1"}, {}) == ["a.csv"]
    assert change_key({}, {"a.csv": "1", "b.csv": "2"}) == change_key(
        {}, {"b.csv": "2", "a.csv": "1"}
    )
    assert change_key({}, {"a.csv": "1"}) != change_key({}, {"a.csv": "2"})
    # Back to an earlier state is a change of its own: the warehouse holds the later one.
    assert change_key({"a.csv": "1"}, {"a.csv": "2"}) != change_key({"a.csv": "2"}, {"a.csv": "1"})


def test_a_file_of_the_register_added_requests_only_what_depends_on_the_register(seeds):
    _, cursor = evaluate(seeds, None)
    (seeds / "grant_agreements.2019.csv").write_text("identifier\n", encoding="utf-8")
    request, _ = evaluate(seeds, cursor)
    assert request.tags["grants_warehouse/changed_seeds"] == "grant_agreements.2019.csv"
    assert dg.AssetKey(["raw", "grant_agreements"]) in request.asset_selection
    assert dg.AssetKey(["raw", "domain_grants"]) not in request.asset_selection


def age(path, seconds):
    """Set the file's modification time `seconds` in the past."""
    past = path.stat().st_mtime_ns - seconds * 10**9
    os.utime(path, ns=(past, past))


def test_a_file_hash_is_reused_while_its_size_and_time_are_unchanged(tmp_path):
    register, cache = tmp_path / "register.csv", tmp_path / "hashes.json"
    register.write_bytes(b"identifier\nSYN-1\n")
    age(register, RECENT_SECONDS + 1)
    expected = hashlib.sha256(register.read_bytes()).hexdigest()
    assert cached_sha256([register], cache) == {"register.csv": expected}
    # The recorded hash is what is returned while size and time match: proof it is not re-read.
    entries = json.loads(cache.read_text())
    (key,) = entries
    entries[key][2] = "recorded"
    cache.write_text(json.dumps(entries))
    assert cached_sha256([register], cache) == {"register.csv": "recorded"}
    # Same size, another time: read again.
    register.write_bytes(b"identifier\nSYN-2\n")
    age(register, RECENT_SECONDS + 1)
    assert cached_sha256([register], cache) == {
        "register.csv": hashlib.sha256(b"identifier\nSYN-2\n").hexdigest()
    }


def test_a_file_modified_in_the_last_seconds_is_never_taken_from_the_record(tmp_path):
    register, cache = tmp_path / "register.csv", tmp_path / "hashes.json"
    register.write_bytes(b"identifier\nSYN-1\n")
    cached_sha256([register], cache)
    assert not cache.exists()  # nothing recorded: its time may not tell the next write apart


def publish_record(seeds):
    """The record a publish of these seeds leaves beside a published file."""
    settings = Settings(seeds_dir=seeds, warehouse_dir=seeds.parent / "w")
    settings.published_database.parent.mkdir(parents=True, exist_ok=True)
    settings.published_database.write_bytes(b"")
    record_published_inputs(settings, current_inputs(settings), run_id="the-publishing-run")


def test_the_first_look_at_seeds_the_published_warehouse_was_built_from_requests_nothing(seeds):
    publish_record(seeds)
    first, cursor = evaluate(seeds, None)
    assert isinstance(first, dg.SkipReason)
    assert first.skip_message == "The seed CSVs are those the published warehouse was built from."
    assert cursor is not None  # the next look compares with this state
    again, _ = evaluate(seeds, cursor)
    assert again.skip_message == "No seed CSV changed since the last refresh request."


def test_the_first_look_after_a_change_requests_only_what_depends_on_it(seeds):
    publish_record(seeds)
    events = seeds / "programme_events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",53,", ",60,"), "utf-8")
    request, _ = evaluate(seeds, None)
    assert isinstance(request, dg.RunRequest)
    assert request.tags["grants_warehouse/changed_seeds"] == "programme_events.csv"
    assert dg.AssetKey(["raw", "programme_events"]) in request.asset_selection
    assert dg.AssetKey(["raw", "domain_grants"]) not in request.asset_selection


def test_a_deployment_turns_the_schedule_and_the_stale_alert_on_together(seeds, monkeypatch):
    monkeypatch.setenv("GRANTS_DAILY_REFRESH", "running")
    definitions = build_definitions(Settings(seeds_dir=seeds, warehouse_dir=seeds.parent / "w"))
    schedule = definitions.resolve_schedule_def("daily_refresh")
    stale = definitions.resolve_sensor_def("stale_warehouse_alert")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert stale.default_status == dg.DefaultSensorStatus.RUNNING
    assert "older than 36 h (GRANTS_STALE_AFTER_HOURS)" in stale.description
    monkeypatch.setenv("GRANTS_DAILY_REFRESH", "stopped")
    definitions = build_definitions(Settings(seeds_dir=seeds, warehouse_dir=seeds.parent / "w"))
    assert definitions.resolve_sensor_def("stale_warehouse_alert").default_status == (
        dg.DefaultSensorStatus.STOPPED
    )


def test_operations_settings_read_the_environment():
    operations = load_operations_settings(
        {
            "GRANTS_ALERT_SMTP_HOST": "smtp.example.org",
            "GRANTS_ALERT_TO": "a@example.org, b@example.org,",
            "GRANTS_ALERT_WEBHOOK_URL": "https://hooks.example.org/x",
            "GRANTS_STALE_AFTER_HOURS": "12",
        }
    )
    assert operations.mail_to == ("a@example.org", "b@example.org")
    assert (operations.smtp_port, operations.stale_after_hours) == (25, 12.0)
    assert [name for name, _ in configured_channels(operations)] == [
        "e-mail to a@example.org, b@example.org",
        "webhook https://hooks.example.org/x",
    ]
    with pytest.raises(ValueError, match="GRANTS_DAILY_REFRESH='on': write running or stopped"):
        load_operations_settings({"GRANTS_DAILY_REFRESH": "on"})
