"""Reconciliation and data-quality checks: Great Expectations suites run as blocking Dagster
asset checks on the marts, before anything is published.

Each check reads a query result from the working DuckDB file over a read-only connection and
validates it as a pandas batch in an ephemeral GX context (no `gx/` folder; GX's SQL data source
does not support DuckDB). A check that fails with ERROR severity blocks `publish/grants_duckdb`,
so the last good published file stays in place.

The register of known discrepancies is compared exactly and in both directions: a reconciliation
check passes only when every observed difference equals the registered one (0 where nothing is
registered). A registered gap that is observed exactly is reported as a WARN (yellow in the UI,
not blocking), so it stays visible; an unregistered, changed or vanished gap is an ERROR.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import dagster as dg
import duckdb

from orchestration.lib.conventions import DUCKDB_WRITER_POOL
from orchestration.lib.warehouse import WarehouseResource

if TYPE_CHECKING:  # pandas loads with Great Expectations, when a check runs
    import pandas as pd

MART_RECONCILIATION = dg.AssetKey(["marts", "mart_reconciliation"])
MART_DOMAIN_YEAR = dg.AssetKey(["marts", "mart_domain_year"])
MART_YEAR_SUMMARY = dg.AssetKey(["marts", "mart_year_summary"])
MART_LEDGER_RECONCILIATION = dg.AssetKey(["marts", "mart_ledger_reconciliation"])
# Shares are doubles: their sum may differ from 1 by rounding, never by more than this.
SHARE_SUM_TOLERANCE = 1e-9
RECONCILED_MEASURES = ("projects", "amount_mad")


@dataclass(frozen=True)
class Validation:
    """The outcome of one GX suite: success, and one line per failed expectation."""

    success: bool
    failures: tuple[str, ...]


def gx_context():
    """An ephemeral Great Expectations context (no `gx/` folder), without progress bars."""
    import great_expectations as gx  # heavy import: only when a check runs
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate(
    name: str, frame: "pd.DataFrame", expectations: Sequence[Any], context=None
) -> Validation:
    """Validate `frame` against `expectations` with Great Expectations."""
    import great_expectations as gx

    context = context or gx_context()
    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": frame})
    )
    suite = gx.ExpectationSuite(name=name, expectations=list(expectations))
    result = batch.validate(suite, result_format="COMPLETE")
    failures = tuple(
        _describe_failure(outcome) for outcome in result.results if not outcome.success
    )
    return Validation(success=bool(result.success), failures=failures)


def _describe_failure(outcome) -> str:
    config = outcome.expectation_config
    arguments = {
        key: value
        for key, value in config.kwargs.items()
        if key in {"column", "column_A", "column_B", "column_list", "min_value", "max_value"}
    }
    detail = outcome.result.get("unexpected_list") or outcome.result.get("observed_value")
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        detail = outcome.exception_info.get("exception_message")
    return f"{config.type} {arguments}: unexpected {_plain(detail)}"


def _plain(value: Any) -> Any:
    """numpy scalars and tuples as plain Python values, for messages and metadata."""
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    return value.item() if hasattr(value, "item") else value


# --- reconciliation against the published totals and the register -------------------------


def reconciliation_expectations() -> list[Any]:
    """Per period, for one measure: the printed rows sum to the published total plus the
    registered difference (exactly, both ways); the register's figures are the observed ones;
    the text's total equals the table's total row; no value is negative."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(column="difference"),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="difference", column_B="expected_difference"),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="published_value",
            column_B="registered_published_value",
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="summed_value",
            column_B="registered_summed_value",
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="published_value",
            column_B="table_total_value",
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnValuesToBeBetween(column="published_value", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="summed_value", min_value=0),
    ]


RECONCILIATION_QUERY = """
    select period, published_value, table_total_value, summed_value, difference,
        registered_published_value, registered_summed_value, registered_difference,
        coalesce(registered_difference, 0) as expected_difference, status
    from marts.mart_reconciliation
    where measure = ?
    order by period
"""


def reconciliation_outcome(
    frame: "pd.DataFrame", validation: Validation
) -> tuple[bool, dg.AssetCheckSeverity]:
    """ERROR when GX failed; WARN when it passed and a registered gap was observed exactly (so
    the gap stays visible); a pass otherwise."""
    if not validation.success:
        return False, dg.AssetCheckSeverity.ERROR
    if (frame["registered_difference"].fillna(0) != 0).any():
        return False, dg.AssetCheckSeverity.WARN
    return True, dg.AssetCheckSeverity.ERROR


