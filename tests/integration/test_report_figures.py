"""The published marts reproduce the report's tables and headline figures exactly."""

from decimal import Decimal

import pytest

from tests.conftest import query

# Table 01 (2017) and Table 02 (2018) as printed: domain → (projects, amount in MAD).
TABLE_01 = {
    "humanitarian_assistance": (10, 1_045_500),
    "summer_camps": (10, 480_000),
    "cultural_integration": (25, 1_443_000),
    "educational_integration": (65, 4_022_000),
}
TABLE_02 = {
    "humanitarian_assistance": (5, 814_000),
    "educational_integration": (16, 543_500),
    "cultural_integration": (10, 206_000),
    "summer_camps": (13, 336_000),
}
# The text's headline sentences: associations, projects, amount in MAD.
HEADLINES = {"2017": (78, 110, 6_991_500), "2018": (42, 44, 1_899_500)}
PROGRAMME = "migrant_integration_partnership"
REVIEW = "partnership_review_2017_2018"
ARTICLE = "lavieeco_2017_migration_associations"
# The rows of the 2017-2018 review, in the marts that also hold the 2014-2016 period.
OF_THE_REVIEW = f"where source_document = '{REVIEW}'"

DOMAIN_NAMES = {
    "humanitarian_assistance": (
        "المساعدة الإنسانية للمهاجرين واللاجئين",
        "Assistance humanitaire aux migrants et réfugiés",
        "Humanitarian assistance to migrants and refugees",
    ),
    "summer_camps": ("المخيمات الصيفية", "Colonies de vacances", "Summer camps"),
    "cultural_integration": (
        "الاندماج الثقافي والشباب والترفيه",
        "Intégration culturelle, jeunesse et loisirs",
        "Cultural integration, youth and leisure",
    ),
    "educational_integration": (
        "الإدماج التربوي للمهاجرين واللاجئين",
        "Intégration éducative des migrants et réfugiés",
        "Educational integration of migrants and refugees",
    ),
}


def cents(amount: int, count: int) -> Decimal:
    """amount / count in MAD, to the cent."""
    return round(Decimal(amount) / Decimal(count), 2)


@pytest.mark.parametrize(("period", "table"), [("2017", TABLE_01), ("2018", TABLE_02)])
def test_domain_rows_are_the_printed_tables(refreshed, period, table):
    rows = query(
        refreshed.settings.published_database,
        "select domain_code, projects, amount_mad from marts.mart_domain_year where period = ?",
        [period],
    )
    assert {code: (projects, amount) for code, projects, amount in rows} == table


def test_domain_rows_keep_their_provenance(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select period, source_table, source_row, domain_code from marts.fct_domain_grants"
        " order by period, source_row",
    )
    assert [(p, t, r) for p, t, r, _ in rows] == [
        ("2017", "Table 01", 1),
        ("2017", "Table 01", 2),
        ("2017", "Table 01", 3),
        ("2017", "Table 01", 4),
        ("2018", "Table 02", 1),
        ("2018", "Table 02", 2),
        ("2018", "Table 02", 3),
        ("2018", "Table 02", 4),
    ]
    assert [code for *_, code in rows][4:] == list(TABLE_02)


@pytest.mark.parametrize(
    ("sql", "printed"),
    [
        pytest.param(
            "select period, associations, projects, amount_mad_published"
            f" from marts.mart_year_summary {OF_THE_REVIEW} order by period",
            HEADLINES,
            id="year_summary_states_the_headline_figures",
        ),
        pytest.param(
            "select distinct domain_code, domain_name_ar, domain_name_fr, domain_name_en"
            " from marts.mart_domain_year",
            DOMAIN_NAMES,
            id="every_domain_has_its_three_labels",
        ),
    ],
)
def test_published_rows_by_their_first_column_are_as_printed(refreshed, sql, printed):
    rows = query(refreshed.settings.published_database, sql)
    assert {key: tuple(rest) for key, *rest in rows} == printed


