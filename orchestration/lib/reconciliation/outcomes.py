"""How a suite's result reads: passed or not, how severe, and the figures behind it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from orchestration.lib.reconciliation.gx import Validation

if TYPE_CHECKING:
    import pandas as pd

# The statuses the `reconciliation_status` macro gives a comparison that may be published; any
# other (`unexplained`) blocks publishing.
RECONCILED = "reconciled"
WITHIN_STATED_PRECISION = "within_stated_precision"
KNOWN_DISCREPANCY = "known_discrepancy"
PUBLISHABLE_STATUSES = (RECONCILED, WITHIN_STATED_PRECISION, KNOWN_DISCREPANCY)

Severity = Literal["ERROR", "WARN"]


@dataclass(frozen=True)
class CheckOutcome:
    """What one check concluded: `passed`, the severity of a failure, metadata to show, and one
    line per failed expectation."""

    passed: bool
    severity: Severity
    metadata: dict[str, Any]
    failures: tuple[str, ...] = field(default=())


Summarize = Callable[["pd.DataFrame", Validation], CheckOutcome]


def reconciliation_severity(frame: "pd.DataFrame", validation: Validation) -> tuple[bool, Severity]:
    """ERROR when the suite failed; WARN when it passed and a comparison is a known discrepancy
    (so the registered gap stays visible, yellow in the UI); a pass otherwise."""
    if not validation.success:
        return False, "ERROR"
    if (frame["status"] == KNOWN_DISCREPANCY).any():
        return False, "WARN"
    return True, "ERROR"


def headline_reconciliation(measure: str) -> Summarize:
    """The outcome of one measure's reconciliation: observed, published, difference, registered
    difference and status per programme period (keys `<programme_id> <period> ...`)."""

    def summarize(frame: "pd.DataFrame", validation: Validation) -> CheckOutcome:
        passed, severity = reconciliation_severity(frame, validation)
        metadata: dict[str, Any] = {}
        for row in frame.itertuples():
            key = f"{row.programme_id} {row.period}"
            metadata[f"{key} observed_value (sum of rows)"] = integer(row.summed_value)
            metadata[f"{key} expected_value (published)"] = integer(row.published_value)
            metadata[f"{key} difference"] = integer(row.difference)
            metadata[f"{key} registered_difference"] = integer(row.registered_difference)
            metadata[f"{key} status"] = row.status
        summary = "; ".join(
            f"{row.programme_id} {row.period}: rows {integer(row.summed_value)} vs published "
            f"{integer(row.published_value)} (difference {integer(row.difference)}, "
            f"registered {integer(row.registered_difference)}) → {row.status}"
            for row in frame.itertuples()
        )
        metadata["summary"] = f"{measure}: {summary}"
        return CheckOutcome(passed, severity, metadata, validation.failures)

    return summarize


def levels_reconciliation(observed: str, compared: str, nothing_to_compare: str) -> Summarize:
    """The outcome of a reconciliation over several levels: every comparison that is not
    reconciled, with its `observed` figure (e.g. "agreements"), the published one and their
    difference; `domain_code` holds the domain, or the other document for document_vs_document.
    `compared` names the periods compared in the metadata; `nothing_to_compare` says why a
    reconciliation with no rows has none."""

    def summarize(frame: "pd.DataFrame", validation: Validation) -> CheckOutcome:
        passed, severity = reconciliation_severity(frame, validation)
        gaps = [
            f"{row.programme_id} {row.period} {row.level}"
            + (f" {row.domain_code}" if isinstance(row.domain_code, str) else "")
            + f" {row.measure}: {observed} {integer(row.summed_value)} vs published"
            f" {integer(row.published_value)} (difference {integer(row.difference)}, registered"
            f" {integer(row.registered_difference)}) → {row.status}"
            for row in frame.itertuples()
            if row.status != RECONCILED
        ]
        periods = sorted(set(frame["period"]))
        summary = (
            "; ".join(gaps)
            if gaps
            else f"{len(frame)} comparisons reconciled"
            + (f" ({', '.join(periods)})" if periods else f" ({nothing_to_compare})")
        )
        metadata: dict[str, Any] = {
            "summary": summary,
            "comparisons": len(frame),
            "not_reconciled": len(gaps),
            compared: ", ".join(periods),
        }
        return CheckOutcome(passed, severity, metadata, validation.failures)

    return summarize


ledger_reconciliation = levels_reconciliation(
    "agreements", "periods_with_agreements", "no register of agreements loaded"
)
document_reconciliation = levels_reconciliation(
    "other document", "periods_stated_by_two_documents", "no figure is stated by two documents"
)


def quality(frame: "pd.DataFrame", validation: Validation) -> CheckOutcome:
    """The outcome of a data-quality suite: ERROR when it failed."""
    metadata: dict[str, Any] = {"rows_checked": len(frame)}
    return CheckOutcome(validation.success, "ERROR", metadata, validation.failures)


def integer(value: Any) -> int | None:
    """A count or an amount from a query result (None where it is missing)."""
    import pandas as pd

    return None if pd.isna(value) else int(value)
