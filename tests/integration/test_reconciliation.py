"""The reconciliation checks: the register of known gaps is compared exactly, both ways."""

import dagster as dg
import pytest

from tests.conftest import CHECKS_LINE, query
from tests.integration.workspace import (
    Workspace,
    check_evaluations,
    failed_error_checks,
    materialized,
)

# One worker runs this module, so its workspace is built once.
pytestmark = pytest.mark.xdist_group("reconciliation")

AMOUNT_CHECK = "marts/mart_reconciliation:amount_mad_reconcile_with_register"
PROJECTS_CHECK = "marts/mart_reconciliation:projects_reconcile_with_register"
REGISTER = "known_discrepancies.csv"
PROGRAMME = "migrant_integration_partnership"


@pytest.fixture(scope="session")  # survives other modules' tests interleaved on this worker
def workspace(tmp_path_factory):
    """A warehouse refreshed once from the real seeds; each test edits seeds and restores them."""
    workspace = Workspace(tmp_path_factory.mktemp("reconciliation"))
    first = workspace.run()
    assert first.success
    workspace.first_result = first
    yield workspace


@pytest.fixture
def clean(workspace):
    yield workspace
    workspace.restore_seeds()


def test_mart_reconciliation_shows_the_2017_gap_exactly(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select period, measure, published_value, table_total_value, summed_value, difference,"
        " registered_difference, status from marts.mart_reconciliation order by period, measure",
    )
    assert rows == [
        (
            "2017",
            "amount_mad",
            6_991_500,
            6_991_500,
            6_990_500,
            -1_000,
            -1_000,
            "known_discrepancy",
        ),
        ("2017", "projects", 110, 110, 110, 0, None, "reconciled"),
        ("2018", "amount_mad", 1_899_500, 1_899_500, 1_899_500, 0, None, "reconciled"),
        ("2018", "projects", 44, 44, 44, 0, None, "reconciled"),
    ]


def test_correction_rows_reproduce_every_printed_total(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select period, sum(projects), sum(amount_mad),"
        " sum(case when row_kind = 'correction' then amount_mad end)"
        " from marts.mart_domain_year_with_corrections group by period order by period",
    )
    assert rows == [("2017", 110, 6_991_500, 1_000), ("2018", 44, 1_899_500, None)]


def test_the_register_holds_the_2017_gap_and_nothing_else(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select period, measure, published_value, summed_value, difference"
        " from marts.fct_known_discrepancies",
    )
    assert rows == [("2017", "amount_mad", 6_991_500, 6_990_500, -1_000)]


def test_refresh_warns_about_the_known_gap_and_publishes(refreshed):
    lines = refreshed.stdout.splitlines()
    assert f"  ! check {AMOUNT_CHECK}: WARN" in lines
    assert (
        "known_discrepancy: migrant_integration_partnership 2017 amount_mad: domain rows 6 990 500 vs published 6 991 500 (difference -1 000)"
        in lines
    )
    assert CHECKS_LINE in lines


def test_known_gap_is_a_warning_with_observed_expected_and_difference(workspace):
    evaluations = check_evaluations(workspace.first_result)
    amount = evaluations[AMOUNT_CHECK]
    assert (amount.passed, amount.severity) == (False, dg.AssetCheckSeverity.WARN)
    metadata = {key: value.value for key, value in amount.metadata.items()}
    assert metadata[f"{PROGRAMME} 2017 observed_value (sum of rows)"] == 6_990_500
    assert metadata[f"{PROGRAMME} 2017 expected_value (published)"] == 6_991_500
    assert metadata[f"{PROGRAMME} 2017 difference"] == -1_000
    assert metadata[f"{PROGRAMME} 2017 registered_difference"] == -1_000
    assert metadata[f"{PROGRAMME} 2018 difference"] == 0
    assert evaluations[PROJECTS_CHECK].passed
    assert all(
        evaluation.passed for name, evaluation in evaluations.items() if name != AMOUNT_CHECK
    )
    assert "publish/grants_duckdb" in materialized(workspace.first_result)


