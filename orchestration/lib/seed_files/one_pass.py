"""Several files of a split table (the register's periods) read by one multi-file scan of
DuckDB's CSV reader and checked together, set-wise: whether anything is wrong, never where.

A cold build of 10^7 agreements in 20 files cost a round of queries per file, and each file's
key checked against every row loaded before it. Here every check is one query over all the
files. When one of them finds anything, the caller loads the files one by one instead, which
says which file, line, column and value (register.py): the messages stay those of a single
file, and only a bad refresh pays for locating them."""

from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.lib.seed_files.reading import create_typed
from orchestration.lib.seed_files.references import any_unknown_reference_or_repeated_key
from orchestration.lib.seed_files.schema import SeedTable
from orchestration.lib.sql import quote_identifier, scalar

# The column the multi-file scan adds: the path of each row's file.
FILE_COLUMN = "seed_file_path"


class FilesNeedLocatingError(Exception):
    """A check over the files together found something: load them one by one to say what."""


def read_together(
    connection: duckdb.DuckDBPyConnection,
    table: SeedTable,
    paths: Sequence[Path],
    header: Sequence[str],
    target: str,
    temporary: bool,
) -> dict[str, list[str | None]]:
    """Read every file of `paths` (all with `header`) into `target` in one scan, typed as
    declared, and check them as one file is checked, plus that no split value is in two of
    them. Returns each file's split values, by file name (none for a file without rows).
    Raises FilesNeedLocatingError when any check fails; runs in the caller's transaction."""
    create_typed(
        connection, table, header, [str(path) for path in paths], target, temporary, FILE_COLUMN
    )
    split = quote_identifier(table.split_by or "")
    rows_by_file = dict(
        connection.execute(
            f"select {FILE_COLUMN}, count(*) from {target} group by {FILE_COLUMN}"
        ).fetchall()
    )
    if (
        scalar(connection, "select exists (select 1 from seed_rejects)")
        or any(rows_by_file.get(str(path), 0) < table.min_rows for path in paths)
        or scalar(connection, f"select coalesce(bool_or(has_problem), false) from {target}")
        or scalar(
            connection,
            f"select exists (select 1 from {target} group by {split}"
            f" having count(distinct {FILE_COLUMN}) > 1)",
        )
    ):
        raise FilesNeedLocatingError()
    connection.execute(f"alter table {target} drop column has_problem")
    split_values: dict[str, list[str | None]] = {path.name: [] for path in paths}
    for file_path, value in connection.execute(
        f"select distinct {FILE_COLUMN}, cast({split} as varchar) from {target}"
    ).fetchall():
        split_values[Path(file_path).name].append(value)
    # Dropped before the key and lookup checks: they must see the declared columns only.
    connection.execute(f"alter table {target} drop column {FILE_COLUMN}")
    if any_unknown_reference_or_repeated_key(connection, table, target):
        raise FilesNeedLocatingError()
    return {name: values or [None] for name, values in split_values.items()}
