"""Seed CSV → `raw.*` assets: one asset per seed file, declared by dbt's sources YAML, all
loaded by one step (one DuckDB connection, one Dagster step: the files are small, and the
per-step start-up would cost more than the loading)."""

from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.lib.conventions import DUCKDB_WRITER_POOL, OWNERS
from orchestration.lib.fingerprint import seed_fingerprints
from orchestration.lib.seed_files.catalog import SEED_TABLES, load_order, raw_asset_key
from orchestration.lib.seed_files.load_step import LoadedTable, NotLoaded, load_tables
from orchestration.lib.seed_files.problems import file_label
from orchestration.lib.seed_files.schema import RAW_SCHEMA, SeedTable
from orchestration.lib.table_metadata import table_metadata
from orchestration.lib.warehouse import WarehouseResource

LOAD_STEP = "load_seed_files"


def seed_asset_spec(table: SeedTable) -> dg.AssetSpec:
    """The asset `raw.<table>`, loaded from `seeds/<file>`, with its columns as declared."""
    return dg.AssetSpec(
        key=raw_asset_key(table.name),
        description=f"{table.description}\n\nLoaded from `seeds/{table.seed_file}`.",
        group_name="raw",
        kinds={"duckdb", "csv"},
        owners=OWNERS,
        deps=[raw_asset_key(name) for name in table.referenced_tables],
        skippable=True,
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


@dg.multi_asset(
    name=LOAD_STEP,
    specs=[seed_asset_spec(table) for table in SEED_TABLES],
    can_subset=True,
    pool=DUCKDB_WRITER_POOL,
    description="Validates each selected seed CSV and replaces its `raw.*` table.",
)
def load_seed_files(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, duckdb: DuckDBResource
):
    """Loads the selected seed files; a bad file leaves its raw table as it was, is named in
    the step's failure with every problem found, and keeps what looks values up in it from
    loading. The good files are still loaded (and reported), so one run reports every bad file."""
    settings = warehouse.settings
    settings.build_database.parent.mkdir(parents=True, exist_ok=True)
    selected = [
        table
        for table in load_order(SEED_TABLES)
        if raw_asset_key(table.name) in context.selected_asset_keys
    ]
    failures: dict[str, str] = {}
    # Every seed file's SHA-256, read once (and only for files whose size or time changed).
    hashes = seed_fingerprints(settings.seeds_dir, settings.seed_hashes)
    with duckdb.get_connection() as connection:
        try:
            for outcome in load_tables(
                connection, selected, SEED_TABLES, settings.seeds_dir, hashes
            ):
                if isinstance(outcome, NotLoaded):
                    failures[outcome.table.name] = outcome.reason
                    continue
                table = outcome.table
                context.log.info(
                    f"{file_label(outcome.path)}: {outcome.rows} rows → {RAW_SCHEMA}.{table.name}"
                )
                yield dg.MaterializeResult(
                    asset_key=raw_asset_key(table.name),
                    metadata={
                        **table_metadata(connection, RAW_SCHEMA, table.name),
                        **_files_metadata(outcome),
                        "seed_sha256": outcome.sha256,
                    },
                )
        finally:
            # dagster-duckdb closes the connection only when the block succeeds; a failed
            # load must not leave the working file open in this process.
            connection.close()
    if failures:
        raise dg.Failure(
            description="\n\n".join(failures.values()),
            metadata={"failed_tables": ", ".join(f"raw.{name}" for name in failures)},
            allow_retries=False,
        )


def _files_metadata(loaded: LoadedTable) -> dict[str, Any]:
    """A split table's files: their hashes, and which were read and removed."""
    if loaded.split is None:
        return {}
    return {
        "seed_files": dg.MetadataValue.json(dict(loaded.files)),
        "files_loaded": ", ".join(loaded.split.loaded) or "(none changed)",
        "files_removed": ", ".join(loaded.split.removed) or "(none)",
    }
