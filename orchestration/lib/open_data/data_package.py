"""The Frictionless Data Package (`datapackage.json`) of the open-data folder: one resource per
CSV file, with its table's description, fields (type, description, unit, required, unique) and
primary key from the dbt YAML (`descriptions`), and the source documents with their provenance."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orchestration.lib.open_data.csv_copies import CSV_ENCODING
from orchestration.lib.open_data.descriptions import ColumnDescription, TableDescription

PACKAGE_NAME = "grants-to-moroccan-associations"
# No document this warehouse transcribes states terms of reuse (docs/data.md#the-open-data-files):
# the package says so rather than name a licence nobody granted.
LICENCE_NOTE = (
    "No licence is known. The source documents (the ministry's review of its partnership"
    " programme, 2017-2018, and La Vie éco's 2017 article) state no terms of reuse, and no licence"
    " has been given for this transcription of their figures; ask their publishers before"
    " reusing the data beyond what the law allows. The 360Giving schemas used to check the"
    " 360Giving files are CC BY 4.0, 360Giving."
)
# Frictionless Table Schema types of the contracts' data types (decimal(18,2) is a number).
FIELD_TYPES = {
    "string": "string",
    "varchar": "string",
    "text": "string",
    "bigint": "integer",
    "integer": "integer",
    "int": "integer",
    "double": "number",
    "float": "number",
    "date": "date",
    "boolean": "boolean",
    "timestamp": "datetime",
}


@dataclass(frozen=True)
class CsvResource:
    table: TableDescription
    path: str  # relative to the package's folder, with forward slashes
    part: str | None = None  # the programme period of a table split by them


def resource_name(resource: CsvResource) -> str:
    """Lower case letters, digits, `-`, `_` and `.` only, as the Data Package spec asks."""
    name = (
        resource.table.name if resource.part is None else f"{resource.table.name}.{resource.part}"
    )
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name.lower())


def field_type(data_type: str) -> str:
    base = data_type.lower().split("(")[0].strip()
    return "number" if base in ("decimal", "numeric") else FIELD_TYPES.get(base, "any")


def field(column: ColumnDescription) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": column.name,
        "type": field_type(column.data_type),
        "description": column.description,
    }
    if column.unit:
        described["unit"] = column.unit  # the YAML's meta.unit (a custom property)
    constraints = {
        key: True for key, on in (("required", column.required), ("unique", column.unique)) if on
    }
    if constraints:
        described["constraints"] = constraints
    return described


def csv_resource(resource: CsvResource) -> dict[str, Any]:
    table = resource.table
    schema: dict[str, Any] = {"fields": [field(column) for column in table.columns]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    title = table.name if resource.part is None else f"{table.name} ({resource.part})"
    return {
        "name": resource_name(resource),
        "title": title,
        "description": table.description,
        "path": resource.path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "dialect": {"delimiter": ",", "header": True},
        "schema": schema,
    }


def json_resource(name: str, path: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        "format": "json",
        "mediatype": "application/json",
        "description": description,
    }


def data_package(
    resources: Sequence[Mapping[str, Any]], source_documents: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    return {
        "name": PACKAGE_NAME,
        "title": "Public grants to Moroccan associations, by funder, programme and document",
        "description": (
            "The published marts of the grants warehouse, as CSV (UTF-8 with a byte-order mark):"
            " every figure transcribed exactly as printed, with its qualifier and provenance"
            " (document, table, row). Amounts are in Moroccan dirhams (MAD); a field's `unit`"
            " says so. " + LICENCE_NOTE
        ),
        "licence_note": LICENCE_NOTE,
        "sources": [source(document) for document in source_documents],
        "resources": list(resources),
    }


def source(document: Mapping[str, Any]) -> dict[str, Any]:
    """A source document (dim_source_document) as a Data Package source, with its provenance."""
    title = document["title_en"] or document["title_fr"] or document["document_id"]
    described = {"title": title, **{k: v for k, v in document.items() if v is not None}}
    return {key: str(value) for key, value in described.items()}
