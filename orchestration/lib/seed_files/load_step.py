"""What the load step does with each selected seed table, in loading order: a plain file is
loaded whole, a split one (the register) file by file; a table whose lookups failed to load is
not loaded. Plain data for the Dagster asset to report."""

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.lib.fingerprint import files_sha256
from orchestration.lib.seed_files.loading import load_seed
from orchestration.lib.seed_files.problems import SeedError, file_label
from orchestration.lib.seed_files.register import (
    SplitLoad,
    load_split_seed,
    validation_fingerprint,
)
from orchestration.lib.seed_files.schema import SeedTable, seed_paths

# The hash reported for a file that is not there (an optional file loads as an empty table).
NO_FILE = "(no file)"


@dataclass(frozen=True)
class LoadedTable:
    table: SeedTable
    path: Path  # its seed file
    rows: int
    sha256: str  # of its file, or of its files' names and hashes when split
    split: SplitLoad | None = None  # what loading a split table did
    files: Mapping[str, str] = field(default_factory=dict)  # a split table's files' hashes


@dataclass(frozen=True)
class NotLoaded:
    table: SeedTable
    reason: str  # every problem found, or the lookups that failed to load


def load_tables(
    connection: duckdb.DuckDBPyConnection,
    selected: Sequence[SeedTable],
    tables: Sequence[SeedTable],
    seeds_dir: Path,
    hashes: Mapping[str, str],
) -> Iterator[LoadedTable | NotLoaded]:
    """Load each of `selected` (in loading order) from `seeds_dir`; `tables` are all the seed
    tables and `hashes` every seed file's SHA-256 by name. A bad file leaves its raw table as it
    was, and keeps what looks values up in it from loading; the others are still loaded."""
    failed: set[str] = set()
    for table in selected:
        outcome = _load_table(connection, table, tables, seeds_dir, hashes, failed)
        if isinstance(outcome, NotLoaded):
            failed.add(table.name)
        yield outcome


def _load_table(
    connection: duckdb.DuckDBPyConnection,
    table: SeedTable,
    tables: Sequence[SeedTable],
    seeds_dir: Path,
    hashes: Mapping[str, str],
    failed: Collection[str],
) -> LoadedTable | NotLoaded:
    path = seeds_dir / table.seed_file
    failed_lookups = [name for name in table.referenced_tables if name in failed]
    if failed_lookups:
        return NotLoaded(
            table,
            f"{file_label(path)}: not loaded, because its values are looked up in "
            + ", ".join(f"raw.{name}" for name in failed_lookups)
            + ", which failed to load.",
        )
    try:
        if table.split_by is None:
            rows = load_seed(connection, table, path)
            return LoadedTable(table, path, rows, hashes.get(path.name, NO_FILE))
        paths = seed_paths(table, seeds_dir)
        files = {part.name: hashes[part.name] for part in paths}
        lookups = {
            other.seed_file: hashes.get(other.seed_file, NO_FILE)
            for other in tables
            if other.name in table.referenced_tables
        }
        validation = validation_fingerprint(table, lookups)
        split = load_split_seed(connection, table, paths, files, validation)
    except SeedError as error:
        return NotLoaded(table, str(error))
    sha256 = files_sha256(files) if files else NO_FILE
    return LoadedTable(table, path, split.rows, sha256, split, files)
