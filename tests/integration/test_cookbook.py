"""Every query of the analysts' cookbook (docs/queries) runs on a freshly built warehouse and
answers with the report's own figures."""

from decimal import Decimal

import pytest

from tests.conftest import PROJECT_ROOT, query

QUERIES = PROJECT_ROOT / "docs" / "queries"


def run(refreshed, name: str) -> list[tuple]:
    return query(
        refreshed.settings.published_database, (QUERIES / name).read_text(encoding="utf-8")
    )


def test_every_query_is_tested():
    tested = {name for name in globals() if name.startswith("test_")}
    assert len(list(QUERIES.glob("*.sql"))) == 7 == len(tested) - 1


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
        ("2017", 78, 110, 6_991_500, Decimal("63559.09"), Decimal("89634.62")),
        ("2018", 42, 44, 1_899_500, Decimal("43170.45"), Decimal("45226.19")),
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
    assert [r[:6] for r in rows] == [
        ("2017", "amount_mad", 6_991_500, 6_990_500, -1_000, "known_discrepancy")
    ]


def test_totals_matching_the_report(refreshed):
    assert run(refreshed, "07_totals_matching_the_report.sql") == [
        ("2017", 110, 6_991_500, 6_990_500, 1_000),
        ("2018", 44, 1_899_500, 1_899_500, 0),
    ]