def reconciliation_result(
    measure: str, frame: "pd.DataFrame", validation: Validation
) -> dg.AssetCheckResult:
    """The check's result (see reconciliation_outcome); observed, expected and difference per
    period are in the metadata."""
    passed, severity = reconciliation_outcome(frame, validation)
    metadata: dict[str, Any] = {}
    for row in frame.itertuples():
        metadata[f"{row.period} observed_value (sum of rows)"] = _integer(row.summed_value)
        metadata[f"{row.period} expected_value (published)"] = _integer(row.published_value)
        metadata[f"{row.period} difference"] = _integer(row.difference)
        metadata[f"{row.period} registered_difference"] = _integer(row.registered_difference)
        metadata[f"{row.period} status"] = row.status
    if validation.failures:
        metadata["failures"] = dg.MetadataValue.md(
            "\n".join(f"- {failure}" for failure in validation.failures)
        )
    summary = "; ".join(
        f"{row.period}: rows {_integer(row.summed_value)} vs published "
        f"{_integer(row.published_value)} (difference {_integer(row.difference)}, "
        f"registered {_integer(row.registered_difference)}) → {row.status}"
        for row in frame.itertuples()
    )
    metadata["summary"] = f"{measure}: {summary}"
    return dg.AssetCheckResult(passed=passed, severity=severity, metadata=metadata)


def _integer(value: Any) -> int | None:
    import pandas as pd

    return None if pd.isna(value) else int(value)


@dataclass(frozen=True)
class GXCheck:
    """One blocking check: its spec, and how it reads the working file and validates."""

    spec: dg.AssetCheckSpec
    evaluate: Callable[[duckdb.DuckDBPyConnection, Any], dg.AssetCheckResult]


def reconciliation_check(measure: str) -> GXCheck:
    def evaluate(connection: duckdb.DuckDBPyConnection, context) -> dg.AssetCheckResult:
        frame = connection.execute(RECONCILIATION_QUERY, [measure]).df()
        suite = reconciliation_expectations()
        validation = validate(f"{measure}_reconciliation", frame, suite, context)
        return reconciliation_result(measure, frame, validation)

    spec = dg.AssetCheckSpec(
        name=f"{measure}_reconcile_with_register",
        asset=MART_RECONCILIATION,
        blocking=True,
        description=(
            f"Per period, the printed domain rows' {measure} sum to the published total plus the"
            " registered difference, exactly; the text's total equals the table's total row. WARN"
            " when a registered gap is observed exactly; ERROR for any other difference."
        ),
    )
    return GXCheck(spec, evaluate)


LEDGER_RECONCILIATION_QUERY = """
    select period, level, domain_code, measure, published_value,
        cast(null as bigint) as table_total_value, summed_value, difference,
        registered_published_value, registered_summed_value, registered_difference,
        coalesce(registered_difference, 0) as expected_difference, status
    from marts.mart_ledger_reconciliation
    order by period, level, domain_code, measure
"""


def ledger_reconciliation_result(
    frame: "pd.DataFrame", validation: Validation
) -> dg.AssetCheckResult:
    """As reconciliation_result, for the agreements' two levels: every comparison that is not
    reconciled is listed with its observed and published values and difference."""
    passed, severity = reconciliation_outcome(frame, validation)
    gaps = [
        f"{row.period} {row.level}"
        + (f" {row.domain_code}" if isinstance(row.domain_code, str) else "")
        + f" {row.measure}: agreements {_integer(row.summed_value)} vs published"
        f" {_integer(row.published_value)} (difference {_integer(row.difference)}, registered"
        f" {_integer(row.registered_difference)}) → {row.status}"
        for row in frame.itertuples()
        if row.status != "reconciled"
    ]
    periods = sorted(set(frame["period"]))
    summary = (
        "; ".join(gaps)
        if gaps
        else f"{len(frame)} comparisons reconciled"
        + (f" ({', '.join(periods)})" if periods else " (no register of agreements loaded)")
    )
    metadata: dict[str, Any] = {
        "summary": summary,
        "comparisons": len(frame),
        "not_reconciled": len(gaps),
        "periods_with_agreements": ", ".join(periods),
    }
    if validation.failures:
        metadata["failures"] = dg.MetadataValue.md(
            "\n".join(f"- {failure}" for failure in validation.failures)
        )
    return dg.AssetCheckResult(passed=passed, severity=severity, metadata=metadata)


def ledger_reconciliation_check() -> GXCheck:
    def evaluate(connection: duckdb.DuckDBPyConnection, context) -> dg.AssetCheckResult:
        frame = connection.execute(LEDGER_RECONCILIATION_QUERY).df()
        validation = validate(
            "agreements_reconciliation", frame, reconciliation_expectations(), context
        )
        return ledger_reconciliation_result(frame, validation)

    spec = dg.AssetCheckSpec(
        name="agreements_reconcile_with_report",
        asset=MART_LEDGER_RECONCILIATION,
        blocking=True,
        description=(
            "For each period with a register of grant agreements: per domain, the agreements'"
            " count and sum equal the printed domain row; per period, their count, sum and"
            " distinct associations equal the totals the text states; exactly, up to the"
            " registered differences. WARN when a registered gap is observed exactly; ERROR for"
            " any other difference."
        ),
    )
    return GXCheck(spec, evaluate)


