"""Working file → published file: copy what readers need, then replace the old file atomically."""

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.sql import (
    column_types,
    quote_identifier,
    scalar,
    sql_literal,
    table_columns,
)
from orchestration.lib.staged_files import StagedFiles

PUBLISHED_SCHEMAS = ("marts",)
# A table with this column and source_fingerprint is published and exported per programme period,
# replacing only the ones whose fingerprint changed (fct_project_grants).
SPLIT_COLUMN = "programme_period"
# Written in the oldest storage format the marts allow: every DuckDB from 1.0 on (1.4 LTS, 1.5
# and 2.x included) opens it, so BI tools that bundle an older DuckDB (Metabase's driver, many
# Superset and DBeaver installs) read it too. It costs about a fifth more disk than 1.2's format
# (newer compression), measured on the shipped marts: 6.6 MB against 5.5 MB.
STORAGE_VERSION = "v1.0.0"


@dataclass(frozen=True)
class PublishedTable:
    schema: str
    name: str
    rows: int


def publish_database(
    build_database: Path,
    published_database: Path,
    parquet_dir: Path,
    duckdb_config: dict[str, str] | None = None,
) -> list[PublishedTable]:
    """Copy the published schemas of `build_database` (tables, with their descriptions) into a
    new file beside `published_database`, export each table as Parquet into `parquet_dir`, then
    rename the new files over the old ones.

    A table split by period (with `period` and `source_fingerprint` columns) is exported as one
    Parquet file per period, `<table>/<period>.parquet`; every other table as `<table>.parquet`.
    The new file starts as a copy of the published one when there is one in the same storage
    format: a table split by period with the same columns as published then only has its
    changed periods replaced, and only they are exported again; every other table is copied
    whole.

    Readers that hold the old file keep reading it; new connections see the new file. A crash
    at any point leaves the old files in place (stale `.tmp` files are removed next time).
    """
    published_database.parent.mkdir(parents=True, exist_ok=True)
    parquet_dir.mkdir(parents=True, exist_ok=True)
    for stale in published_database.parent.glob(f".{published_database.name}.*.tmp*"):
        stale.unlink()
    temporary = published_database.with_name(f".{published_database.name}.{uuid.uuid4().hex}.tmp")
    exports = ParquetExports(parquet_dir)
    exports.files.remove_stale()
    try:
        previous = _in_storage_version(published_database, duckdb_config)
        if previous:
            shutil.copyfile(published_database, temporary)
        tables = _write_published_file(build_database, temporary, previous, exports, duckdb_config)
        _fsync(temporary)
        os.replace(temporary, published_database)
    except BaseException:
        # Failed or stopped (SIGTERM) before the swap: the old files stay, and no half-written
        # new one is left behind.
        for path in [temporary, temporary.with_name(temporary.name + ".wal")]:
            path.unlink(missing_ok=True)
        exports.files.discard()
        raise
    _fsync(published_database.parent)
    exports.files.replace_old_files()
    return tables


def _write_published_file(
    build_database: Path,
    temporary: Path,
    previous: bool,
    exports: "ParquetExports",
    duckdb_config: dict[str, str] | None,
) -> list[PublishedTable]:
    """Make `temporary` hold the published schemas of `build_database` (starting from a copy of
    the published file when `previous`), exporting each table's Parquet on the way."""
    tables: list[PublishedTable] = []
    with _connect(duckdb_config) as connection:
        connection.execute("attach ? as build (read_only)", [str(build_database)])
        connection.execute(
            f"attach ? as published (storage_version '{STORAGE_VERSION}')", [str(temporary)]
        )
        for schema in PUBLISHED_SCHEMAS:
            connection.execute(f"create schema if not exists published.{schema}")
            built = dict(_tables(connection, "build", schema))
            for name in dict(_tables(connection, "published", schema)).keys() - built.keys():
                connection.execute(f"drop table published.{schema}.{name}")
            for name, comment in sorted(built.items()):
                target = f"published.{schema}.{name}"
                columns = column_types(connection, schema, name, database="build")
                # Split by programme period, with a fingerprint of each one's rows
                # (fct_project_grants).
                split = {SPLIT_COLUMN, "source_fingerprint"} <= {column for column, _ in columns}
                if (
                    split
                    and previous
                    and columns == column_types(connection, schema, name, database="published")
                ):
                    changed = _replace_changed_periods(connection, schema, name)
                else:
                    connection.execute(
                        f"create or replace table {target} as select * from build.{schema}.{name}"
                    )
                    changed = None  # all of it
                _copy_comments(connection, schema, name, comment, target)
                rows = scalar(connection, f"select count(*) from {target}")
                tables.append(PublishedTable(schema, name, rows))
                if split:
                    exports.by_period(connection, target, name, changed)
                else:
                    exports.whole(connection, target, name)
        connection.execute("detach published")
    return tables


