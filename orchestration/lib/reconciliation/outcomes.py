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
KNOWN_DISCREPANCY = "known_discrepancy"
PUBLISHABLE_STATUSES = (RECONCILED, KNOWN_DISCREPANCY)

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
    difference and status per period."""

    def summarize(frame: "pd.DataFrame", validation: Validation) -> CheckOutcome:
        passed, severity = reconciliation_severity(frame, validation)
        metadata: dict[str, Any] = {}
        for row in frame.itertuples():
            metadata[f"{row.period} observed_value (sum of rows)"] = integer(row.summed_value)
            metadata[f"{row.period} expected_value (published)"] = integer(row.published_value)
            metadata[f"{row.period} difference"] = integer(row.difference)
            metadata[f"{row.period} registered_difference"] = integer(row.registered_difference)
            metadata[f"{row.period} status"] = row.status
        summary = "; ".join(
            f"{row.period}: rows {integer(row.summed_value)} vs published "
            f"{integer(row.published_value)} (difference {integer(row.difference)}, "
            f"registered {integer(row.registered_difference)}) → {row.status}"
            for row in frame.itertuples()
        )
        metadata["summary"] = f"{measure}: {summary}"
        return CheckOutcome(passed, severity, metadata, validation.failures)

    return summarize


def ledger_reconciliation(frame: "pd.DataFrame", validation: Validation) -> CheckOutcome:
    """The outcome of the register's reconciliation at its two levels: every comparison that is
    not reconciled, with its observed and published values and difference."""
    passed, severity = reconciliation_severity(frame, validation)
    gaps = [
        f"{row.period} {row.level}"
        + (f" {row.domain_code}" if isinstance(row.domain_code, str) else "")
        + f" {row.measure}: agreements {integer(row.summed_value)} vs published"
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
        + (f" ({', '.join(periods)})" if periods else " (no register of agreements loaded)")
    )
    metadata: dict[str, Any] = {
        "summary": summary,
        "comparisons": len(frame),
        "not_reconciled": len(gaps),
        "periods_with_agreements": ", ".join(periods),
    }
    return CheckOutcome(passed, severity, metadata, validation.failures)


def quality(frame: "pd.DataFrame", validation: Validation) -> CheckOutcome:
    """The outcome of a data-quality suite: ERROR when it failed."""
    metadata: dict[str, Any] = {"rows_checked": len(frame)}
    return CheckOutcome(validation.success, "ERROR", metadata, validation.failures)


def integer(value: Any) -> int | None:
    """A count or an amount from a query result (None where it is missing)."""
    import pandas as pd

    return None if pd.isna(value) else int(value)
