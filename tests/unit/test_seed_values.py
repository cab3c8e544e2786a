"""Pure parts of the seed loader: values written as the report prints them, line numbers, which
files a table loads from."""

import duckdb
import pytest

from orchestration.lib.formatting import format_mad, group_thousands
from orchestration.lib.seed_files.formats import value_sql
from orchestration.lib.seed_files.problems import record_start_lines
from orchestration.lib.seed_files.schema import (
    SeedColumn,
    SeedTable,
    seed_paths,
    seed_table_of_file,
)


def parse(value: str | None, format: str, nullable: bool = False):
    """(typed value, problem) of one text value, computed by DuckDB from the loader's SQL."""
    column = SeedColumn(
        "c",
        "bigint" if format in {"whole_number", "amount_mad"} else "varchar",
        format,
        nullable,
        "",
    )
    sql = value_sql(column, "v")
    with duckdb.connect() as connection:
        problem = connection.execute(
            f"select {sql.problem} from (select ?::varchar as v)", [value]
        ).fetchone()[0]
        if problem is not None:
            return None, problem
        return connection.execute(
            f"select {sql.typed} from (select ?::varchar as v)", [value]
        ).fetchone()[0], None


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1 045 500", 1_045_500),  # the report's own style
        ("1\u00a0045\u00a0500", 1_045_500),  # no-break space
        ("1\u202f045\u202f500", 1_045_500),  # narrow no-break space
        ("05", 5),  # leading zero, as Table 02 prints it
        ("480000", 480_000),
        (" 10 ", 10),
        ("٠٥", 5),  # Arabic-Indic digits
        ("۱۰", 10),  # Eastern Arabic-Indic digits
        ("١ ٠٤٥ ٥٠٠", 1_045_500),
        ("0", 0),
    ],
)
def test_whole_numbers_as_printed(printed, expected):
    assert parse(printed, "amount_mad") == (expected, None)


@pytest.mark.parametrize(
    ("printed", "problem"),
    [
        (
            "1,045,500",
            "is not a whole number of dirhams (MAD) of 0 or more: a comma or a dot is not accepted in a number",
        ),
        (
            "1.045.500",
            "is not a whole number of dirhams (MAD) of 0 or more: a comma or a dot is not accepted in a number",
        ),
        ("-1000", "is negative: expected a whole number of dirhams (MAD) of 0 or more"),
        ("48O000", "is not a whole number of dirhams (MAD) of 0 or more: write digits"),
        ("1 04 5500", "is not a whole number of dirhams (MAD) of 0 or more: write digits"),
        ("", "is empty: a value is required"),
        (None, "is empty: a value is required"),
        (
            "99999999999999999999",
            "is too large: expected a whole number of dirhams (MAD) of 0 or more",
        ),
    ],
)
def test_bad_amounts_are_explained(printed, problem):
    typed, message = parse(printed, "amount_mad")
    assert typed is None
    assert message.startswith(problem)


def test_a_fractional_count_is_rejected():
    assert parse("10.5", "whole_number")[1].startswith(
        "is not a whole number of 0 or more: a comma or a dot is not accepted"
    )


def test_optional_values_may_be_empty():
    assert parse("", "whole_number", nullable=True) == (None, None)


@pytest.mark.parametrize(
    ("printed", "ok"),
    [("2017-05-10", True), ("2017-13-01", False), ("10/05/2017", False), ("2017-5-1", False)],
)
def test_dates(printed, ok):
    typed, problem = parse(printed, "date")
    assert (problem is None) == ok
    if not ok:
        assert problem == "is not a date: expected a date written YYYY-MM-DD, e.g. 2017-05-10"


@pytest.mark.parametrize(
    ("printed", "ok"), [("2017", True), ("2014-2016", True), ("17", False), ("2017/18", False)]
)
def test_periods(printed, ok):
    assert (parse(printed, "period")[1] is None) == ok


def test_record_start_lines_skip_blank_lines_and_follow_quoted_newlines(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b'a,b\r\n1,x\r\n\r\n2,"two\r\nlines"\r\n3,z\r\n\r\n')
    assert record_start_lines(path) == [2, 4, 6]


def test_amounts_formatted_as_the_report_prints_them():
    assert format_mad(6_991_500) == "6 991 500"
    assert format_mad(None) == "—"
    assert group_thousands(1_899_500, ".") == "1.899.500"
    assert group_thousands(-1_000) == "-1 000"
    assert group_thousands(500) == "500"


@pytest.mark.parametrize(
    ("printed", "expected"), [("-1 000", -1000), ("−1 000", -1000), ("1 000", 1000), ("0", 0)]
)
def test_signed_amounts(printed, expected):
    assert parse(printed, "signed_amount_mad") == (expected, None)


def test_a_signed_amount_still_rejects_a_dot():
    assert parse("-1.000", "signed_amount_mad")[1].startswith(
        "is not a whole number of dirhams (MAD), with a minus sign if negative: a comma or a dot"
    )


REGISTER = SeedTable(
    "grant_agreements", "grant_agreements.csv", "", (), 0, (), {}, split_by="period"
)
DOMAINS = SeedTable("domain_grants", "domain_grants.csv", "", (), 1, (), {})


@pytest.mark.parametrize(
    ("file_name", "table"),
    [
        ("grant_agreements.csv", REGISTER),
        ("grant_agreements.2019.csv", REGISTER),
        ("grant_agreements.2019-2020.csv", REGISTER),
        ("domain_grants.csv", DOMAINS),
        ("domain_grants.2019.csv", None),  # not split: a part is an unknown file
        ("grant_agreements..csv", None),
        ("grant_agreements.2019.txt", None),
        ("grant_agreements_2019.csv", None),
        ("notes.csv", None),
    ],
)
def test_the_table_a_file_loads_into(file_name, table):
    assert seed_table_of_file(file_name, [REGISTER, DOMAINS]) == table


def test_a_split_table_loads_from_its_file_and_its_parts_in_name_order(tmp_path):
    for name in (
        "grant_agreements.2019.csv",
        "grant_agreements.csv",
        "grant_agreements.2018.csv",
        "domain_grants.csv",
        "grant_agreements_2020.csv",
    ):
        (tmp_path / name).write_text("")
    assert [path.name for path in seed_paths(REGISTER, tmp_path)] == [
        "grant_agreements.2018.csv",
        "grant_agreements.2019.csv",
        "grant_agreements.csv",
    ]
    (tmp_path / "grant_agreements.csv").unlink()
    assert len(seed_paths(REGISTER, tmp_path)) == 2
    # A table that is not split loads from its one file, whether it exists or not.
    assert seed_paths(DOMAINS, tmp_path / "empty") == [tmp_path / "empty" / "domain_grants.csv"]
