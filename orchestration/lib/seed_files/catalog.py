"""The seed tables this dbt project declares, in loading order, and their Dagster asset keys."""

from graphlib import TopologicalSorter

import dagster as dg

from orchestration.lib.dbt.project import load_manifest
from orchestration.lib.seed_files.schema import (
    RAW_SCHEMA,
    SeedTable,
    seed_table_of_file,
    seed_tables,
)


def raw_asset_key(table_name: str) -> dg.AssetKey:
    """The key of a raw table's asset; dbt's sources map to the same key (see transform.py)."""
    return dg.AssetKey([RAW_SCHEMA, table_name])


def load_order(tables: tuple[SeedTable, ...]) -> list[SeedTable]:
    """`tables` with every table after those its values are looked up in."""
    by_name = {table.name: table for table in tables}
    graph = {
        table.name: [name for name in table.referenced_tables if name in by_name]
        for table in tables
    }
    return [by_name[name] for name in TopologicalSorter(graph).static_order()]


SEED_TABLES = seed_tables(load_manifest())


def seed_asset_key(file_name: str) -> dg.AssetKey | None:
    """The load asset of a file in the seeds folder (a seed file or a part of a split one), or
    None for a file no table loads: for the sensor that refreshes what depends on a change."""
    table = seed_table_of_file(file_name, SEED_TABLES)
    return None if table is None else raw_asset_key(table.name)
