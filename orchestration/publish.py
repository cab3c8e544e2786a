"""Working file → published file: copy what readers need, then replace the old file atomically."""

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.resources import DUCKDB_WRITER_POOL, OWNERS, WarehouseResource
from orchestration.transform import model_keys

PUBLISHED_SCHEMAS = ("marts",)
# Written in the storage format of the previous DuckDB release line, so that BI tools bundling
# an older DuckDB can still open the file.
STORAGE_VERSION = "v1.5.0"


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

    The new file starts as a copy of the published one when there is one in the same storage
    format: a table split by period (with `period` and `source_fingerprint` columns, the same
    columns as published) then only has its changed periods replaced, and only they are
    written again as Parquet; every other table is copied whole.

    Readers that hold the old file keep reading it; new connections see the new file. A crash
    at any point leaves the old files in place (stale `.tmp` files are removed next time).
    """
    published_database.parent.mkdir(parents=True, exist_ok=True)
    parquet_dir.mkdir(parents=True, exist_ok=True)
    for stale in [
        *published_database.parent.glob(f".{published_database.name}.*.tmp*"),
        *parquet_dir.glob(".*.tmp"),
    ]:
        stale.unlink()
    temporary = published_database.with_name(f".{published_database.name}.{uuid.uuid4().hex}.tmp")
    previous = _in_storage_version(published_database, duckdb_config)
    if previous:
        shutil.copyfile(published_database, temporary)
    tables: list[PublishedTable] = []
    with duckdb.connect(config=duckdb_config or {}) as connection:
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
                if previous and _split_by_period(connection, schema, name):
                    _replace_changed_periods(connection, schema, name)
                else:
                    connection.execute(
                        f"create or replace table {target} as select * from build.{schema}.{name}"
                    )
                _copy_comments(connection, schema, name, comment, target)
                rows = connection.execute(f"select count(*) from {target}").fetchone()[0]
                tables.append(PublishedTable(schema, name, rows))
                connection.execute(
                    f"copy {target} to ? (format parquet)",
                    [str(_parquet_temporary(parquet_dir, name))],
                )
        connection.execute("detach published")
    _fsync(temporary)
    os.replace(temporary, published_database)
    _fsync(published_database.parent)
    for table in tables:
        os.replace(
            _parquet_temporary(parquet_dir, table.name), parquet_dir / f"{table.name}.parquet"
        )
    current = {f"{table.name}.parquet" for table in tables}
    for old in parquet_dir.glob("*.parquet"):
        if old.name not in current:
            old.unlink()
    return tables


def _in_storage_version(database: Path, duckdb_config: dict[str, str] | None) -> bool:
    """Whether `database` exists and is written in STORAGE_VERSION (so a copy of it can be
    updated in place and still be read by the BI tools it was written for)."""
    if not database.exists():
        return False
    with duckdb.connect(config=duckdb_config or {}) as connection:
        connection.execute("attach ? as published (read_only)", [str(database)])
        tags = connection.execute(
            "select tags from duckdb_databases() where database_name = 'published'"
        ).fetchone()[0]
    return tags.get("storage_version", "").startswith(STORAGE_VERSION)


def _tables(connection, database: str, schema: str) -> list[tuple[str, str | None]]:
    return connection.execute(
        "select table_name, comment from duckdb_tables()"
        " where database_name = ? and schema_name = ? order by table_name",
        [database, schema],
    ).fetchall()


def _columns(connection, database: str, schema: str, name: str) -> list[tuple[str, str]]:
    return connection.execute(
        "select column_name, data_type from duckdb_columns()"
        " where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [database, schema, name],
    ).fetchall()


def _split_by_period(connection, schema: str, name: str) -> bool:
    """Whether the table is published already, with the same columns, and is split by period
    with a fingerprint of each period's rows (as fct_project_grants is)."""
    columns = _columns(connection, "build", schema, name)
    names = {column for column, _ in columns}
    return {"period", "source_fingerprint"} <= names and columns == _columns(
        connection, "published", schema, name
    )


def _replace_changed_periods(connection, schema: str, name: str) -> None:
    """Make published.<schema>.<name> equal to build's by replacing only the periods whose
    fingerprint differs (and deleting the periods that are gone)."""
    fingerprints = "select distinct period, source_fingerprint from {}.{}.{}"
    connection.execute(
        f"create or replace temp table changed_periods as select period from"
        f" (({fingerprints.format('build', schema, name)})"
        f" except ({fingerprints.format('published', schema, name)}))"
        f" union select period from"
        f" (({fingerprints.format('published', schema, name)})"
        f" except ({fingerprints.format('build', schema, name)}))"
    )
    connection.execute(
        f"delete from published.{schema}.{name} where period in (select period from changed_periods)"
    )
    connection.execute(
        f"insert into published.{schema}.{name} select * from build.{schema}.{name}"
        " where period in (select period from changed_periods)"
    )


def _parquet_temporary(parquet_dir: Path, name: str) -> Path:
    return parquet_dir / f".{name}.parquet.tmp"


def _copy_comments(connection, schema: str, name: str, comment: str | None, target: str) -> None:
    if comment:
        connection.execute(f"comment on table {target} is {_literal(comment)}")
    for column, column_comment in connection.execute(
        "select column_name, comment from duckdb_columns()"
        " where database_name = 'build' and schema_name = ? and table_name = ?"
        " and comment is not null",
        [schema, name],
    ).fetchall():
        connection.execute(f'comment on column {target}."{column}" is {_literal(column_comment)}')


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dg.asset(
    key=dg.AssetKey(["publish", "grants_duckdb"]),
    description=(
        "The DuckDB file BI tools and analysts open read-only (`warehouse/grants.duckdb`): the"
        " `marts` schema copied from the working file and swapped in atomically, so readers"
        " never see half a refresh; and one Parquet file per table in `warehouse/parquet/`."
    ),
    group_name="publish",
    kinds={"duckdb"},
    owners=OWNERS,
    deps=model_keys("marts"),
    pool=DUCKDB_WRITER_POOL,
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = warehouse.settings
    tables = publish_database(
        settings.build_database,
        settings.published_database,
        settings.parquet_dir,
        settings.duckdb_config,
    )
    context.log.info(f"published {len(tables)} tables to {settings.published_database}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.published_database)),
            "parquet_dir": dg.MetadataValue.path(str(settings.parquet_dir)),
            "tables": dg.MetadataValue.table(
                records=[
                    dg.TableRecord({"table": f"{t.schema}.{t.name}", "rows": t.rows})
                    for t in tables
                ],
                schema=dg.TableSchema(
                    columns=[dg.TableColumn("table", "string"), dg.TableColumn("rows", "int")]
                ),
            ),
            "size_bytes": settings.published_database.stat().st_size,
        }
    )
