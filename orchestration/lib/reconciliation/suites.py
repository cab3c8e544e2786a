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

    def evaluate(
        self, connection: "duckdb.DuckDBPyConnection", context: "AbstractDataContext"
    ) -> outcomes.CheckOutcome:
        frame = connection.execute(self.query, list(self.parameters)).df()
        return self.summarize(frame, validate(self.name, frame, self.expectations(), context))


def reconciliation_expectations() -> list[Any]:
    """Every comparison may be published (its status, decided by dbt's reconciliation_status
    macro, is reconciled or a known discrepancy); the text's total equals the table's total row
    where the report prints both; no figure is negative."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(column="status"),
        gxe.ExpectColumnValuesToBeInSet(
            column="status", value_set=list(outcomes.PUBLISHABLE_STATUSES)
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="published_value",
            column_B="table_total_value",
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnValuesToBeBetween(column="published_value", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="summed_value", min_value=0),
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


RECONCILIATION_QUERY = """
    select period, published_value, table_total_value, summed_value, difference,
        registered_difference, status
    from marts.mart_reconciliation
    where measure = ?
    order by period
"""

LEDGER_RECONCILIATION_QUERY = """
    select period, level, domain_code, measure, published_value,
        cast(null as bigint) as table_total_value, summed_value, difference,
        registered_difference, status
    from marts.mart_ledger_reconciliation
    order by period, level, domain_code, measure
"""


def headline_check(measure: str) -> SuiteCheck:
    return SuiteCheck(
        name=f"{measure}_reconcile_with_register",
        mart="mart_reconciliation",
        description=(
            f"Per period, the printed domain rows' {measure} sum to the published total plus the"
            " registered difference, exactly; the text's total equals the table's total row. WARN"
            " when a registered gap is observed exactly; ERROR for any other difference."
        ),
        query=RECONCILIATION_QUERY,
        parameters=(measure,),
        expectations=reconciliation_expectations,
        summarize=outcomes.headline_reconciliation(measure),
    )


SUITE_CHECKS = (
    *[headline_check(measure) for measure in RECONCILED_MEASURES],
    SuiteCheck(
        name="agreements_reconcile_with_report",
        mart="mart_ledger_reconciliation",
        description=(
            "For each period with a register of grant agreements: per domain, the agreements'"
            " count and sum equal the printed domain row; per period, their count, sum and"
            " distinct associations equal the totals the text states; exactly, up to the"
            " registered differences. WARN when a registered gap is observed exactly; ERROR for"
            " any other difference."
        ),
        query=LEDGER_RECONCILIATION_QUERY,
        expectations=reconciliation_expectations,
        summarize=outcomes.ledger_reconciliation,
    ),
    SuiteCheck(
        name="shares_sum_to_one",
        mart="mart_domain_year",
        description=(
            "Within each period, the domains' shares of projects and of money sum to 1"
            f" (±{SHARE_SUM_TOLERANCE:g})."
        ),
        query=(
            "select period, sum(share_of_projects) as share_of_projects_total,"
            " sum(share_of_amount) as share_of_amount_total"
            " from marts.mart_domain_year group by period order by period"
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
