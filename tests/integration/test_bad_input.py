"""Bad seed input gets a clear error naming the file, line, column and value, fails the run
(red asset), and leaves the published warehouse byte-for-byte as it was. Input written the way
people write it (the report's number style, BOM, Windows line endings, trailing blank lines,
quoted commas) is read correctly. The table of errors in docs/data.md ("What a seed error
means") lists the same cases."""

import pytest

from orchestration.defs.seeds.assets import LOAD_STEP
from tests.conftest import query
from tests.integration.workspace import materialized, refreshed_workspace, step_failures

# One worker runs this module, so its workspace is built once.
pytestmark = pytest.mark.xdist_group("bad_input")

GRANTS = "domain_grants.csv"
GRANTS_COLUMNS = (
    "programme_id, period, domain_label_ar, projects, amount_mad, source_document, source_table,"
    " source_row"
)
PROGRAMME = "migrant_integration_partnership"
HEADLINES = "headline_figures.csv"
# Every spelling the report prints (listed in the error in code-point order, as DuckDB sorts).
KNOWN_LABELS = ", ".join(
    f'"{label}"'
    for label in sorted(
        {
            "المساعدة الإنسانية للمهاجرين واللاجئين",
            "المخيمات الصيفية",
            "الاندماج الثقافي والشباب والترفيه",
            "الإدماج الثقافي والشباب والترفيه",
            "الادماج الثقافي، الشباب والترفيه",
            "الإدماج التربوي للمهاجرين واللاجئين",
            "الادماج التربوي للمهاجرين واللاجئين",
        }
    )
)


@pytest.fixture(scope="session")  # survives other modules' tests interleaved on this worker
def workspace(tmp_path_factory, refreshed):
    workspace = refreshed_workspace(tmp_path_factory, "bad_input", refreshed)
    workspace.good_checksum = workspace.published_checksum()
    yield workspace


@pytest.fixture
def seeds(workspace):
    yield workspace
    workspace.restore_seeds()


def grants_text(workspace) -> str:
    return workspace.seed_path(GRANTS).read_text(encoding="utf-8")


def replace_in_grants(workspace, old: str, new: str) -> None:
    text = grants_text(workspace)
    assert old in text
    workspace.seed_path(GRANTS).write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_rejected(workspace, step: str, message: str) -> None:
    result = workspace.run()
    assert not result.success
    assert step_failures(result) == {step: message}
    assert "publish/grants_duckdb" not in materialized(result)
    assert workspace.published_checksum() == workspace.good_checksum


# --- rejected, with the reason ---------------------------------------------------------------


def test_missing_file(seeds):
    seeds.seed_path(GRANTS).unlink()
    assert_rejected(
        seeds,
        LOAD_STEP,
        f"seeds/domain_grants.csv: file not found: expected a CSV with columns {GRANTS_COLUMNS}",
    )


def test_empty_file(seeds):
    seeds.seed_path(GRANTS).write_text("", encoding="utf-8")
    assert_rejected(
        seeds,
        LOAD_STEP,
        f"seeds/domain_grants.csv: is empty: expected a header line with columns {GRANTS_COLUMNS}",
    )


def test_header_only(seeds):
    seeds.seed_path(GRANTS).write_text(grants_text(seeds).splitlines()[0] + "\n", encoding="utf-8")
    assert_rejected(
        seeds,
        LOAD_STEP,
        "seeds/domain_grants.csv: has a header but no rows: at least 1 row(s) required",
    )


def test_missing_column(seeds):
    rows = seeds.read_seed(GRANTS)
    seeds.write_seed(GRANTS, [{k: v for k, v in row.items() if k != "source_row"} for row in rows])
    assert_rejected(
        seeds,
        LOAD_STEP,
        "seeds/domain_grants.csv line 1, column source_row: is missing from the header",
    )


def test_renamed_column(seeds):
    replace_in_grants(seeds, "projects,amount_mad,", "projects,amount,")
    assert_rejected(
        seeds,
        LOAD_STEP,
        "seeds/domain_grants.csv has 2 problems:\n"
        "seeds/domain_grants.csv line 1, column amount_mad: is missing from the header (found amount instead: renamed?)\n"
        f"seeds/domain_grants.csv line 1, column amount: is not a column of this file: expected {GRANTS_COLUMNS}",
    )


