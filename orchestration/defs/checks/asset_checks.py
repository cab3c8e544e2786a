"""The Great Expectations suites (lib/reconciliation) as blocking Dagster asset checks on the
marts, run in one step before anything is published: a check that fails with ERROR severity
blocks `publish/grants_duckdb`, so the last good published file stays in place. A registered gap
observed exactly is a WARN: yellow in the UI, not blocking, always visible."""

import dagster as dg
import duckdb

from orchestration.lib.conventions import DUCKDB_WRITER_POOL
from orchestration.lib.reconciliation.data_docs import CheckSummary, write_validation_report
from orchestration.lib.reconciliation.gx import gx_context
from orchestration.lib.reconciliation.outcomes import CheckOutcome
from orchestration.lib.reconciliation.suites import SUITE_CHECKS, SuiteCheck
from orchestration.lib.warehouse import WarehouseResource


def check_spec(check: SuiteCheck) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=check.name,
        asset=dg.AssetKey(["marts", check.mart]),
        blocking=True,
        description=check.description,
    )


SPECS = {check.name: check_spec(check) for check in SUITE_CHECKS}


def check_result(check: SuiteCheck, outcome: CheckOutcome) -> dg.AssetCheckResult:
    metadata = dict(outcome.metadata)
    if outcome.failures:
        metadata["failures"] = dg.MetadataValue.md(
            "\n".join(f"- {failure}" for failure in outcome.failures)
        )
    return dg.AssetCheckResult(
        asset_key=SPECS[check.name].asset_key,
        check_name=check.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity(outcome.severity),
        metadata=metadata,
    )


@dg.multi_asset_check(
    specs=list(SPECS.values()),
    name="gx_checks",
    can_subset=True,
    # It reads the working file, so it must not run while a step writes it.
    pool=DUCKDB_WRITER_POOL,
    description="The Great Expectations suites, in one step: one read-only connection and one"
    " GX context for all of them.",
)
def gx_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    selected = [
        check
        for check in SUITE_CHECKS
        if SPECS[check.name].key in context.selected_asset_check_keys
    ]
    gx = gx_context()
    summaries = []
    with duckdb.connect(str(warehouse.settings.build_database), read_only=True) as connection:
        for check in selected:
            outcome = check.evaluate(connection, gx)
            summaries.append(check_summary(check, outcome))
            yield check_result(check, outcome)
    report = write_validation_report(gx, summaries, warehouse.settings.validation_report_dir)
    context.log.info(f"validation report (Great Expectations Data Docs): {report}")


def check_summary(check: SuiteCheck, outcome: CheckOutcome) -> CheckSummary:
    """The check's outcome in the words of the UI: PASSED, WARN or ERROR, and what it found."""
    label = "PASSED" if outcome.passed else outcome.severity
    summary = outcome.metadata.get("summary") or "; ".join(outcome.failures)
    if not summary:
        summary = f"{outcome.metadata.get('rows_checked', 0)} rows checked"
    return CheckSummary(check.name, check.mart, label, str(summary))
