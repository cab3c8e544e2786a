"""Seed CSV → `raw.*` assets: one asset per seed file, declared by dbt's sources YAML."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.fingerprint import file_sha256
from orchestration.metadata import table_metadata
from orchestration.project import load_manifest
from orchestration.resources import DUCKDB_WRITER_POOL, OWNERS, WarehouseResource
from orchestration.seeds import RAW_SCHEMA, SeedError, SeedTable, file_label, load_seed, seed_tables


def raw_asset_key(table_name: str) -> dg.AssetKey:
    """The key of a raw table's asset; dbt's sources map to the same key (see transform.py)."""
    return dg.AssetKey([RAW_SCHEMA, table_name])


def build_seed_asset(table: SeedTable) -> dg.AssetsDefinition:
    """An asset that validates `seeds/<file>` and replaces `raw.<table>` with its rows."""

    @dg.asset(
        key=raw_asset_key(table.name),
        description=f"{table.description}\n\nLoaded from `seeds/{table.seed_file}`.",
        group_name="raw",
        kinds={"duckdb", "csv"},
        owners=OWNERS,
        deps=[raw_asset_key(name) for name in table.referenced_tables],
        pool=DUCKDB_WRITER_POOL,
        metadata={
            "seed_file": table.seed_file,
            "dagster/column_schema": dg.TableSchema(
                columns=[
                    dg.TableColumn(c.name, c.data_type, description=c.description)
                    for c in table.columns
                ]
            ),
            "dagster/table_name": f"{RAW_SCHEMA}.{table.name}",
        },
    )
    def load_seed_file(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, duckdb: DuckDBResource
    ) -> dg.MaterializeResult:
        path = warehouse.settings.seeds_dir / table.seed_file
        warehouse.settings.build_database.parent.mkdir(parents=True, exist_ok=True)
        failure = None
        with duckdb.get_connection() as connection:
            try:
                rows = load_seed(connection, table, path)
                metadata = table_metadata(connection, RAW_SCHEMA, table.name)
            except SeedError as error:
                failure = error
            finally:
                # dagster-duckdb closes the connection only when the block succeeds; a failed
                # load must not leave the working file open in this process.
                connection.close()
        if failure is not None:
            raise dg.Failure(
                description=str(failure),
                metadata={"seed_file": file_label(path), "problems": len(failure.problems)},
                allow_retries=False,
            )
        context.log.info(f"{file_label(path)}: {rows} rows → {RAW_SCHEMA}.{table.name}")
        return dg.MaterializeResult(metadata={**metadata, "seed_sha256": file_sha256(path)})

    return load_seed_file


SEED_TABLES = seed_tables(load_manifest())
seed_assets = [build_seed_asset(table) for table in SEED_TABLES]
# Each seed file's load asset, for the sensor that refreshes what depends on a changed file.
seed_asset_keys = {table.seed_file: raw_asset_key(table.name) for table in SEED_TABLES}