# --- data quality of the published marts ----------------------------------------------------


def domain_row_expectations(known_domains: Sequence[str]) -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["period", "domain_code"]),
        gxe.ExpectColumnValuesToNotBeNull(column="period"),
        gxe.ExpectColumnValuesToNotBeNull(column="domain_code"),
        gxe.ExpectColumnValuesToBeInSet(column="domain_code", value_set=list(known_domains)),
        *[
            expectation
            for column in ("projects", "amount_mad")
            for expectation in (
                gxe.ExpectColumnValuesToNotBeNull(column=column),
                gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0),
                gxe.ExpectColumnValuesToBeInTypeList(column=column, type_list=["int64", "Int64"]),
            )
        ],
        gxe.ExpectColumnValuesToBeBetween(column="share_of_projects", min_value=0, max_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="share_of_amount", min_value=0, max_value=1),
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

    return [
        gxe.ExpectColumnValuesToBeUnique(column="period"),
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


def quality_result(validation: Validation, frame: "pd.DataFrame") -> dg.AssetCheckResult:
    metadata: dict[str, Any] = {"rows_checked": len(frame)}
    if validation.failures:
        metadata["failures"] = dg.MetadataValue.md(
            "\n".join(f"- {failure}" for failure in validation.failures)
        )
    return dg.AssetCheckResult(
        passed=validation.success, severity=dg.AssetCheckSeverity.ERROR, metadata=metadata
    )


def quality_check(
    asset: dg.AssetKey,
    name: str,
    description: str,
    query: str,
    expectations: Callable[[duckdb.DuckDBPyConnection], list[Any]],
) -> GXCheck:
    """A blocking check that validates `query`'s result against `expectations(connection)`."""

    def evaluate(connection: duckdb.DuckDBPyConnection, context) -> dg.AssetCheckResult:
        frame = connection.execute(query).df()
        validation = validate(name, frame, expectations(connection), context)
        return quality_result(validation, frame)

    spec = dg.AssetCheckSpec(name=name, asset=asset, blocking=True, description=description)
    return GXCheck(spec, evaluate)


def _known_domains(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0] for row in connection.execute("select domain_code from marts.dim_domain").fetchall()
    ]


GX_CHECKS = [
    *[reconciliation_check(measure) for measure in RECONCILED_MEASURES],
    ledger_reconciliation_check(),
    quality_check(
        MART_DOMAIN_YEAR,
        "domain_rows_are_well_formed",
        "(period, domain) unique; every domain known (dim_domain); projects and amounts"
        " non-negative integers; shares between 0 and 1.",
        "select * from marts.mart_domain_year",
        lambda connection: domain_row_expectations(_known_domains(connection)),
    ),
    quality_check(
        MART_DOMAIN_YEAR,
        "shares_sum_to_one",
        f"Within each period, the domains' shares of projects and of money sum to 1"
        f" (±{SHARE_SUM_TOLERANCE:g}).",
        "select period, sum(share_of_projects) as share_of_projects_total,"
        " sum(share_of_amount) as share_of_amount_total"
        " from marts.mart_domain_year group by period order by period",
        lambda connection: share_total_expectations(),
    ),
    quality_check(
        MART_YEAR_SUMMARY,
        "associations_at_most_projects",
        "One row per period; associations ≤ projects (each association carries at least one"
        " project); counts and amounts non-negative.",
        "select * from marts.mart_year_summary",
        lambda connection: year_summary_expectations(),
    ),
]


@dg.multi_asset_check(
    specs=[check.spec for check in GX_CHECKS],
    name="gx_checks",
    can_subset=True,
    # It reads the working file, so it must not run while a step writes it.
    pool=DUCKDB_WRITER_POOL,
    description="The Great Expectations suites, in one step: one read-only connection and one"
    " GX context for all of them.",
)
def gx_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    selected = [check for check in GX_CHECKS if check.spec.key in context.selected_asset_check_keys]
    gx = gx_context()
    with duckdb.connect(str(warehouse.settings.build_database), read_only=True) as connection:
        for check in selected:
            result = check.evaluate(connection, gx)
            yield dg.AssetCheckResult(
                asset_key=check.spec.asset_key,
                check_name=check.spec.name,
                passed=result.passed,
                severity=result.severity,
                metadata=result.metadata,
            )