def test_duplicated_column(seeds):
    lines = grants_text(seeds).splitlines()
    seeds.seed_path(GRANTS).write_text(
        "\n".join([lines[0] + ",projects"] + [line + ",1" for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    assert_rejected(
        seeds,
        LOAD_STEP,
        "seeds/domain_grants.csv line 1, column projects: appears twice in the header (columns 4 and 9)",
    )


def test_extra_column(seeds):
    rows = seeds.read_seed(GRANTS)
    seeds.write_seed(GRANTS, [{**row, "notes": ""} for row in rows])
    assert_rejected(
        seeds,
        LOAD_STEP,
        f"seeds/domain_grants.csv line 1, column notes: is not a column of this file: expected {GRANTS_COLUMNS}",
    )


def test_text_in_an_amount(seeds):
    seeds.edit_seed(GRANTS, 2, "amount_mad", "48O000")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 4, column amount_mad: "48O000" is not a whole number of dirhams (MAD) of 0 or more:'
        " write digits, optionally grouped by thousands with a space or no-break space as the report prints them (1 045 500)",
    )


def test_a_date_that_is_not_a_date(seeds):
    seeds.edit_seed("programme_events.csv", 0, "start_date", "10 ماي 2017")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/programme_events.csv line 2, column start_date: "10 ماي 2017" is not a date: expected a date written YYYY-MM-DD, e.g. 2017-05-10'
        # What looks values up in a file that failed is not validated against stale rows.
        "\n\nseeds/event_partners.csv: not loaded, because its values are looked up in"
        " raw.programme_events, which failed to load.",
    )


def test_a_negative_count(seeds):
    seeds.edit_seed(GRANTS, 0, "projects", "-10")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 2, column projects: "-10" is negative: expected a whole number of 0 or more',
    )


def test_a_fractional_count(seeds):
    seeds.edit_seed(GRANTS, 0, "projects", "10.5")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 2, column projects: "10.5" is not a whole number of 0 or more: a comma or a dot'
        " is not accepted in a number, because it reads as a decimal mark in one locale and a thousands separator in"
        " another; write 1 045 500 (spaces, as the report prints them) or 1045500",
    )


def test_a_negative_amount(seeds):
    seeds.edit_seed(GRANTS, 1, "amount_mad", "-480 000")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 3, column amount_mad: "-480 000" is negative: expected a whole number of dirhams (MAD) of 0 or more',
    )


@pytest.mark.parametrize("written", ["1,045,500", "1.045.500"])
def test_comma_or_dot_thousands_separators_are_rejected_with_the_reason(seeds, written):
    seeds.edit_seed(GRANTS, 0, "amount_mad", written)
    assert_rejected(
        seeds,
        LOAD_STEP,
        f'seeds/domain_grants.csv line 2, column amount_mad: "{written}" is not a whole number of dirhams (MAD) of 0 or more:'
        " a comma or a dot is not accepted in a number, because it reads as a decimal mark in one locale and a"
        " thousands separator in another; write 1 045 500 (spaces, as the report prints them) or 1045500",
    )


def test_a_duplicate_period_and_domain_row(seeds):
    rows = seeds.read_seed(GRANTS)
    seeds.write_seed(GRANTS, rows + [rows[0]])
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 10, column domain_label_ar: "المساعدة الإنسانية للمهاجرين واللاجئين"'
        " repeats the (programme_id, period, domain_code) of line 2 (migrant_integration_partnership, 2017, humanitarian_assistance): each must appear once",
    )


def test_the_same_domain_under_another_spelling_is_a_duplicate(seeds):
    rows = seeds.read_seed(GRANTS)
    seeds.write_seed(
        GRANTS, rows + [{**rows[2], "domain_label_ar": "الادماج الثقافي، الشباب والترفيه"}]
    )
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 10, column domain_label_ar: "الادماج الثقافي، الشباب والترفيه"'
        " repeats the (programme_id, period, domain_code) of line 4 (migrant_integration_partnership, 2017, cultural_integration): each must appear once",
    )


def test_an_unknown_domain_label_lists_the_known_ones(seeds):
    seeds.edit_seed(GRANTS, 4, "domain_label_ar", "المساعدات الإنسانية")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 6, column domain_label_ar: "المساعدات الإنسانية" is not a known label_ar of'
        f' domain_labels for programme_id "{PROGRAMME}"; known values: {KNOWN_LABELS}',
    )


def add_rows(workspace, file_name: str, *rows: dict[str, str]) -> None:
    workspace.write_seed(file_name, workspace.read_seed(file_name) + list(rows))


def test_a_domain_row_naming_another_programmes_domain(seeds):
    # Another programme, with a domain of its own, then a row of this programme's 2018 table
    # that names it: each programme's tables name only its own domains.
    add_rows(
        seeds,
        "programmes.csv",
        {
            "programme_id": "other_programme",
            "funder_id": "ministry_in_charge_of_migration",
            "programme_name_ar": "برنامج آخر",
            "programme_name_fr": "Autre programme",
            "programme_name_en": "Another programme",
        },
    )
    add_rows(
        seeds,
        "domains.csv",
        {
            "programme_id": "other_programme",
            "domain_code": "sport",
            "domain_name_ar": "الرياضة",
            "domain_name_fr": "Sport",
            "domain_name_en": "Sport",
            "display_order": "1",
        },
    )
    add_rows(
        seeds,
        "domain_labels.csv",
        {
            "programme_id": "other_programme",
            "label_ar": "الرياضة",
            "domain_code": "sport",
            "label_kind": "table_row",
            "printed_in": "Table 1 row 1",
        },
    )
    seeds.edit_seed(GRANTS, 4, "domain_label_ar", "الرياضة")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 6, column domain_label_ar: "الرياضة" is not a known label_ar of'
        f' domain_labels for programme_id "{PROGRAMME}"; known values: {KNOWN_LABELS}',
    )


