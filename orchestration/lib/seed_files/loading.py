"""Loading one seed file: read with DuckDB's CSV reader (all text first, so that a bad value is
reported rather than guessed), every value checked in SQL, and only then the raw table replaced,
in a transaction. Any problem raises `SeedError` and leaves the previous raw table in place."""

from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.lib.seed_files.formats import value_sql
from orchestration.lib.seed_files.problems import (
    MAX_PROBLEMS_REPORTED,
    SeedError,
    SeedProblem,
    record_start_lines,
)
from orchestration.lib.seed_files.reading import create_typed, read_text
from orchestration.lib.seed_files.references import check_references
from orchestration.lib.seed_files.schema import RAW_SCHEMA, SeedTable, raw_table
from orchestration.lib.seed_files.text_checks import not_utf8, read_header
from orchestration.lib.sql import one_row, quote_identifier, sql_literal


def load_seed(connection: duckdb.DuckDBPyConnection, table: SeedTable, path: Path) -> int:
    """Validate `path` against `table` and replace `raw.<table>` with its typed rows.

    Returns the number of rows loaded. Raises `SeedError` and leaves the raw table as it was if
    anything is wrong with the file.
    """
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    if table.optional and not path.exists():
        create_empty(connection, table)
        return 0
    header = read_header(path, table)
    connection.execute("begin transaction")
    try:
        rows = load_in_transaction(connection, table, path, header, raw_table(table))
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")
    return rows


def create_empty(connection: duckdb.DuckDBPyConnection, table: SeedTable) -> None:
    """`raw.<table>` replaced by an empty table of the declared columns."""
    columns = ", ".join(f"{quote_identifier(c.name)} {c.data_type}" for c in table.columns)
    connection.execute(f"create or replace table {raw_table(table)} ({columns})")


def load_in_transaction(
    connection: duckdb.DuckDBPyConnection,
    table: SeedTable,
    path: Path,
    header: Sequence[str],
    target: str,
    temporary: bool = False,
) -> int:
    """One read of the file types every value straight into `target` (`raw.<table>`, or a
    temporary table when `temporary`) and flags the rows with a bad value; the file is read
    again only to explain a problem. Runs in the caller's transaction, so a bad file leaves the
    previous raw table in place. Returns the number of rows."""
    create_typed(connection, table, header, str(path), target, temporary)
    _raise_rejected(connection, path)
    record_count, any_problem = one_row(
        connection, f"select count(*), coalesce(bool_or(has_problem), false) from {target}"
    )
    if record_count < table.min_rows:
        raise SeedError(
            path,
            [SeedProblem(f"has a header but no rows: at least {table.min_rows} row(s) required")],
        )
    if any_problem:
        _raise_bad_values(connection, table, path, header)
    check_references(connection, table, path, header, target)
    # Dropping a column rewrites nothing: the table keeps the file's rows, in file order.
    connection.execute(f"alter table {target} drop column has_problem")
    return int(record_count)


def _raise_rejected(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Raise `SeedError` for the records DuckDB's CSV reader could not read, if any."""
    rejected = connection.execute(
        "select line, column_name, error_type, trim(csv_line, chr(10) || chr(13)), error_message"
        " from seed_rejects order by line limit ?",
        [MAX_PROBLEMS_REPORTED],
    ).fetchall()
    if rejected:
        problems = [_rejected_problem(path, *row) for row in rejected]
        raise SeedError(path, list(dict.fromkeys(problems)))


def _rejected_problem(
    path: Path, line: int, column_name: str, error_type: str, csv_line: str, error_message: str
) -> SeedProblem:
    if error_type == "INVALID ENCODING":
        return not_utf8(path)
    return SeedProblem(
        f"cannot be read as CSV ({error_message})", line=line, column=column_name, value=csv_line
    )


def _raise_bad_values(
    connection: duckdb.DuckDBPyConnection, table: SeedTable, path: Path, header: Sequence[str]
) -> None:
    """Raise `SeedError` saying which value is wrong, where and why: each column of the text,
    read again."""
    problem_rows = connection.execute(
        f"with seed_text as (select * from {read_text(header, rejects=False)}) "
        "select * from ("
        + " union all ".join(
            f"select ordinality, {position} as position, {sql_literal(column.name)}"
            f" as column_name, {quote_identifier(column.name)} as value,"
            f" {value_sql(column, quote_identifier(column.name)).problem} as problem"
            " from seed_text"
            for position, column in enumerate(table.columns)
        )
        + ") where problem is not null order by ordinality, position limit ?",
        [str(path), MAX_PROBLEMS_REPORTED],
    ).fetchall()
    lines = record_start_lines(path)
    raise SeedError(
        path,
        [
            SeedProblem(problem, line=lines[ordinal - 1], column=name, value=value)
            for ordinal, _, name, value, problem in problem_rows
        ],
    )
