"""How DuckDB reads a seed file, as SQL: its CSV reader with every column as text, and the
select list that types each column as declared."""

from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.lib.seed_files.formats import value_sql
from orchestration.lib.seed_files.schema import SeedTable
from orchestration.lib.sql import quote_identifier, sql_literal


def read_text(header: Sequence[str], rejects: bool = True, file_name: bool = False) -> str:
    """DuckDB's CSV reader over the file (the query's `?`, or a list of files with the same
    header): every column as text, with each record's ordinal (and with `file_name`, its
    file's path as `filename`); unreadable records go to `seed_rejects` with their line."""
    columns = "{" + ", ".join(f"{sql_literal(name)}: 'VARCHAR'" for name in header) + "}"
    store = (
        ", store_rejects = true, rejects_table = 'seed_rejects', rejects_scan = 'seed_scans'"
        if rejects
        else ", ignore_errors = true"
    )
    return (
        f"read_csv(?, header = true, columns = {columns}, delim = ',', quote = '\"',"
        " escape = '\"', auto_detect = false, strict_mode = true, null_padding = false"
        f"{store}{', filename = true' if file_name else ''}) with ordinality"
    )


def typed_columns(table: SeedTable) -> str:
    """The select list that types each text column of the file as declared."""
    return ", ".join(
        f"cast({value_sql(column, quote_identifier(column.name)).typed} as {column.data_type})"
        f" as {quote_identifier(column.name)}"
        for column in table.columns
    )


def create_located(
    connection: duckdb.DuckDBPyConnection, table: SeedTable, header: Sequence[str], path: Path
) -> None:
    """`seed_located`: the file read again, typed, with each record's ordinal, to say on which
    line a problem found over the loaded table is."""
    connection.execute(
        f"create or replace temp table seed_located as select ordinality, {typed_columns(table)}"
        f" from {read_text(header, rejects=False)}",
        [str(path)],
    )


def create_typed(
    connection: duckdb.DuckDBPyConnection,
    table: SeedTable,
    header: Sequence[str],
    files: str | list[str],
    target: str,
    temporary: bool,
    file_column: str | None = None,
) -> None:
    """`target` (a temporary table when `temporary`): one read of `files` (a path, or several
    with the same header) with every value typed as declared and `has_problem` on each row
    with a bad value (and, with `file_column`, the path of its file); unreadable records go to
    `seed_rejects`."""
    flagged = " or ".join(
        f"({value_sql(column, quote_identifier(column.name)).problem}) is not null"
        for column in table.columns
    )
    from_file = f", filename as {file_column}" if file_column else ""
    connection.execute("drop table if exists seed_rejects")
    connection.execute("drop table if exists seed_scans")
    connection.execute(
        f"create or replace {'temp ' if temporary else ''}table {target} as select"
        f" {typed_columns(table)}, {flagged} as has_problem{from_file}"
        f" from {read_text(header, file_name=file_column is not None)}",
        [files],
    )
