"""Moving tables between DuckDB and an engine-neutral Parquet layer, so the same dbt project can
build on another engine (Spark): the validated raw layer out as Parquet, that engine's marts
back in, through Parquet, to the DuckDB file the checks and the BI file read. DuckDB file I/O
stays here, outside the dbt models."""

import shutil
from pathlib import Path

import duckdb

from orchestration.settings import Settings


def export_schema(database: Path, schema: str, directory: Path) -> list[str]:
    """Write every table of `schema` in `database` to `directory/<table>.parquet`."""
    directory.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]
            ).fetchall()
        ]
        for name in tables:
            connection.execute(
                f'copy "{schema}"."{name}" to ? (format parquet)',
                [str(directory / f"{name}.parquet")],
            )
    return tables


def import_schema(directory: Path, schema: str, database: Path) -> list[str]:
    """Copy every table of `directory` (a folder of Parquet files per table, as Spark's
    `export_marts_to_parquet` writes them) into `schema` of the DuckDB file `database`."""
    tables = sorted(path.name for path in directory.iterdir() if path.is_dir())
    with duckdb.connect(str(database)) as connection:
        connection.execute(f'create schema if not exists "{schema}"')
        for name in tables:
            connection.execute(
                f'create or replace table "{schema}"."{name}" as select * from read_parquet(?)',
                [str(directory / name / "*.parquet")],
            )
    return tables


def hand_raw_layer_to_spark(settings: Settings) -> None:
    """Before dbt runs on Spark: the validated raw layer of the working file out as Parquet, and
    an empty folder for the marts this run builds."""
    for folder in (settings.spark_raw_dir, settings.spark_marts_dir):
        shutil.rmtree(folder, ignore_errors=True)
    export_schema(settings.build_database, "raw", settings.spark_raw_dir)
    settings.spark_marts_dir.mkdir(parents=True)


def take_marts_from_spark(settings: Settings) -> list[str]:
    """After dbt ran on Spark: the marts it built, into the working file's `marts` schema."""
    return import_schema(settings.spark_marts_dir, "marts", settings.build_database)
