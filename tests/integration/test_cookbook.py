"""Every query of the analysts' cookbook (docs/queries) runs on a freshly built warehouse and
answers with the report's own figures."""

from decimal import Decimal

import pytest

from tests.conftest import PROJECT_ROOT, query

QUERIES = PROJECT_ROOT / "docs" / "queries"
PROGRAMME = "migrant_integration_partnership"
PROGRAMME_EN = "Partnership programme with civil-society associations for the integration of migrants and refugees"
FUNDER_EN = "Ministry in charge of migration affairs"


def run(refreshed, name: str) -> list[tuple]:
    return query(
        refreshed.settings.published_database, (QUERIES / name).read_text(encoding="utf-8")
    )


def test_every_query_is_tested():
    tested = {name for name in globals() if name.startswith("test_")}
    assert len(list(QUERIES.glob("*.sql"))) == 9 == len(tested) - 1


def test_amount_by_domain_per_year(refreshed):
    rows = run(refreshed, "01_amount_by_domain_per_year.sql")
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [
        ("2017", "Humanitarian assistance to migrants and refugees", 10, 1_045_500),
        ("2017", "Summer camps", 10, 480_000),
        ("2017", "Cultural integration, youth and leisure", 25, 1_443_000),
        ("2017", "Educational integration of migrants and refugees", 65, 4_022_000),
        ("2018", "Humanitarian assistance to migrants and refugees", 5, 814_000),
        ("2018", "Summer camps", 13, 336_000),
        ("2018", "Cultural integration, youth and leisure", 10, 206_000),
        ("2018", "Educational integration of migrants and refugees", 16, 543_500),
    ]


def test_domain_shares(refreshed):
    rows = {(r[0], r[1]): r[2:] for r in run(refreshed, "02_domain_shares.sql")}
    assert rows[("2018", "Humanitarian assistance to migrants and refugees")] == (
        pytest.approx(round(100 * 5 / 44, 1)),
        pytest.approx(round(100 * 814_000 / 1_899_500, 1)),
    )
    assert rows[("2017", "Educational integration of migrants and refugees")] == (
        pytest.approx(round(100 * 65 / 110, 1)),
        pytest.approx(round(100 * 4_022_000 / 6_990_500, 1)),
    )


def test_average_grant(refreshed):
    assert run(refreshed, "03_average_grant.sql") == [
        ("2014-2016", 130, 237, 40_000_000, None, None, "about"),
        ("2017", 78, 110, 6_991_500, Decimal("63559.09"), Decimal("89634.62"), "exact"),
        ("2018", 42, 44, 1_899_500, Decimal("43170.45"), Decimal("45226.19"), "exact"),
    ]


def test_change_by_domain_2017_2018(refreshed):
    rows = {r[0]: r[1:7] for r in run(refreshed, "04_change_by_domain_2017_2018.sql")}
    assert rows["Humanitarian assistance to migrants and refugees"] == (
        10,
        5,
        -5,
        1_045_500,
        814_000,
        -231_500,
    )
    assert rows["Summer camps"] == (10, 13, 3, 480_000, 336_000, -144_000)


def test_programme_timeline(refreshed):
    rows = run(refreshed, "05_programme_timeline.sql")
    assert [(r[0], str(r[1]) if r[1] else None, r[3].split(" ")[0], r[5]) for r in rows] == [
        ("2017", "2017-05-10", "Consultation", 130),
        ("2017", "2017-12-12", "Third", None),
        ("2017", None, "Calls", None),
        ("2018", "2018-04-01", "Call", None),
        ("2018", "2018-10-16", "Training", 53),
    ]


def test_totals_that_do_not_reconcile(refreshed):
    rows = run(refreshed, "06_totals_that_do_not_reconcile.sql")
    assert [r[:7] for r in rows] == [
        (PROGRAMME, "2017", "amount_mad", 6_991_500, 6_990_500, -1_000, "known_discrepancy")
    ]


def test_totals_matching_the_report(refreshed):
    assert run(refreshed, "07_totals_matching_the_report.sql") == [
        ("2017", 110, 6_991_500, 6_990_500, 1_000),
        ("2018", 44, 1_899_500, 1_899_500, 0),
    ]


def test_amount_per_project_by_programme(refreshed):
    assert run(refreshed, "08_amount_per_project_by_programme.sql") == [
        (
            FUNDER_EN,
            PROGRAMME_EN,
            "2017",
            110,
            6_991_500,
            "exact",
            Decimal("63559.09"),
            Decimal("89634.62"),
        ),
        (
            FUNDER_EN,
            PROGRAMME_EN,
            "2018",
            44,
            1_899_500,
            "exact",
            Decimal("43170.45"),
            Decimal("45226.19"),
        ),
        (FUNDER_EN, PROGRAMME_EN, "2014-2016", 237, 40_000_000, "about", None, None),
    ]


def test_funder_support_over_time(refreshed):
    funder = "ministry_in_charge_of_migration"
    assert run(refreshed, "09_funder_support_over_time.sql") == [
        (funder, FUNDER_EN, "2014-2016", 2014, 2016, 1, 40_000_000, False),
        (funder, FUNDER_EN, "2017", 2017, 2017, 1, 6_991_500, True),
        (funder, FUNDER_EN, "2018", 2018, 2018, 1, 1_899_500, True),
    ]