def _assert_blocked(workspace, result, failing_check):
    assert failed_error_checks(result) == [failing_check]
    assert "publish/grants_duckdb" not in materialized(result)
    assert not result.success or "publish/grants_duckdb" not in materialized(result)


def test_a_registered_gap_that_changed_fails_and_publishes_nothing(clean):
    before = clean.published_checksum()
    clean.edit_seed(REGISTER, 0, "difference", "-2 000")
    clean.edit_seed(REGISTER, 0, "summed_value", "6 989 500")
    result = clean.run()
    _assert_blocked(clean, result, AMOUNT_CHECK)
    assert clean.published_checksum() == before


def test_a_registered_gap_that_vanished_fails_and_publishes_nothing(clean):
    # The source is corrected: Table 01's first row now makes the rows sum to the total.
    before = clean.published_checksum()
    clean.edit_seed("domain_grants.csv", 0, "amount_mad", "1 046 500")
    result = clean.run()
    _assert_blocked(clean, result, AMOUNT_CHECK)
    evaluation = check_evaluations(result)[AMOUNT_CHECK]
    assert evaluation.metadata[f"{PROGRAMME} 2017 difference"].value == 0
    assert evaluation.metadata[f"{PROGRAMME} 2017 registered_difference"].value == -1_000
    assert clean.published_checksum() == before


def test_an_unexplained_gap_fails_and_publishes_nothing(clean):
    before = clean.published_checksum()
    clean.edit_seed("domain_grants.csv", 7, "amount_mad", "336 500")  # 2018 summer camps
    result = clean.run()
    _assert_blocked(clean, result, AMOUNT_CHECK)
    evaluation = check_evaluations(result)[AMOUNT_CHECK]
    assert evaluation.metadata[f"{PROGRAMME} 2018 difference"].value == 500
    assert evaluation.metadata[f"{PROGRAMME} 2018 status"].value == "unexplained"
    assert clean.published_checksum() == before


def test_a_headline_that_disagrees_with_its_table_total_row_fails(clean):
    clean.edit_seed("headline_figures.csv", 4, "value", "45")  # 2018 text says 44 projects
    result = clean.run()
    assert PROJECTS_CHECK in failed_error_checks(result)
    assert "publish/grants_duckdb" not in materialized(result)


def state_2018_amount_approximately(workspace, value: str, precision: str) -> None:
    """2018's amount (headline_figures.csv row 6) as if the text said "about <value>"."""
    for column, written in {
        "value": value,
        "qualifier": "about",
        "stated_precision": precision,
    }.items():
        workspace.edit_seed("headline_figures.csv", 5, column, written)


def test_an_approximate_total_reconciles_within_its_stated_precision_and_never_as_exact(clean):
    # 2018's amount as if the text said "about 1 900 000" (to the hundred thousand): the rows'
    # 1 899 500 lies within it, which is consistent but not an exact match.
    state_2018_amount_approximately(clean, "1 900 000", "100 000")
    result = clean.run()
    assert "publish/grants_duckdb" in materialized(result)
    assert check_evaluations(result)[AMOUNT_CHECK].metadata[f"{PROGRAMME} 2018 status"].value == (
        "within_stated_precision"
    )
    assert query(
        clean.settings.published_database,
        "select published_value, lower_bound, upper_bound, summed_value, status"
        " from marts.mart_reconciliation where period = '2018' and measure = 'amount_mad'",
    ) == [(1_900_000, 1_850_000, 1_950_000, 1_899_500, "within_stated_precision")]


def test_an_approximate_total_whose_precision_does_not_hold_the_rows_fails(clean):
    # "About 1 890 000" to the ten thousand: 1 885 000 to 1 895 000, and the rows sum to 1 899 500.
    before = clean.published_checksum()
    state_2018_amount_approximately(clean, "1 890 000", "10 000")
    result = clean.run()
    _assert_blocked(clean, result, AMOUNT_CHECK)
    evaluation = check_evaluations(result)[AMOUNT_CHECK]
    assert evaluation.metadata[f"{PROGRAMME} 2018 status"].value == "unexplained"
    assert evaluation.metadata[f"{PROGRAMME} 2018 difference"].value == 9_500
    assert clean.published_checksum() == before
