"""The report's Charts 01-04, regenerated from the marts in Arabic, French and English, in the
folder of their programme."""


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
