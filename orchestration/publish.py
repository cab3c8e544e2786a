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


def publish_database(
    build_database: Path,
    published_database: Path,
    parquet_dir: Path,
    duckdb_config: dict[str, str] | None = None,
) -> list[PublishedTable]:
    """Copy the published schemas of `build_database` (tables, with their descriptions) into a
    new file beside `published_database`, export each table as Parquet into `parquet_dir`, then
    rename the new files over the old ones.

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
    tables: list[PublishedTable] = []
    with duckdb.connect(config=duckdb_config or {}) as connection:
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
