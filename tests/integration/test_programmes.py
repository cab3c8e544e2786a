"""A second programme, added by following docs/data.md ("Adding a report") literally: the
SYNTHETIC programme of tests/integration/synthetic_programme.py (another funder, four domains
of its own with Arabic labels, a 2017 that overlaps the migrant-integration programme's, a
printed inconsistency registered as a known discrepancy, a press release that states two of
its figures approximately) goes in by CSV rows alone. The refresh succeeds; its figures come out
per programme; the migrant-integration programme's marts are unchanged row for row; its gap is
a WARN; a perturbation of one of its figures, or of the press release's, fails a check."""

import re
import shutil
from decimal import Decimal

import dagster as dg
import pytest

from tests.conftest import PROJECT_ROOT, marts_contents, query
from tests.integration import synthetic_programme as synthetic
from tests.integration.workspace import (
    CHECK_ONLY_JOB,
    check_evaluations,
    failed_error_checks,
    materialized,
    refreshed_workspace,
)

pytestmark = pytest.mark.xdist_group("programmes")

REPORT_PROGRAMME = "migrant_integration_partnership"
AMOUNT_CHECK = "marts/mart_reconciliation:amount_mad_reconcile_with_register"
PROJECTS_CHECK = "marts/mart_reconciliation:projects_reconcile_with_register"
DOCUMENTS_CHECK = "marts/mart_document_reconciliation:documents_agree"