def test_a_figure_for_a_period_its_programme_does_not_have(seeds):
    seeds.edit_seed(HEADLINES, 3, "period", "2019")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/headline_figures.csv line 5, column period: "2019" is not a known period of'
        f' reporting_periods for programme_id "{PROGRAMME}"; known values: "2014-2016", "2017", "2018"',
    )


def test_a_figure_with_an_unknown_qualifier_lists_the_known_ones(seeds):
    seeds.edit_seed(HEADLINES, 9, "qualifier", "approximately")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/headline_figures.csv line 11, column qualifier: "approximately" is not a known'
        ' qualifier of figure_qualifiers; known values: "about", "at_least", "at_most", "exact",'
        ' "less_than", "more_than"',
    )


def test_a_file_not_in_utf8(seeds):
    seeds.seed_path(GRANTS).write_bytes(grants_text(seeds).encode("cp1256"))
    assert_rejected(
        seeds,
        LOAD_STEP,
        "seeds/domain_grants.csv line 2: is not UTF-8 text (byte 0xC7); save the file as CSV UTF-8",
    )


def test_a_row_with_a_missing_field(seeds):
    replace_in_grants(
        seeds,
        "10,480 000,partnership_review_2017_2018,Table 01,2",
        "10,480 000,partnership_review_2017_2018,Table 01",
    )
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 3, column source_row: "migrant_integration_partnership,2017,المخيمات الصيفية,10,480 000,partnership_review_2017_2018,Table 01"'
        " cannot be read as CSV (Expected Number of Columns: 8 Found: 7)",
    )


# --- read correctly ----------------------------------------------------------------------------


def grants_as_loaded(workspace) -> list[tuple]:
    return query(
        workspace.settings.build_database,
        "select period, domain_label_ar, projects, amount_mad, source_row from raw.domain_grants",
    )


@pytest.fixture(scope="session")
def printed_grants(workspace):
    return grants_as_loaded(workspace)


@pytest.mark.parametrize(
    ("case", "transform"),
    [
        ("no-break space thousands", lambda t: t.replace("1 045 500", "1\u00a0045\u00a0500")),
        (
            "narrow no-break space thousands",
            lambda t: t.replace("4 022 000", "4\u202f022\u202f000"),
        ),
        ("leading zeros", lambda t: t.replace(",10,480 000,", ",010,480 000,")),
        ("Arabic-Indic digits", lambda t: t.replace(",65,4 022 000,", ",٦٥,٤ ٠٢٢ ٠٠٠,")),
        ("UTF-8 BOM", lambda t: "\ufeff" + t),
        ("Windows line endings", lambda t: t.replace("\n", "\r\n")),
        ("trailing blank lines", lambda t: t + "\n\n\n"),
        (
            "a quoted field with a comma",
            lambda t: t.replace(",Table 01,1\n", ',"Table 01",1\n').replace(
                "source_document,source_table", "source_document,source_table"
            ),
        ),
    ],
)
def test_input_written_as_people_write_it_is_read_correctly(seeds, printed_grants, case, transform):
    seeds.seed_path(GRANTS).write_text(transform(grants_text(seeds)), encoding="utf-8", newline="")
    result = seeds.load_only("domain_grants")
    assert result.success, step_failures(result)
    assert grants_as_loaded(seeds) == printed_grants


def test_a_quoted_comma_is_kept_inside_its_field(refreshed):
    (venue,) = query(
        refreshed.settings.published_database,
        "select venue_en from marts.fct_programme_events where event_id = 'consultation_meeting_2017'",
    )[0]
    assert venue == "Reception and Conference Centre, Hay Riad"


def test_a_bad_value_on_the_last_line_is_found_too(seeds):
    seeds.edit_seed(GRANTS, 7, "amount_mad", "336 OOO")
    assert_rejected(
        seeds,
        LOAD_STEP,
        'seeds/domain_grants.csv line 9, column amount_mad: "336 OOO" is not a whole number of dirhams (MAD) of 0 or more:'
        " write digits, optionally grouped by thousands with a space or no-break space as the report prints them (1 045 500)",
    )


def test_several_problems_are_listed_together(seeds):
    seeds.edit_seed(GRANTS, 0, "projects", "ten")
    seeds.edit_seed(GRANTS, 6, "period", "18")
    assert_rejected(
        seeds,
        LOAD_STEP,
        "seeds/domain_grants.csv has 2 problems:\n"
        'seeds/domain_grants.csv line 2, column projects: "ten" is not a whole number of 0 or more: write digits,'
        " optionally grouped by thousands with a space or no-break space as the report prints them (1 045 500)\n"
        'seeds/domain_grants.csv line 8, column period: "18" is not a period: expected a year (2017) or a span of years (2014-2016)',
    )
