"""What the published tables are, from dbt's manifest: the one place the dbt YAML's
descriptions, units (`meta: {unit: ...}`), contract types and key tests all reach, so the data
package says exactly what the YAML says (the DuckDB comments hold the descriptions only)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MARTS_SCHEMA = "marts"


@dataclass(frozen=True)
class ColumnDescription:
    name: str
    data_type: str  # the contract's type, as the YAML writes it (string, bigint, date, ...)
    description: str
    unit: str | None  # meta.unit, e.g. MAD
    required: bool  # a not_null test
    unique: bool  # a unique test


@dataclass(frozen=True)
class TableDescription:
    name: str
    description: str
    columns: tuple[ColumnDescription, ...]
    primary_key: tuple[str, ...]  # empty when no declared key has only required columns


def published_tables(manifest: Mapping[str, Any]) -> dict[str, TableDescription]:
    """Every model of the published schema, by name."""
    models = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == MARTS_SCHEMA
    ]
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    return {model["name"]: _describe(model, tests) for model in models}


def _describe(model: Mapping[str, Any], tests: list[Mapping[str, Any]]) -> TableDescription:
    own = [
        test
        for test in tests
        if test.get("attached_node") == model["unique_id"] and test.get("test_metadata")
    ]
    not_null = {test["column_name"] for test in own if test["test_metadata"]["name"] == "not_null"}
    # Declared keys in the order dbt parsed them (the YAML's order): single unique columns and
    # unique combinations of columns.
    keys: list[tuple[str, ...]] = []
    for test in own:
        name, kwargs = test["test_metadata"]["name"], test["test_metadata"]["kwargs"]
        if name == "unique":
            keys.append((test["column_name"],))
        elif name == "unique_combination_of_columns":
            keys.append(tuple(kwargs["combination_of_columns"]))
    unique = {key[0] for key in keys if len(key) == 1}
    columns = tuple(
        ColumnDescription(
            name=column["name"],
            data_type=column.get("data_type") or "string",
            description=(column.get("description") or "").strip(),
            unit=_meta(column).get("unit"),
            required=column["name"] in not_null,
            unique=column["name"] in unique,
        )
        for column in model["columns"].values()
    )
    # A primary key admits no missing value: the first declared key whose columns are all
    # not_null (dim_domain's (programme_id, domain_code) before (programme_id, display_order)).
    primary_key = next((key for key in keys if set(key) <= not_null), ())
    return TableDescription(
        name=model["name"],
        description=(model.get("description") or "").strip(),
        columns=columns,
        primary_key=primary_key,
    )


def _meta(column: Mapping[str, Any]) -> Mapping[str, Any]:
    """A column's meta, given as `meta:` or `config: {meta: ...}` in the YAML."""
    return {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}