def documented_steps() -> list[list[str]]:
    """The seed files each numbered step of docs/data.md's "Adding a report" names, in order."""
    page = (PROJECT_ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    section = page.split("## Adding a report", 1)[1].split("\n## ", 1)[0]
    steps = re.split(r"\n(?=\d+\. )", section.split("\n1. ", 1)[1])
    return [re.findall(r"`([a-z_]+\.csv)`", step) for step in steps]


def test_the_documented_steps_name_every_file_the_synthetic_report_fills():
    named = [name for step in documented_steps() for name in step]
    assert named[:9] == [
        "funders.csv",
        "programmes.csv",
        "source_documents.csv",
        "reporting_periods.csv",
        "domains.csv",
        "domain_labels.csv",
        "domain_grants.csv",
        "domain_table_totals.csv",
        "headline_figures.csv",
    ]
    assert set(synthetic.ROWS) <= set(named)
    assert {path.name for path in (PROJECT_ROOT / "seeds").glob("*.csv")} == set(named)


@pytest.fixture(scope="session")
def programmes(tmp_path_factory, refreshed):
    """The session's refreshed warehouse, with the synthetic programme added step by step."""
    workspace = refreshed_workspace(tmp_path_factory, "programmes", refreshed)
    for step in documented_steps():
        for file_name in step:
            rows = synthetic.ROWS.get(file_name, [])
            if rows:
                workspace.write_seed(file_name, workspace.read_seed(file_name) + rows)
    workspace.first_result = workspace.run()
    workspace.save_build_database()
    workspace.synthetic_seeds = workspace.settings.seeds_dir.with_name("synthetic_seeds")
    shutil.copytree(workspace.settings.seeds_dir, workspace.synthetic_seeds)
    return workspace


def restore(workspace) -> None:
    shutil.rmtree(workspace.settings.seeds_dir)
    shutil.copytree(workspace.synthetic_seeds, workspace.settings.seeds_dir)
    workspace.restore_build_database()


def test_the_refresh_succeeds_and_publishes(programmes):
    result = programmes.first_result
    assert result.success
    assert "publish/grants_duckdb" in materialized(result)
    evaluations = check_evaluations(result)
    warned = {
        name
        for name, evaluation in evaluations.items()
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    }
    # The report's 2017 gap and the synthetic report's own, each a WARN; nothing else.
    assert warned == {AMOUNT_CHECK, PROJECTS_CHECK}
    assert failed_error_checks(result) == []
    projects = {key: value.value for key, value in evaluations[PROJECTS_CHECK].metadata.items()}
    assert projects[f"{synthetic.PROGRAMME} 2017 status"] == "known_discrepancy"
    assert projects[f"{synthetic.PROGRAMME} 2017 difference"] == -1
    assert projects[f"{REPORT_PROGRAMME} 2017 status"] == "reconciled"
    assert evaluations[DOCUMENTS_CHECK].passed


def test_its_figures_come_out_per_programme(programmes):
    database = programmes.settings.published_database
    assert query(
        database,
        "select domain_code, domain_name_ar, projects, amount_mad, share_of_projects"
        " from marts.mart_domain_year where programme_id = ? and period = '2017'"
        " order by display_order",
        [synthetic.PROGRAMME],
    ) == [
        ("sport", "الرياضة", 12, 600_000, 12 / 32),
        ("culture", "الثقافة", 8, 350_000, 8 / 32),
        ("volunteering", "التطوع", 5, 120_000, 5 / 32),
        ("civic_education", "التربية على المواطنة", 7, 230_000, 7 / 32),
    ]
    # Two 2017s, never added into one.
    assert query(
        database,
        "select programme_id, funder_id, associations, projects, amount_mad_published,"
        " projects_from_domains, amount_mad_from_domains from marts.mart_year_summary"
        " where period = '2017' order by programme_id",
    ) == [
        (REPORT_PROGRAMME, "ministry_in_charge_of_migration", 78, 110, 6_991_500, 110, 6_990_500),
        (synthetic.PROGRAMME, synthetic.FUNDER, 25, 33, 1_300_000, 32, 1_300_000),
    ]
    assert query(
        database,
        "select programme_id, share_of_funder_amount, share_of_state_amount"
        " from marts.mart_programme_comparison where period = '2017' order by programme_id",
    ) == [
        (REPORT_PROGRAMME, 1.0, pytest.approx(6_991_500 / 8_291_500, rel=1e-12)),
        (synthetic.PROGRAMME, 1.0, pytest.approx(1_300_000 / 8_291_500, rel=1e-12)),
    ]


def test_two_documents_that_state_the_same_figures_agree_within_their_precision(programmes):
    assert (
        query(
            programmes.settings.published_database,
            "select measure, source_document, reference_document, reference_value, stated_value,"
            " lower_bound, upper_bound, status from marts.mart_document_reconciliation"
            " order by measure",
        )
        == [
            # "plus de 20 associations" agrees with 25: its range (21 and more) holds it.
            (
                "associations",
                synthetic.PRESS,
                synthetic.REVIEW,
                25,
                20,
                None,
                Decimal(24),
                "within_stated_precision",
            ),
            # "environ 1,3 million" (to the 100 000) agrees with 1 300 000, never as an exact match.
            (
                "amount_mad",
                synthetic.PRESS,
                synthetic.REVIEW,
                1_300_000,
                1_300_000,
                Decimal(1_250_000),
                Decimal(1_350_000),
                "within_stated_precision",
            ),
        ][::-1]
    )


def test_the_report_programmes_marts_are_unchanged_row_for_row(programmes, refreshed):
    before = marts_contents(refreshed.settings.published_database)
    after = marts_contents(programmes.settings.published_database)
    assert set(after) == set(before)
    columns = {
        name: [
            column
            for (column,) in query(
                refreshed.settings.published_database,
                "select column_name from duckdb_columns() where table_name = ?"
                " order by column_index",
                [name],
            )
        ]
        for name in before
    }
    for name, report_rows in before.items():
        rows = report_rows
        if "programme_id" in columns[name]:
            index = columns[name].index("programme_id")
            ours = [row for row in after[name] if row[index] == REPORT_PROGRAMME]
        elif name == "dim_funder":
            ours = [row for row in after[name] if row[0] == "ministry_in_charge_of_migration"]
        else:
            ours = after[name]
        if name == "mart_programme_comparison":
            # Its share of the state's money in 2017 now counts the other funder's programme.
            moved = {
                columns[name].index(c) for c in ("programmes_in_period", "share_of_state_amount")
            }
            rows, ours = (
                [tuple(v for i, v in enumerate(row) if i not in moved) for row in table]
                for table in (rows, ours)
            )
        assert ours == rows, name


@pytest.mark.mutation
@pytest.mark.parametrize(
    ("seed_file", "match", "column", "value", "failing"),
    [
        pytest.param(
            "domain_grants.csv",
            {"domain_label_ar": "الثقافة"},
            "amount_mad",
            "351 000",
            AMOUNT_CHECK,
            id="domain_row_amount",
        ),
        pytest.param(
            "domain_table_totals.csv",
            {},
            "projects",
            "34",
            PROJECTS_CHECK,
            id="table_total_projects",
        ),
        pytest.param(
            "headline_figures.csv",
            {"source_document": synthetic.PRESS, "measure": "amount_mad"},
            "value",
            "1 600 000",
            DOCUMENTS_CHECK,
            id="press_amount_beyond_its_precision",
        ),
        pytest.param(
            "headline_figures.csv",
            {"source_document": synthetic.PRESS, "measure": "associations"},
            "value",
            "30",
            DOCUMENTS_CHECK,
            id="press_more_than_the_report",
        ),
    ],
)
def test_a_perturbation_of_the_synthetic_reports_figures_is_caught(
    programmes, seed_file, match, column, value, failing
):
    rows = programmes.read_seed(seed_file)
    (index,) = [
        i
        for i, row in enumerate(rows)
        if row["programme_id"] == synthetic.PROGRAMME and all(row[k] == v for k, v in match.items())
    ]
    programmes.edit_seed(seed_file, index, column, value)
    try:
        result = programmes.run(CHECK_ONLY_JOB, selection=programmes.affected_by(seed_file))
        failed = failed_error_checks(result)
    finally:
        restore(programmes)
    assert failed == [failing]


def test_an_unregistered_disagreement_between_documents_blocks_publishing(programmes):
    before = programmes.published_checksum()
    rows = programmes.read_seed("headline_figures.csv")
    (index,) = [
        i
        for i, row in enumerate(rows)
        if row["source_document"] == synthetic.PRESS and row["measure"] == "amount_mad"
    ]
    programmes.edit_seed("headline_figures.csv", index, "value", "2 000 000")
    try:
        result = programmes.run()
    finally:
        restore(programmes)
    assert failed_error_checks(result) == [DOCUMENTS_CHECK]
    assert check_evaluations(result)[DOCUMENTS_CHECK].metadata["summary"].value == (
        f"{synthetic.PROGRAMME} 2017 document_vs_document {synthetic.PRESS} amount_mad: other"
        " document 2000000 vs published 1300000 (difference 700000, registered None) →"
        f" unexplained; {synthetic.PROGRAMME} 2017 document_vs_document {synthetic.PRESS}"
        " associations: other document 20 vs published 25 (difference -5, registered None) →"
        " within_stated_precision"
    )
    assert "publish/grants_duckdb" not in materialized(result)
    assert programmes.published_checksum() == before


def test_the_cookbook_compares_the_programmes(programmes):
    rows = query(
        programmes.settings.published_database,
        (PROJECT_ROOT / "docs" / "queries" / "08_amount_per_project_by_programme.sql").read_text(),
    )
    assert [(row[1][:9], row[2], row[6]) for row in rows] == [
        ("Partnersh", "2017", Decimal("63559.09")),
        ("Partnersh", "2018", Decimal("43170.45")),
        ("SYNTHETIC", "2017", Decimal("39393.94")),  # 1 300 000 / 33
        ("Partnersh", "2014-2016", None),
    ]