class ParquetExports:
    """The Parquet files of one publish, staged (`files`) beside the old ones and renamed over
    them only once the new DuckDB file is in place; files of tables and periods no longer
    published are removed then."""

    def __init__(self, parquet_dir: Path):
        self.parquet_dir = parquet_dir
        self.files = StagedFiles(parquet_dir)

    def whole(self, connection, target: str, name: str) -> None:
        self._export(connection, f"select * from {target}", self.parquet_dir / f"{name}.parquet")

    def by_period(self, connection, target: str, name: str, changed: set[str] | None) -> None:
        """One file per programme period of `target`, `<name>/<programme_id>.<period>.parquet`:
        those in `changed` (all when None) and those with no file yet; an empty table gets
        `<name>/_empty.parquet`, so that its columns stay readable."""
        directory = self.parquet_dir / name
        directory.mkdir(exist_ok=True)
        parts = {
            row[0]
            for row in connection.execute(
                f"select distinct {SPLIT_COLUMN} from {target}"
            ).fetchall()
        }
        for part in sorted(parts):
            path = directory / f"{part}.parquet"
            if changed is None or part in changed or not path.exists():
                self._export(
                    connection, f"select * from {target} where {SPLIT_COLUMN} = ?", path, [part]
                )
            else:
                self.files.keep(path)
        if not parts:
            self._export(connection, f"select * from {target}", directory / "_empty.parquet")

    def _export(self, connection, query: str, path: Path, parameters=()) -> None:
        connection.execute(
            f"copy ({query}) to ? (format parquet)", [*parameters, str(self.files.new(path))]
        )


def _in_storage_version(database: Path, duckdb_config: dict[str, str] | None) -> bool:
    """Whether `database` exists and is written in STORAGE_VERSION (so a copy of it can be
    updated in place and still be read by the BI tools it was written for)."""
    if not database.exists():
        return False
    with _connect(duckdb_config) as connection:
        connection.execute("attach ? as published (read_only)", [str(database)])
        tags = scalar(
            connection, "select tags from duckdb_databases() where database_name = 'published'"
        )
    return tags.get("storage_version", "").startswith(STORAGE_VERSION)


def _tables(connection, database: str, schema: str) -> list[tuple[str, str | None]]:
    return connection.execute(
        "select table_name, comment from duckdb_tables()"
        " where database_name = ? and schema_name = ? order by table_name",
        [database, schema],
    ).fetchall()


def _replace_changed_periods(connection, schema: str, name: str) -> set[str]:
    """Make published.<schema>.<name> equal to build's by replacing only the programme periods
    whose fingerprint differs (and deleting those that are gone); returns them."""
    fingerprints = f"select distinct {SPLIT_COLUMN}, source_fingerprint from {{}}.{{}}.{{}}"
    built, published = (
        fingerprints.format(database, schema, name) for database in ("build", "published")
    )
    changed = {
        row[0]
        for row in connection.execute(
            f"select {SPLIT_COLUMN} from (({built}) except ({published}))"
            f" union select {SPLIT_COLUMN} from (({published}) except ({built}))"
        ).fetchall()
    }
    if changed:
        connection.execute("create or replace temp table changed_periods (period varchar)")
        connection.executemany("insert into changed_periods values (?)", [[p] for p in changed])
        condition = f"where {SPLIT_COLUMN} in (select period from changed_periods)"
        connection.execute(f"delete from published.{schema}.{name} {condition}")
        connection.execute(
            f"insert into published.{schema}.{name} select * from build.{schema}.{name} {condition}"
        )
    return changed


def _copy_comments(connection, schema: str, name: str, comment: str | None, target: str) -> None:
    if comment:
        connection.execute(f"comment on table {target} is {sql_literal(comment)}")
    for column in table_columns(connection, schema, name, database="build"):
        if column.comment is not None:
            connection.execute(
                f"comment on column {target}.{quote_identifier(column.name)}"
                f" is {sql_literal(column.comment)}"
            )


def _connect(duckdb_config: dict[str, str] | None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the warehouse's settings (`duckdb_config`)."""
    config: dict[str, str | bool | int | float | list[str]] = dict(duckdb_config or {})
    return duckdb.connect(config=config)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
