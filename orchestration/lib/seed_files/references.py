"""Lookups and keys over a loaded file (the view `seed_typed`): values that must be found in
another seed table, columns derived from their lookup row, and keys that must not repeat.

Each check first asks whether anything is wrong, over the loaded table; only then is the file
read again with each record's ordinal, to say on which lines."""

from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.lib.seed_files.problems import (
    MAX_PROBLEMS_REPORTED,
    LazyLines,
    Located,
    raise_located,
)
from orchestration.lib.seed_files.reading import create_located
from orchestration.lib.seed_files.schema import RAW_SCHEMA, SeedTable
from orchestration.lib.sql import quote_identifier, scalar


def check_references(
    connection: duckdb.DuckDBPyConnection,
    table: SeedTable,
    path: Path,
    header: Sequence[str],
    target: str,
) -> None:
    """Raise `SeedError` for each unknown reference or repeated key of `target` (the file as
    loaded), located by line."""
    if any_unknown_reference_or_repeated_key(connection, table, target):
        create_located(connection, table, header, path)
        connection.execute("create or replace temp view seed_typed as select * from seed_located")
        lines = LazyLines(path)
        raise_located(path, lines, _unknown_references(connection, table))
        _add_derived_columns(connection, table)
        raise_located(path, lines, _duplicate_keys(connection, table, lines))
        _drop_seed_typed(connection)


def any_unknown_reference_or_repeated_key(
    connection: duckdb.DuckDBPyConnection, table: SeedTable, target: str
) -> bool:
    """Whether any looked-up value of `target` is missing from its lookups, or a unique key of
    it repeats: set-wise over the loaded rows, nothing located."""
    connection.execute(f"create or replace temp view seed_typed as select * from {target}")
    _add_derived_columns(connection, table)
    found = _any_unknown_reference(connection, table) or _any_repeated_key(connection, table)
    _drop_seed_typed(connection)
    return found


