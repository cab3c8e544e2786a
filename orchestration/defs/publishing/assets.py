"""The published warehouse: the file BI tools and analysts open, and its Parquet files."""

import dagster as dg

from orchestration.defs.dbt.assets import model_keys
from orchestration.lib.conventions import DUCKDB_WRITER_POOL, OWNERS, PUBLISHED_KEY
from orchestration.lib.dbt.project import load_manifest
from orchestration.lib.freshness import warehouse_freshness_policy
from orchestration.lib.open_data.build import prepare_open_data
from orchestration.lib.publishing import publish_database
from orchestration.lib.seed_files.problems import SeedError
from orchestration.lib.warehouse import WarehouseResource


@dg.asset(
    key=PUBLISHED_KEY,
    description=(
        "The DuckDB file BI tools and analysts open read-only (`warehouse/grants.duckdb`): the"
        " `marts` schema copied from the working file and swapped in atomically, so readers"
        " never see half a refresh; one Parquet file per table in `warehouse/parquet/`; and the"
        " open-data files in `warehouse/open-data/` (a Frictionless data package, CSV copies,"
        " the register of agreements as 360Giving), swapped in after them."
        " Its record of inputs (`.published-inputs`) is removed until the charts step writes the"
        " new one."
    ),
    group_name="publish",
    kinds={"duckdb"},
    owners=OWNERS,
    deps=model_keys("marts"),
    pool=DUCKDB_WRITER_POOL,
    freshness_policy=warehouse_freshness_policy(),
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = warehouse.settings
    # The file is about to change: until the charts step records the new inputs, nothing claims
    # the warehouse is up to date (a crash in between makes the next refresh do it all again).
    settings.published_inputs.unlink(missing_ok=True)
    # Staged first: an agreement that is not valid 360Giving fails the step before anything is
    # published. Swapped in last, after the DuckDB file and Parquet (as Parquet after the file).
    try:
        open_data = prepare_open_data(
            settings.build_database,
            settings.open_data_dir,
            settings.seeds_dir,
            load_manifest(),
            settings.duckdb_config,
        )
    except SeedError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from error
    try:
        tables = publish_database(
            settings.build_database,
            settings.published_database,
            settings.parquet_dir,
            settings.duckdb_config,
        )
    except BaseException:
        open_data.discard()
        raise
    open_data.publish()
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
            "open_data_dir": dg.MetadataValue.path(str(settings.open_data_dir)),
            "csv_files": open_data.csv_files,
            "grants_in_360giving_written": open_data.grants,
            # Left out of the 360Giving files: 360Giving requires an award date.
            "agreements_without_award_date": len(open_data.undated),
            "agreements_without_award_date_ids": ", ".join(open_data.undated[:20]) or "(none)",
        }
    )
