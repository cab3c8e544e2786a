"""The alerts a deployment sends: a refresh that failed, and a warehouse not published for too
long. Their words are those `make refresh` prints (failure_report.py)."""

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from orchestration.lib.alerts import Alert
from orchestration.lib.runs.failure_report import failure_report


def launched_by(run: dg.DagsterRun) -> str:
    """Who launched a run, as its tags tell."""
    if schedule := run.tags.get("dagster/schedule_name"):
        return f"the schedule {schedule}"
    if sensor := run.tags.get("dagster/sensor_name"):
        return f"the sensor {sensor}"
    return "the Dagster UI or a command"


def run_link(ui_url: str, run_id: str) -> list[str]:
    return [f"Run in the Dagster UI: {ui_url}/runs/{run_id}"] if ui_url else []


def refresh_failed_alert(
    run: dg.DagsterRun,
    events: Sequence[dg.DagsterEvent],
    published_database: Path,
    ui_url: str = "",
) -> Alert:
    report = failure_report(events, published_database)
    step = f" ({report.failed_steps[0][0]})" if report.failed_steps else ""
    return Alert(
        event="refresh_failed",
        subject=f"Refresh FAILED{step}: run {run.run_id}",
        lines=[
            *report.lines(),
            f"Run {run.run_id} of {run.job_name}, launched by {launched_by(run)}.",
            *run_link(ui_url, run.run_id),
        ],
        details={
            "run_id": run.run_id,
            "job": run.job_name,
            "launched_by": launched_by(run),
            "failed_steps": [step for step, _ in report.failed_steps],
            "failed_checks": [check for check, _ in report.failed_checks],
            "checks": report.checks,
            "published_warehouse": str(published_database),
            "published_warehouse_unchanged": not report.published,
        },
    )


def format_age(seconds: float) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min"


def stale_warehouse_alert(
    published_at: float, now: float, limit_hours: float, published_database: Path, ui_url: str
) -> Alert:
    when = datetime.fromtimestamp(published_at, UTC).isoformat(timespec="seconds")
    age = format_age(now - published_at)
    return Alert(
        event="warehouse_stale",
        subject=f"Warehouse STALE: last published {age} ago",
        lines=[
            f"Warehouse STALE: the last successful publish was {age} ago ({when}),"
            f" more than the {limit_hours:g} h allowed (GRANTS_STALE_AFTER_HOURS).",
            f"Readers still see that warehouse: {published_database}",
            "Look for failed or queued runs of refresh_warehouse, and whether the daemon, the"
            " schedule daily_refresh and the sensor seed_change_sensor are running.",
            *([f"Dagster UI: {ui_url}/runs"] if ui_url else []),
        ],
        details={
            "published_at": when,
            "age_seconds": round(now - published_at),
            "stale_after_hours": limit_hours,
            "published_warehouse": str(published_database),
        },
    )
