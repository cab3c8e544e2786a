"""The Dagster event log this project configures (orchestration/event_log_storage.py) keeps what
Dagster's own SQLite log keeps, and the UI still sees a run's events as they are written."""

import time

import dagster as dg

from orchestration.event_log_storage import EngineReusingSqliteEventLogStorage


def log_entry(run_id: str, message: str) -> dg.EventLogEntry:
    return dg.EventLogEntry(
        error_info=None,
        level="INFO",
        user_message=message,
        run_id=run_id,
        timestamp=time.time(),
    )


def test_the_refresh_run_is_stored_with_every_check(refreshed, monkeypatch):
    home = refreshed.settings.warehouse_dir.parent / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = dg.DagsterInstance.get()
    assert isinstance(instance.event_log_storage, EngineReusingSqliteEventLogStorage)
    run = instance.get_runs(limit=1)[0]
    assert run.status == dg.DagsterRunStatus.SUCCESS
    evaluations = instance.get_records_for_run(
        run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=1000
    ).records
    outcomes = sorted(
        record.event_log_entry.dagster_event.event_specific_data.passed for record in evaluations
    )
    assert outcomes.count(True) == 126  # the warned check (2017's known gap) did not pass
    assert outcomes.count(False) == 1
    latest = instance.get_latest_materialization_event(dg.AssetKey(["marts", "mart_domain_year"]))
    assert latest.run_id == run.run_id


def test_a_watcher_sees_each_event_as_it_is_written(tmp_path):
    """The UI follows a running run by watching its `<run_id>.db` file: each stored event must
    reach that file, not wait in the write-ahead log."""
    storage = EngineReusingSqliteEventLogStorage(str(tmp_path))
    seen: list[str] = []
    storage.watch("run-1", None, lambda entry, _cursor: seen.append(entry.user_message))
    try:
        for number in range(3):
            storage.store_event(log_entry("run-1", f"event {number}"))
            deadline = time.monotonic() + 20
            while len(seen) <= number and time.monotonic() < deadline:
                time.sleep(0.05)
        assert seen == ["event 0", "event 1", "event 2"]
    finally:
        storage.dispose()


def test_a_new_storage_reads_what_another_wrote(tmp_path):
    writer = EngineReusingSqliteEventLogStorage(str(tmp_path))
    for number in range(3):
        writer.store_event(log_entry("run-2", f"event {number}"))
    reader = EngineReusingSqliteEventLogStorage(str(tmp_path))
    records = reader.get_records_for_run("run-2").records
    assert [record.event_log_entry.user_message for record in records] == [
        "event 0",
        "event 1",
        "event 2",
    ]
    writer.dispose()
    reader.dispose()
