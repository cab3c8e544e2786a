"""What the refresh command says after its run: the checks' counts, the checks and steps that
failed and why, and the published figures per period."""

from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.lib.formatting import format_mad, format_stated
from orchestration.lib.runs.progress import check_evaluation, check_name

SUMMARY_HEADER = (
    f"{'period':<10} {'associations':>12} {'projects':>9} {'amount (MAD)':>14}"
    f" {'domain rows (MAD)':>18}"
)


def check_evaluations(result: dg.ExecuteInProcessResult) -> list[dg.AssetCheckEvaluation]:
    return [
        evaluation
        for evaluation in map(check_evaluation, result.all_events)
        if evaluation is not None
    ]


def check_counts(result: dg.ExecuteInProcessResult) -> Counter[str]:
    """How many asset checks passed, warned and failed in the run."""
    counts: Counter[str] = Counter()
    for evaluation in check_evaluations(result):
        if evaluation.passed:
            counts["passed"] += 1
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            counts["warned"] += 1
        else:
            counts["failed"] += 1
    return counts


def failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    return [
        check_name(evaluation)
        for evaluation in check_evaluations(result)
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    ]


def run_failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    """The messages of the error that failed the run and of its causes (e.g. a resource that
    could not start: the refresh lock not released in time)."""
    failure = result.get_run_failure_event().event_specific_data
    error = getattr(failure, "error", None)
    messages = []
    while error is not None:
        messages.append(error.message.strip())
        error = error.cause
    return messages


def summary_lines(published_database: Path) -> list[str]:
    """Per programme and period: associations, projects and amounts as stated (with their
    qualifiers), read back from the published file; then every comparison that is not
    reconciled, within a report and between two documents."""
    with duckdb.connect(str(published_database), read_only=True) as connection:
        rows = connection.execute(
            "select programme_id, period, associations, associations_qualifier, projects,"
            " projects_qualifier, amount_mad_published, amount_mad_qualifier,"
            " amount_mad_from_domains"
            " from marts.mart_year_summary order by programme_id, start_year, end_year"
        ).fetchall()
        gaps = connection.execute(
            "select programme_id, period, measure, 'domain rows', summed_value, published_value,"
            " difference, status from marts.mart_reconciliation where status <> 'reconciled'"
            " union all"
            " select programme_id, period, measure, source_document, stated_value,"
            " reference_value, difference, status from marts.mart_document_reconciliation"
            " where status <> 'reconciled'"
            " order by 1, 2, 3, 4"
        ).fetchall()
    lines = []
    programme = None
    for programme_id, period, *figures, from_domains in rows:
        if programme_id != programme:
            programme = programme_id
            lines += [f"programme {programme_id}", SUMMARY_HEADER]
        associations, projects, amount = (
            format_stated(figures[index], figures[index + 1]) for index in (0, 2, 4)
        )
        lines.append(
            f"{period:<10} {associations:>12} {projects:>9} {amount:>14}"
            f" {format_mad(from_domains):>18}"
        )
    for programme_id, period, measure, observed, summed, published, difference, status in gaps:
        lines.append(
            f"{status}: {programme_id} {period} {measure}: {observed} {format_mad(summed)}"
            f" vs published {format_mad(published)} (difference {format_mad(difference)})"
        )
    return lines