def test_year_summary_sums_the_domain_rows_beside_the_stated_amount(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select period, projects_from_domains, amount_mad_from_domains"
        f" from marts.mart_year_summary {OF_THE_REVIEW} order by period",
    )
    # 2017's rows sum to 1 000 MAD less than the 6 991 500 the report prints (issue 3).
    assert rows == [("2017", 110, 6_990_500), ("2018", 44, 1_899_500)]


def test_year_summary_averages_and_change(refreshed):
    (row_2017, row_2018) = query(
        refreshed.settings.published_database,
        "select period, avg_amount_per_project, avg_amount_per_association, previous_period,"
        " projects_change, amount_mad_change"
        f" from marts.mart_year_summary {OF_THE_REVIEW} order by period",
    )
    assert row_2017[1:4] == (cents(6_991_500, 110), cents(6_991_500, 78), None)
    assert row_2018[1:] == (
        cents(1_899_500, 44),
        cents(1_899_500, 42),
        "2017",
        44 - 110,
        1_899_500 - 6_991_500,
    )


def test_shares_are_fractions_of_the_period(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select period, domain_code, share_of_projects, share_of_amount"
        " from marts.mart_domain_year",
    )
    shares = {(period, code): (p, a) for period, code, p, a in rows}
    assert shares[("2018", "humanitarian_assistance")] == (
        pytest.approx(5 / 44, rel=1e-12),
        pytest.approx(814_000 / 1_899_500, rel=1e-12),
    )
    assert shares[("2017", "educational_integration")] == (
        pytest.approx(65 / 110, rel=1e-12),
        pytest.approx(4_022_000 / 6_990_500, rel=1e-12),
    )
    for period in ("2017", "2018"):
        assert sum(p for (pe, _), (p, _) in shares.items() if pe == period) == pytest.approx(1)
        assert sum(a for (pe, _), (_, a) in shares.items() if pe == period) == pytest.approx(1)


def test_every_printed_spelling_maps_to_its_domain(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select label_ar, domain_code from marts.dim_domain_label",
    )
    labels = dict(rows)
    assert labels["الإدماج الثقافي والشباب والترفيه"] == "cultural_integration"  # Table 02
    assert labels["الادماج الثقافي، الشباب والترفيه"] == "cultural_integration"  # chart legend
    assert labels["الادماج التربوي للمهاجرين واللاجئين"] == "educational_integration"
    assert len(labels) == 7


def test_timeline_holds_the_programme_events(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select event_id, start_date::varchar, end_date::varchar, city_en, participant_count,"
        " participant_unit, age_min, age_max, occurrences, partners_en"
        " from marts.mart_programme_timeline order by start_date nulls first",
    )
    assert rows == [
        ("calls_for_projects_2017", None, None, None, None, None, None, None, 3, None),
        (
            "consultation_meeting_2017",
            "2017-05-10",
            "2017-05-10",
            "Rabat",
            130,
            "associations",
            None,
            None,
            1,
            None,
        ),
        (
            "migrants_week_2017",
            "2017-12-12",
            "2017-12-20",
            "Morocco",
            None,
            None,
            None,
            None,
            1,
            None,
        ),
        ("summer_camps_call_2018", "2018-04-01", "2018-04-30", None, None, None, 7, 14, 1, None),
        (
            "training_workshop_2018",
            "2018-10-16",
            "2018-10-18",
            "Rabat",
            53,
            "delegates",
            None,
            None,
            1,
            "Social Development Agency (ADS); International Organization for Migration (IOM)",
        ),
    ]


def test_published_file_holds_only_bi_friendly_types(refreshed):
    types = {
        row[0]
        for row in query(
            refreshed.settings.published_database,
            "select distinct data_type from information_schema.columns",
        )
    }
    assert types <= {
        "BIGINT",
        "VARCHAR",
        "DOUBLE",
        "DECIMAL(18,2)",
        "DECIMAL(18,1)",
        "DATE",
        "BOOLEAN",
    }


