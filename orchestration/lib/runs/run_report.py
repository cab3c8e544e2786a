"""What the refresh command says after a successful run: the published figures per programme
and period, and every comparison that is not reconciled (failures: failure_report.py)."""

from pathlib import Path

import duckdb

from orchestration.lib.formatting import format_mad, format_stated

SUMMARY_HEADER = (
    f"{'period':<10} {'associations':>12} {'projects':>9} {'amount (MAD)':>14}"
    f" {'domain rows (MAD)':>18}"
)


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
