"""How a reconciliation suite's result reads (orchestration/lib/reconciliation/outcomes.py): the
status column decided by dbt's reconciliation_status macro is read, never decided again."""

import pandas as pd

from orchestration.lib.reconciliation.gx import Validation
from orchestration.lib.reconciliation.outcomes import (
    headline_reconciliation,
    reconciliation_severity,
)

PASSED = Validation(success=True, failures=())
FAILED = Validation(
    success=False, failures=("expect_column_values_to_be_in_set: unexpected ['unexplained']",)
)


def frame(*statuses: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "programme_id": ["migrant_integration_partnership"] * len(statuses),
            "period": ["2017", "2018"][: len(statuses)],
            "published_value": [6_991_500, 1_899_500][: len(statuses)],
            "summed_value": [6_990_500, 1_899_500][: len(statuses)],
            "difference": [-1_000, 0][: len(statuses)],
            "registered_difference": [-1_000, None][: len(statuses)],
            "status": list(statuses),
        }
    )


def test_a_known_discrepancy_warns_and_reconciled_figures_pass():
    assert reconciliation_severity(frame("known_discrepancy", "reconciled"), PASSED) == (
        False,
        "WARN",
    )
    assert reconciliation_severity(frame("reconciled", "reconciled"), PASSED) == (True, "ERROR")


def test_a_failed_suite_is_an_error_whatever_the_statuses():
    assert reconciliation_severity(frame("known_discrepancy", "reconciled"), FAILED) == (
        False,
        "ERROR",
    )


def test_the_outcome_names_each_period_with_its_figures():
    outcome = headline_reconciliation("amount_mad")(
        frame("known_discrepancy", "reconciled"), PASSED
    )
    assert outcome.metadata["migrant_integration_partnership 2017 difference"] == -1_000
    assert outcome.metadata["migrant_integration_partnership 2018 registered_difference"] is None
    assert outcome.metadata["summary"] == (
        "amount_mad: migrant_integration_partnership 2017: rows 6990500 vs published 6991500"
        " (difference -1000, registered -1000) → known_discrepancy;"
        " migrant_integration_partnership 2018: rows 1899500 vs published 1899500 (difference 0,"
        " registered None) → reconciled"
    )
    assert (outcome.passed, outcome.severity, outcome.failures) == (False, "WARN", ())