def _drop_seed_typed(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("drop view if exists seed_typed")
    connection.execute("drop table if exists seed_typed_derived")


def key_columns(table: SeedTable) -> str:
    """The table's unique key as a SQL column list."""
    return ", ".join(quote_identifier(name) for name in table.unique_key)


def _add_derived_columns(connection: duckdb.DuckDBPyConnection, table: SeedTable) -> None:
    """Add each derived column (e.g. a label's domain code) to seed_typed, from its lookup."""
    if not table.derived:
        return
    derived = ", ".join(
        "cast(coalesce("
        + ", ".join(
            f"(select {quote_identifier(take)} from {RAW_SCHEMA}.{quote_identifier(other_table)}"
            f" as lookup where lookup.{quote_identifier(other_column)}"
            f" = seed_typed.{quote_identifier(source)}{_scope_sql(table, source)})"
            for other_table, other_column in table.lookups[source]
        )
        + f", null) as varchar) as {quote_identifier(column)}"
        for column, (source, take) in table.derived.items()
    )
    # A new table rather than an UPDATE: rewriting every row in place costs far more.
    connection.execute(
        f"create or replace temp table seed_typed_derived as select *, {derived} from seed_typed"
    )
    connection.execute("create or replace temp view seed_typed as select * from seed_typed_derived")


def _any_repeated_key(connection: duckdb.DuckDBPyConnection, table: SeedTable) -> bool:
    """Whether a unique key repeats in seed_typed (a hash aggregate: no sort, no ordinals)."""
    if not table.unique_key:
        return False
    key = key_columns(table)
    return bool(
        scalar(
            connection,
            f"select exists (select 1 from seed_typed group by {key} having count(*) > 1)",
        )
    )


def _duplicate_keys(
    connection: duckdb.DuckDBPyConnection, table: SeedTable, lines: Sequence[int]
) -> list[Located]:
    if not _any_repeated_key(connection, table):
        return []
    key = key_columns(table)
    # A derived key column (a label's domain code) is reported on the file column it comes from.
    reported = next(
        (table.derived[name][0] for name in table.unique_key if name in table.derived),
        table.unique_key[-1],
    )
    rows = connection.execute(
        f"""
        select ordinality, first_ordinality, {quote_identifier(reported)}, {key}
        from (
            select ordinality, {key}, {quote_identifier(reported)},
                min(ordinality) over (partition by {key}) as first_ordinality
            from seed_typed
        )
        where ordinality > first_ordinality
        """
    ).fetchall()
    key_label = (
        table.unique_key[0] if len(table.unique_key) == 1 else f"({', '.join(table.unique_key)})"
    )
    return [
        (
            ordinal,
            reported,
            str(value),
            f"repeats the {key_label} of line {lines[first_ordinal - 1]}"
            f" ({', '.join(str(v) for v in key_values)}): each must appear once",
        )
        for ordinal, first_ordinal, value, *key_values in rows
    ]


def _known_values_sql(targets: Sequence[tuple[str, str]], where: str = "") -> str:
    return " union ".join(
        f"select cast({quote_identifier(other_column)} as varchar) as known"
        f" from {RAW_SCHEMA}.{quote_identifier(other_table)} as lookup{where}"
        for other_table, other_column in targets
    )


def _scope_sql(table: SeedTable, column: str) -> str:
    """` and lookup.<scope> = seed_typed.<scope>` for each column the lookup is scoped by."""
    return "".join(
        f" and lookup.{quote_identifier(scope)} = seed_typed.{quote_identifier(scope)}"
        for scope in table.lookup_scopes.get(column, ())
    )


def _unknown_sql(table: SeedTable, column: str) -> str:
    """The rows of seed_typed whose `column` is set and found in none of its lookup tables
    (among the rows of the same scope, for a scoped lookup)."""
    quoted = quote_identifier(column)
    targets = table.lookups[column]
    if column not in table.lookup_scopes:
        return (
            f"seed_typed where {quoted} is not null"
            f" and cast({quoted} as varchar) not in ({_known_values_sql(targets)})"
        )
    return f"seed_typed where {quoted} is not null" + "".join(
        f" and not exists (select 1 from {RAW_SCHEMA}.{quote_identifier(other_table)} as lookup"
        f" where cast(lookup.{quote_identifier(other_column)} as varchar)"
        f" = cast(seed_typed.{quoted} as varchar){_scope_sql(table, column)})"
        for other_table, other_column in targets
    )


def _any_unknown_reference(connection: duckdb.DuckDBPyConnection, table: SeedTable) -> bool:
    """Whether any looked-up value of seed_typed is missing from its lookup tables."""
    return any(
        scalar(connection, f"select exists (select 1 from {_unknown_sql(table, column)})")
        for column in table.lookups
    )


def _unknown_references(connection: duckdb.DuckDBPyConnection, table: SeedTable) -> list[Located]:
    problems: list[Located] = []
    for column, targets in table.lookups.items():
        scopes = table.lookup_scopes.get(column, ())
        scope_columns = "".join(f", {quote_identifier(scope)}" for scope in scopes)
        rows = connection.execute(
            f"select ordinality, {quote_identifier(column)}{scope_columns}"
            f" from {_unknown_sql(table, column)}"
            f" order by ordinality limit {MAX_PROBLEMS_REPORTED}"
        ).fetchall()
        if not rows:
            continue
        expected = " or ".join(
            f"{other_column} of {other_table}" for other_table, other_column in targets
        )
        where = " where " + " and ".join(f"lookup.{quote_identifier(s)} = ?" for s in scopes)
        known_sql = f"{_known_values_sql(targets, where if scopes else '')} order by known"
        known_by_scope: dict[tuple, str] = {}  # one query per scope, not per bad row
        for ordinal, value, *scope_values in rows:
            scope_key = tuple(scope_values)
            if scope_key not in known_by_scope:
                known = connection.execute(known_sql, scope_values * len(targets)).fetchall()
                known_by_scope[scope_key] = ", ".join(f'"{k}"' for (k,) in known) or "none"
            known_values = known_by_scope[scope_key]
            scope_text = "".join(
                f' for {scope} "{scope_value}"'
                for scope, scope_value in zip(scopes, scope_values, strict=True)
            )
            problems.append(
                (
                    ordinal,
                    column,
                    str(value),
                    f"is not a known {expected}{scope_text}; known values: {known_values}",
                )
            )
    return problems