def test_published_tables_carry_their_descriptions(refreshed):
    (comment,) = query(
        refreshed.settings.published_database,
        "select comment from duckdb_columns()"
        " where table_name = 'mart_domain_year' and column_name = 'amount_mad'",
    )[0]
    assert "Moroccan dirhams (MAD" in comment


def test_the_2014_2016_figures_are_their_own_period_and_document_with_their_qualifiers(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select measure, stated_value, qualifier, is_exact, stated_precision, lower_bound,"
        " upper_bound, value_as_printed, source_document, is_period_document"
        " from marts.mart_headline_figures where programme_id = ? and period = '2014-2016'"
        " order by measure",
        [PROGRAMME],
    )
    assert rows == [
        (
            "amount_mad",
            40_000_000,
            "about",
            False,
            10_000_000,
            Decimal("35000000.0"),
            Decimal("45000000.0"),
            "de l'ordre de 40 millions de DH",
            ARTICLE,
            True,
        ),
        ("associations", 130, "exact", True, 1, Decimal(130), Decimal(130), None, ARTICLE, True),
        (
            "beneficiaries",
            73_000,
            "more_than",
            False,
            1_000,
            Decimal(73_001),
            None,
            None,
            ARTICLE,
            True,
        ),
        ("projects", 237, "exact", True, 1, Decimal(237), Decimal(237), None, ARTICLE, True),
        ("regions", 9, "exact", True, 1, Decimal(9), Decimal(9), None, ARTICLE, True),
    ]


def test_the_year_summary_shows_2014_2016_beside_2017_and_2018(refreshed):
    rows = query(
        refreshed.settings.published_database,
        "select period, source_document, associations, projects, amount_mad_published,"
        " amount_mad_qualifier, amount_mad_from_domains, avg_amount_per_project, previous_period"
        " from marts.mart_year_summary where programme_id = ? order by start_year",
        [PROGRAMME],
    )
    # The approximate amount gives no average: it is not an exact figure.
    assert rows == [
        ("2014-2016", ARTICLE, 130, 237, 40_000_000, "about", None, None, None),
        ("2017", REVIEW, 78, 110, 6_991_500, "exact", 6_990_500, cents(6_991_500, 110), None),
        ("2018", REVIEW, 42, 44, 1_899_500, "exact", 1_899_500, cents(1_899_500, 44), "2017"),
    ]


def test_programme_funder_and_documents_are_dimensions(refreshed):
    database = refreshed.settings.published_database
    assert query(
        database,
        "select programme_id, funder_id, periods, first_year, last_year, documents"
        " from marts.dim_programme",
    ) == [(PROGRAMME, "ministry_in_charge_of_migration", 3, 2014, 2018, 2)]
    assert query(
        database, "select funder_id, funder_name_as_printed, programmes from marts.dim_funder"
    ) == [("ministry_in_charge_of_migration", "الوزارة", 1)]
    assert query(
        database,
        "select document_id, programme_id, document_kind, title_fr, publisher_as_printed,"
        " period_covered, language, published_year from marts.dim_source_document"
        " order by document_id",
    ) == [
        (
            ARTICLE,
            PROGRAMME,
            "press_article",
            "Migration : la tutelle veut consolider ses relations avec les associations",
            "La Vie éco",
            "2014-2016",
            "fr",
            2017,
        ),
        (
            REVIEW,
            PROGRAMME,
            "programme_review",
            "Bilan du programme de partenariat avec le tissu associatif pour l'intégration des"
            " migrants et réfugiés au Maroc au titre de 2017-2018",
            "الوزارة",
            "2017-2018",
            "ar",
            None,
        ),
    ]
    assert query(
        database,
        "select period, domain_table_rows, source_document from marts.dim_period"
        " order by start_year",
    ) == [("2014-2016", 0, ARTICLE), ("2017", 4, REVIEW), ("2018", 4, REVIEW)]
