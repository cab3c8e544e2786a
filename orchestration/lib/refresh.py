"""One refresh run in this process: progress lines while it runs, a summary and the failed
steps and checks after it. Used by `orchestration.cli` (`make refresh`)."""

import logging
import os
import sys
from collections import Counter

import dagster as dg
import duckdb

from orchestration.definitions import build_definitions
from orchestration.defs.automation.jobs import REFRESH_JOB_NAME
from orchestration.defs.dbt.assets import dbt_build_run_config
from orchestration.lib.formatting import format_mad
from orchestration.lib.runs.abandoned_runs import PROCESS_TAG, this_process
from orchestration.lib.runs.stopping import signal_name
from orchestration.settings import Settings

PROGRESS_EVENTS = {"STEP_START", "STEP_FAILURE", "ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION"}


class ProgressHandler(logging.Handler):
    """Prints one short line per step started, asset materialized and check evaluated."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is None:
            # Plain log messages: only warnings and errors (e.g. waiting for another refresh).
            message = getattr(record, "dagster_meta", {}).get("orig_message") or record.getMessage()
            line = f"! {message}" if record.levelno >= logging.WARNING else None
        elif event.event_type_value in PROGRESS_EVENTS:
            line = describe_event(event)
        else:
            return
        if line:
            print(line, file=self.stream, flush=True)


def describe_event(event: dg.DagsterEvent) -> str | None:
    kind = event.event_type_value
    if kind == "STEP_START":
        return f"▸ {event.step_key}"
    if kind == "STEP_FAILURE":
        return f"✗ {event.step_key} failed:\n{indent(event.event_specific_data.error.message)}"
    if kind == "ASSET_MATERIALIZATION":
        materialization = event.event_specific_data.materialization
        rows = materialization.metadata.get("dagster/row_count")
        suffix = f" ({rows.value} rows)" if rows is not None else ""
        return f"  ✓ {materialization.asset_key.to_user_string()}{suffix}"
    if kind == "ASSET_CHECK_EVALUATION":
        evaluation = event.event_specific_data
        if evaluation.passed:
            return None
        details = [
            evaluation.metadata[key].value
            for key in ("summary", "failures")
            if key in evaluation.metadata
        ]
        return "\n".join(
            [f"  ! check {_check_name(evaluation)}: {evaluation.severity.value}"]
            + [indent(str(detail)) for detail in details]
        )
    return None


def _check_name(evaluation) -> str:
    return f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"


def indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.strip().splitlines())


@dg.logger(description="Short progress lines for the command line.")
def progress_logger(_init_context) -> logging.Logger:
    logger = logging.getLogger("grants_warehouse.progress")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(ProgressHandler(sys.stdout))
    return logger


def refresh(
    settings: Settings, full_refresh: bool = False, run_id: str | None = None
) -> dg.ExecuteInProcessResult:
    """Run the full refresh job in this process (its runs show in the UI when DAGSTER_HOME is
    shared with `dagster dev`); `full_refresh` rebuilds incremental models from scratch. The run
    records this process from its start, so that if it is killed the next refresh knows."""
    definitions = dg.Definitions.merge(
        build_definitions(settings), dg.Definitions(loggers={"progress": progress_logger})
    )
    job = definitions.resolve_job_def(REFRESH_JOB_NAME)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    return job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": {"progress": {}}, **dbt_build_run_config(full_refresh)},
        run_id=run_id,
        tags={PROCESS_TAG: this_process().tag_value()},
    )


def mark_run_stopped(run_id: str, signum: int) -> None:
    """Mark the run failed, for a process about to end before Dagster could do it itself."""
    if not os.environ.get("DAGSTER_HOME"):
        return  # an ephemeral instance: its runs end with the process
    instance = dg.DagsterInstance.get()
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_failed(
            run, message=f"Stopped by {signal_name(signum)}: the refresh process was ended."
        )


def check_counts(result: dg.ExecuteInProcessResult) -> Counter:
    """How many asset checks passed, warned and failed in the run."""
    counts: Counter = Counter()
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if evaluation.passed:
                counts["passed"] += 1
            elif evaluation.severity == dg.AssetCheckSeverity.WARN:
                counts["warned"] += 1
            else:
                counts["failed"] += 1
    return counts


def failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    return [
        _check_name(event.event_specific_data)
        for event in result.all_events
        if event.event_type_value == "ASSET_CHECK_EVALUATION"
        and not event.event_specific_data.passed
        and event.event_specific_data.severity == dg.AssetCheckSeverity.ERROR
    ]


def summary_lines(settings: Settings) -> list[str]:
    """Per period: associations, projects and amounts, read back from the published file."""
    with duckdb.connect(str(settings.published_database), read_only=True) as connection:
        rows = connection.execute(
            "select period, associations, projects, amount_mad_published, amount_mad_from_domains"
            " from marts.mart_year_summary order by start_year, end_year"
        ).fetchall()
        gaps = connection.execute(
            "select period, measure, summed_value, published_value, difference, status"
            " from marts.mart_reconciliation where status <> 'reconciled' order by period, measure"
        ).fetchall()
    header = f"{'period':<10} {'associations':>12} {'projects':>9} {'amount (MAD)':>14} {'domain rows (MAD)':>18}"
    lines = [header]
    for period, associations, projects, published, from_domains in rows:
        lines.append(
            f"{period:<10} {_or_dash(associations):>12} {_or_dash(projects):>9}"
            f" {format_mad(published):>14} {format_mad(from_domains):>18}"
        )
    for period, measure, summed, published, difference, status in gaps:
        lines.append(
            f"{status}: {period} {measure}: domain rows {format_mad(summed)}"
            f" vs published {format_mad(published)} (difference {format_mad(difference)})"
        )
    return lines


def _or_dash(value) -> str:
    return "—" if value is None else str(value)
