"""Pieces of DuckDB SQL written by hand: a quoted identifier, a string literal, and the columns
a table has (from `duckdb_columns()`)."""

from typing import Any, NamedTuple

import duckdb


def quote_identifier(name: str) -> str:
    """`name` as a double-quoted SQL identifier (a table or column of any spelling)."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    """`text` as a single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


class Column(NamedTuple):
    name: str
    data_type: str
    comment: str | None


def table_columns(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str, database: str | None = None
) -> list[Column]:
    """The columns of `database.schema.table` (the current database by default), in order;
    empty if there is no such table."""
    rows = connection.execute(
        "select column_name, data_type, comment from duckdb_columns()"
        " where database_name = coalesce(?, current_database()) and schema_name = ?"
        " and table_name = ? order by column_index",
        [database, schema, table],
    ).fetchall()
    return [Column(*row) for row in rows]


def column_types(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str, database: str | None = None
) -> list[tuple[str, str]]:
    """(name, type) of each column of `database.schema.table`, in order (see `table_columns`)."""
    return [
        (column.name, column.data_type)
        for column in table_columns(connection, schema, table, database)
    ]


def one_row(
    connection: duckdb.DuckDBPyConnection, query: str, parameters: list[object] | None = None
) -> tuple[Any, ...]:
    """The first row of `query`, one that always returns a row (such as a `count(*)` or an
    `exists`)."""
    row = connection.execute(query, parameters).fetchone()
    if row is None:
        raise LookupError(f"the query returned no row: {query}")
    return row


def scalar(
    connection: duckdb.DuckDBPyConnection, query: str, parameters: list[object] | None = None
) -> Any:
    """The first value of `one_row(query)`."""
    return one_row(connection, query, parameters)[0]
