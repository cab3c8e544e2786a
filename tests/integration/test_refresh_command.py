"""`make refresh` (python -m orchestration.cli): progress, summary, exit code, dbt unit tests."""

import json

from orchestration.settings import Settings
from tests.conftest import copy_seeds, make_dagster_home, query, run_refresh


def test_refresh_prints_a_summary_per_period_and_the_path(refreshed):
    lines = refreshed.stdout.splitlines()
    assert "programme migrant_integration_partnership" in lines
    # 2014-2016's amount is "of the order of 40 million" (about), and it has no domain table.
    assert "2014-2016           130       237    ~40 000 000                  —" in lines
    assert "2017                 78       110      6 991 500          6 990 500" in lines
    assert "2018                 42        44      1 899 500          1 899 500" in lines
    assert lines[-1] == f"Published warehouse: {refreshed.settings.published_database}"


def test_refresh_reports_progress_per_asset(refreshed):
    assert "  ✓ raw/domain_grants (8 rows)" in refreshed.stdout.splitlines()
    assert "  ✓ marts/mart_domain_year (8 rows)" in refreshed.stdout.splitlines()


def test_published_file_has_the_marts_schema_only(refreshed):
    schemas = query(
        refreshed.settings.published_database,
        "select distinct table_schema from information_schema.tables",
    )
    assert schemas == [("marts",)]


def test_dbt_unit_tests_ran_and_passed(refreshed):
    results = json.loads(
        (refreshed.settings.warehouse_dir / "build" / "dbt-target" / "run_results.json").read_text()
    )
    unit_tests = {
        result["unique_id"]: result["status"]
        for result in results["results"]
        if result["unique_id"].startswith("unit_test.")
    }
    assert unit_tests == {
        "unit_test.grants_warehouse.mart_domain_year.mart_domain_year_shares_and_average": "pass",
        "unit_test.grants_warehouse.mart_year_summary.mart_year_summary_averages_and_change": "pass",
        "unit_test.grants_warehouse.int_headline_figures.int_headline_figures_bounds_follow_the_qualifier": "pass",
        "unit_test.grants_warehouse.mart_document_reconciliation.mart_document_reconciliation_ranges_and_register": "pass",
        "unit_test.grants_warehouse.mart_programme_comparison.mart_programme_comparison_shares": "pass",
    }


def test_a_failed_check_exits_non_zero_naming_it(tmp_path):
    root = tmp_path
    settings = Settings(seeds_dir=copy_seeds(root), warehouse_dir=root / "warehouse")
    grants = settings.seeds_dir / "domain_grants.csv"
    # 2018 summer camps: 336 000 → 336 500, a gap nothing explains.
    grants.write_text(
        grants.read_text(encoding="utf-8").replace("13,336 000,", "13,336 500,"), encoding="utf-8"
    )
    refresh = run_refresh(settings, make_dagster_home(root))
    assert refresh.exit_code == 1
    assert (
        "failed check: marts/mart_reconciliation:amount_mad_reconcile_with_register"
        in refresh.stderr
    )
    assert (
        f"The published warehouse was left as it was: {settings.published_database}"
        in refresh.stderr
    )
    assert (
        "migrant_integration_partnership 2018: rows 1900000 vs published 1899500 (difference 500,"
        " registered None) → unexplained" in refresh.stdout
    )
    assert not settings.published_database.exists()
    # The run's validation report stays in the working folder; nothing is beside the charts.
    checks = json.loads((settings.validation_report_dir / "checks.json").read_text("utf-8"))
    amounts = next(c for c in checks if c["name"] == "amount_mad_reconcile_with_register")
    assert amounts["outcome"] == "ERROR" and "→ unexplained" in amounts["summary"]
    assert (settings.validation_report_dir / "index.html").exists()
    assert not settings.published_validation_report_dir.exists()


def test_a_second_refresh_with_nothing_changed_says_up_to_date(refreshed):
    again = run_refresh(
        refreshed.settings, refreshed.settings.warehouse_dir.parent / "dagster_home"
    )
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        "Warehouse up to date: the seeds and the code are those it was built from.",
        f"Published warehouse: {refreshed.settings.published_database}",
    ]
