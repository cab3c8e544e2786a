"""Working file → published file: copy what readers need, then replace the old file atomically."""

import os
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


def publish_database(build_database: Path, published_database: Path) -> list[PublishedTable]:
    """Copy the published schemas of `build_database` (tables, with their descriptions) into a
    new file beside `published_database`, then rename it over the old one.

    Readers that hold the old file keep reading it; new connections see the new file. A crash
    at any point leaves the old file in place (a stale `.tmp` file is removed next time).
    """
    published_database.parent.mkdir(parents=True, exist_ok=True)
    for stale in published_database.parent.glob(f".{published_database.name}.*.tmp*"):
        stale.unlink()
    temporary = published_database.with_name(f".{published_database.name}.{uuid.uuid4().hex}.tmp")
    tables: list[PublishedTable] = []
    with duckdb.connect() as connection:
        connection.execute("attach ? as build (read_only)", [str(build_database)])
        connection.execute(
            f"attach ? as published (storage_version '{STORAGE_VERSION}')", [str(temporary)]
        )
        for schema in PUBLISHED_SCHEMAS:
            connection.execute(f"create schema published.{schema}")
            for name, comment in connection.execute(
                "select table_name, comment from duckdb_tables()"
                " where database_name = 'build' and schema_name = ? order by table_name",
                [schema],
            ).fetchall():
                target = f"published.{schema}.{name}"
                connection.execute(f"create table {target} as select * from build.{schema}.{name}")
                _copy_comments(connection, schema, name, comment, target)
                rows = connection.execute(f"select count(*) from {target}").fetchone()[0]
                tables.append(PublishedTable(schema, name, rows))
        connection.execute("detach published")
    _fsync(temporary)
    os.replace(temporary, published_database)
    _fsync(published_database.parent)
    return tables


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
        " never see half a refresh."
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
    tables = publish_database(settings.build_database, settings.published_database)
    context.log.info(f"published {len(tables)} tables to {settings.published_database}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.published_database)),
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
