"""The suites: for each check, the mart it is on, the query it reads, what it expects and how
its outcome reads. The one list of checks, `SUITE_CHECKS`."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orchestration.lib.reconciliation import outcomes
from orchestration.lib.reconciliation.gx import validate

if TYPE_CHECKING:
    import duckdb
    from great_expectations.data_context import AbstractDataContext

# Shares are doubles: their sum may differ from 1 by rounding, never by more than this.
SHARE_SUM_TOLERANCE = 1e-9
RECONCILED_MEASURES = ("projects", "amount_mad")


@dataclass(frozen=True)
class SuiteCheck:
    """One blocking check: its name, the mart it is on, and how it reads and validates."""

    name: str
    mart: str
    description: str
    query: str
    expectations: Callable[[], list[Any]]
    summarize: outcomes.Summarize
    parameters: tuple[Any, ...] = ()
    # The columns that name a row a failed expectation found (in its result and the Data Docs).
    index_columns: tuple[str, ...] = ()

    def evaluate(
        self, connection: "duckdb.DuckDBPyConnection", context: "AbstractDataContext"
    ) -> outcomes.CheckOutcome:
        frame = connection.execute(self.query, list(self.parameters)).df()
        validation = validate(self.name, frame, self.expectations(), context, self.index_columns)
        return self.summarize(frame, validation)


def reconciliation_expectations() -> list[Any]:
    """Every comparison may be published (its status, decided by dbt's reconciliation_status
    macro, is reconciled, within the stated precision or a known discrepancy); the text's exact
    total equals the table's total row where the report prints both; no figure is negative."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    return [
        gxe.ExpectColumnValuesToNotBeNull(column="status"),
        gxe.ExpectColumnValuesToBeInSet(
            column="status", value_set=list(outcomes.PUBLISHABLE_STATUSES)
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="exact_published_value",
            column_B="table_total_value",
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnValuesToBeBetween(column="published_value", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="summed_value", min_value=0),
        # Not a failure (severity info): it lists each registered gap observed, for a reviewer
        # reading the Data Docs; the check's WARN comes from the same rows.
        gxe.ExpectColumnValuesToBeInSet(
            column="status",
            value_set=[outcomes.RECONCILED, outcomes.WITHIN_STATED_PRECISION],
            severity=FailureSeverity.INFO,
            description=(
                "Registered gaps: each comparison whose status is known_discrepancy, a gap the"
                " register of known discrepancies records and the figures show exactly (a WARN,"
                " not blocking)"
            ),
        ),
    ]


def share_total_expectations() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=1 - SHARE_SUM_TOLERANCE, max_value=1 + SHARE_SUM_TOLERANCE
        )
        for column in ("share_of_projects_total", "share_of_amount_total")
    ]


def year_summary_expectations() -> list[Any]:
    import great_expectations.expectations as gxe

    # One row per period is dbt's test (unique, not_null on period), not repeated here.
    return [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="projects",
            column_B="associations",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        *[
            gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0)
            for column in ("associations", "projects", "amount_mad_published")
        ],
    ]


# An approximate total ("of the order of") is not compared with a table's exact total row for
# equality: its bounds are, through the status.
def exact_value(column: str) -> str:
    """`column` where its bounds are itself (an exact figure), else null: exact_published_value."""
    return (
        f"case when lower_bound = {column} and upper_bound = {column}"
        f" then {column} end as exact_published_value"
    )


RECONCILIATION_QUERY = f"""
    select programme_id, period, published_value, {exact_value("published_value")},
        table_total_value, summed_value, difference, registered_difference, status
    from marts.mart_reconciliation
    where measure = ?
    order by programme_id, period
"""

LEDGER_RECONCILIATION_QUERY = f"""
    select programme_id, period, level, domain_code, measure, published_value,
        {exact_value("published_value")}, cast(null as bigint) as table_total_value, summed_value,
        difference, registered_difference, status
    from marts.mart_ledger_reconciliation
    order by programme_id, period, level, domain_code, measure
"""

DOCUMENT_RECONCILIATION_QUERY = f"""
    select programme_id, period, 'document_vs_document' as level, source_document as domain_code,
        measure, reference_value as published_value,
        {exact_value("reference_value")},
        cast(null as bigint) as table_total_value, stated_value as summed_value, difference,
        registered_difference, status
    from marts.mart_document_reconciliation
    order by programme_id, period, measure, source_document
"""


# What names one comparison of a reconciliation over several levels (domain_code holds the other
# document for document_vs_document).
LEVEL_COLUMNS = ("programme_id", "period", "level", "domain_code", "measure")


def headline_check(measure: str) -> SuiteCheck:
    return SuiteCheck(
        name=f"{measure}_reconcile_with_register",
        mart="mart_reconciliation",
        description=(
            f"Per programme and period, the printed domain rows' {measure} sum to the total the"
            " period's document states plus the registered difference, exactly for an exact"
            " total and within its stated precision for an approximate one; the text's exact"
            " total equals the table's total row. WARN when a registered gap is observed"
            " exactly; ERROR for any other difference."
        ),
        query=RECONCILIATION_QUERY,
        parameters=(measure,),
        index_columns=("programme_id", "period"),
        expectations=reconciliation_expectations,
        summarize=outcomes.headline_reconciliation(measure),
    )


SUITE_CHECKS = (
    *[headline_check(measure) for measure in RECONCILED_MEASURES],
    SuiteCheck(
        name="agreements_reconcile_with_report",
        mart="mart_ledger_reconciliation",
        description=(
            "For each programme period with a register of grant agreements: per domain, the"
            " agreements' count and sum equal the printed domain row; per period, their count,"
            " sum and distinct associations equal the figures the period's document states;"
            " exactly (within the stated precision for an approximate figure), up to the"
            " registered differences. WARN when a registered gap is observed exactly; ERROR for"
            " any other difference."
        ),
        query=LEDGER_RECONCILIATION_QUERY,
        expectations=reconciliation_expectations,
        index_columns=LEVEL_COLUMNS,
        summarize=outcomes.ledger_reconciliation,
    ),
    SuiteCheck(
        name="documents_agree",
        mart="mart_document_reconciliation",
        description=(
            "Where two documents state a figure for the same programme, period and measure,"
            " each other document's figure agrees with the period's own document's: equal for"
            " two exact figures, overlapping ranges where one is approximate; up to the"
            " registered disagreements. WARN when a registered disagreement is observed"
            " exactly; ERROR for any other."
        ),
        query=DOCUMENT_RECONCILIATION_QUERY,
        expectations=reconciliation_expectations,
        index_columns=LEVEL_COLUMNS,
        summarize=outcomes.document_reconciliation,
    ),
    SuiteCheck(
        name="shares_sum_to_one",
        mart="mart_domain_year",
        description=(
            "Within each programme period, the domains' shares of projects and of money sum to"
            f" 1 (±{SHARE_SUM_TOLERANCE:g})."
        ),
        query=(
            "select programme_id, period, sum(share_of_projects) as share_of_projects_total,"
            " sum(share_of_amount) as share_of_amount_total"
            " from marts.mart_domain_year group by programme_id, period"
            " order by programme_id, period"
        ),
        expectations=share_total_expectations,
        summarize=outcomes.quality,
    ),
    SuiteCheck(
        name="associations_at_most_projects",
        mart="mart_year_summary",
        description=(
            "Associations ≤ projects (each association carries at least one project); counts"
            " and amounts non-negative."
        ),
        query="select * from marts.mart_year_summary",
        expectations=year_summary_expectations,
        summarize=outcomes.quality,
    ),
)
