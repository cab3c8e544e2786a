"""The declared schema of the seed files, read from dbt's manifest.

The schema of every seed lives in one place, dbt's sources YAML
(`dbt_project/models/staging/_report__sources.yml`): column names, DuckDB types, the format each
value is written in, keys and lookups. `seed_tables` reads it from dbt's manifest.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration.lib.sql import quote_identifier

SOURCE_NAME = "report"
RAW_SCHEMA = "raw"

FORMATS = (
    "text",
    "period",
    "whole_number",
    "signed_whole_number",
    "amount_mad",
    "signed_amount_mad",
    "date",
)


@dataclass(frozen=True)
class SeedColumn:
    name: str
    data_type: str
    format: str
    nullable: bool
    description: str


@dataclass(frozen=True)
class SeedTable:
    """One seed file and the raw table it loads into."""

    name: str
    seed_file: str
    description: str
    columns: tuple[SeedColumn, ...]
    min_rows: int
    unique_key: tuple[str, ...]
    # file column -> the (table, column) pairs its value must be found in (any one of them)
    lookups: Mapping[str, tuple[tuple[str, str], ...]]
    # file column -> the columns (same name on both sides) its lookup row must also match: a
    # period is looked up among its own programme's periods, not every programme's.
    lookup_scopes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # derived column -> (file column whose lookup row supplies it, column of that row)
    derived: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # An optional file may be absent: its raw table is then created empty.
    optional: bool = False
    # A table split by a column (the register, by period) may be given as several files, each
    # holding whole values of it: `<name>.csv` and `<name>.<part>.csv` (see load_split_seed).
    split_by: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def referenced_tables(self) -> tuple[str, ...]:
        """Other seed tables this one's values must be found in (they load first)."""
        return tuple(
            sorted(
                {
                    table
                    for targets in self.lookups.values()
                    for table, _ in targets
                    if table != self.name
                }
            )
        )


def raw_table(table: SeedTable) -> str:
    """The SQL name of the table's raw table, `raw."<name>"`."""
    return f"{RAW_SCHEMA}.{quote_identifier(table.name)}"


def seed_tables(manifest: Mapping[str, Any]) -> tuple[SeedTable, ...]:
    """Every seed table declared in the dbt manifest's `report` source, in declaration order."""
    return tuple(
        _seed_table(source, _meta(source))
        for source in manifest["sources"].values()
        if source["source_name"] == SOURCE_NAME and "seed_file" in _meta(source)
    )


def _seed_table(source: Mapping[str, Any], meta: Mapping[str, Any]) -> SeedTable:
    columns = tuple(_seed_column(column) for column in source["columns"].values())
    for column in columns:
        if column.format not in FORMATS:
            raise ValueError(f"{source['name']}.{column.name}: unknown format {column.format!r}")
    return SeedTable(
        name=source["name"],
        seed_file=meta["seed_file"],
        description=source.get("description", ""),
        columns=columns,
        min_rows=int(meta.get("min_rows", 1)),
        unique_key=tuple(meta.get("unique_key", ())),
        lookups={
            column: tuple(_lookup_target(target) for target in _lookup_targets(spec))
            for column, spec in (meta.get("lookups") or {}).items()
        },
        lookup_scopes={
            column: tuple(spec["within"])
            for column, spec in (meta.get("lookups") or {}).items()
            if isinstance(spec, Mapping) and spec.get("within")
        },
        derived={
            column: (spec["lookup"], spec["take"])
            for column, spec in (meta.get("derived") or {}).items()
        },
        optional=bool(meta.get("optional", False)),
        split_by=meta.get("split_by"),
    )


def _seed_column(column: Mapping[str, Any]) -> SeedColumn:
    meta = _meta(column)
    return SeedColumn(
        name=column["name"],
        data_type=column["data_type"],
        format=meta["format"],
        nullable=bool(meta.get("nullable", False)),
        description=column.get("description", ""),
    )


def _lookup_targets(spec: Any) -> list[str]:
    """A lookup as written: `table.column`, a list of them, or `{in: ..., within: [...]}`."""
    targets = spec["in"] if isinstance(spec, Mapping) else spec
    return [targets] if isinstance(targets, str) else list(targets)


def _lookup_target(target: str) -> tuple[str, str]:
    """`table.column` as (table, column)."""
    table, column = target.split(".", 1)
    return table, column


def _meta(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """A manifest node's `meta` (dbt writes it under `config` or, in older versions, beside)."""
    return node.get("config", {}).get("meta") or node.get("meta") or {}


def seed_paths(table: SeedTable, seeds_dir: Path) -> list[Path]:
    """The files `table` loads from: its seed file, and for a split table also every
    `<stem>.<part>.csv` beside it, in name order (only those that exist)."""
    main = seeds_dir / table.seed_file
    if table.split_by is None:
        return [main]
    stem = Path(table.seed_file).stem
    return sorted({*([main] if main.exists() else []), *seeds_dir.glob(f"{stem}.*.csv")})


def seed_table_of_file(file_name: str, tables: Sequence[SeedTable]) -> SeedTable | None:
    """The table a file in the seeds folder loads into, or None: its seed file, or for a split
    table one of its parts (`grant_agreements.2019.csv` belongs to `grant_agreements.csv`)."""
    for table in tables:
        stem = Path(table.seed_file).stem
        if file_name == table.seed_file or (
            table.split_by is not None
            and file_name.startswith(f"{stem}.")
            and file_name.endswith(".csv")
            and len(file_name) > len(stem) + len("..csv")
        ):
            return table
    return None
