"""The report's Charts 01-04, regenerated from the marts in Arabic, French and English, in the
folder of their programme, and the validation report of the refresh beside them."""

import html
import json
import re

from orchestration.lib.reconciliation.suites import SUITE_CHECKS


def test_every_chart_in_every_language(refreshed):
    reports = refreshed.settings.warehouse_dir / "reports" / "migrant_integration_partnership"
    assert sorted(p.name for p in reports.glob("*.svg")) == sorted(
        f"chart_{number}_{measure}_{period}_{language}.svg"
        for number, measure, period in [
            ("01", "projects", "2017"),
            ("02", "amount_mad", "2017"),
            ("03", "projects", "2018"),
            ("04", "amount_mad", "2018"),
        ]
        for language in ("ar", "fr", "en")
    )
    for svg in reports.glob("*.svg"):
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml"), svg


def test_the_page_holds_the_charts_and_their_tables(refreshed):
    page = (refreshed.settings.warehouse_dir / "reports" / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 12
    assert '<section lang="ar" dir="rtl">' in page
    # Table 01's first row, as each language writes it.
    assert (
        "<td>المساعدة الإنسانية للمهاجرين واللاجئين</td><td>10</td><td>1.045.500 د.م.</td>" in page
    )
    assert (
        "<td>Assistance humanitaire aux migrants et réfugiés</td><td>10</td><td>1 045 500 MAD</td>"
        in page
    )
    assert (
        "<td>Humanitarian assistance to migrants and refugees</td><td>5</td><td>814 000 MAD</td><td>42.9 %</td>"
        in page
    )


def page_text(path) -> str:
    """What a reader of an HTML page sees: its text without tags, scripts or styles."""
    markup = re.sub(r"<(script|style).*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def test_the_validation_report_lies_beside_the_charts_with_every_suite_and_the_registered_gap(
    refreshed,
):
    reports = refreshed.settings.warehouse_dir / "reports"
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert "<a href='validation/index.html'>Validation report</a>" in page
    assert (
        "<tr><td>amount_mad_reconcile_with_register</td><td>mart_reconciliation</td>"
        "<td class='warn'>WARN</td><td>amount_mad: migrant_integration_partnership 2017: rows"
        " 6990500 vs published 6991500 (difference -1000, registered -1000) →"
        " known_discrepancy; migrant_integration_partnership 2018: rows 1899500 vs published"
        " 1899500 (difference 0, registered None) → reconciled</td></tr>" in page
    )
    checks = json.loads((reports / "validation" / "checks.json").read_text(encoding="utf-8"))
    assert {check["name"]: check["outcome"] for check in checks} == {
        check.name: "WARN" if check.name == "amount_mad_reconcile_with_register" else "PASSED"
        for check in SUITE_CHECKS
    }
    # GX's own Data Docs: a page per suite validated, listed on its index.
    validations = sorted((reports / "validation" / "validations").glob("*/*/*/*.html"))
    assert sorted(p.parts[-4] for p in validations) == sorted(c.name for c in SUITE_CHECKS)
    index = (reports / "validation" / "index.html").read_text(encoding="utf-8")
    for validation in validations:
        assert validation.relative_to(reports / "validation").as_posix() in index
    amounts = page_text(
        next(p for p in validations if p.parts[-4] == "amount_mad_reconcile_with_register")
    )
    assert "Evaluated Expectations 6 Successful Expectations 5 Unsuccessful Expectations 1" in (
        amounts
    )
    # The registered gap, as the informational expectation lists it: the row it found.
    assert (
        "Registered gaps: each comparison whose status is known_discrepancy, a gap the register"
        " of known discrepancies records and the figures show exactly (a WARN, not blocking)"
        " 1 unexpected values found. 50% of 2 total rows. Unexpected Value Count programme_id"
        " period known_discrepancy 1 migrant_integration_partnership 2017" in amounts
    )
    projects = page_text(
        next(p for p in validations if p.parts[-4] == "projects_reconcile_with_register")
    )
    assert "Evaluated Expectations 6 Successful Expectations 6 Unsuccessful Expectations 0" in (
        projects
    )
