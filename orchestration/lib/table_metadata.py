"""Materialization metadata shared by every asset that writes a table: row count and preview."""

from collections.abc import Sequence
from typing import Any

import dagster as dg
import duckdb

from orchestration.lib.sql import quote_identifier, scalar

PREVIEW_ROWS = 5
# The key under which dbt's post-hook logs each model's profile (macros/log_table_profile.sql).
DBT_PROFILE_KEY = "grants_table_profile"


def table_metadata(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> dict[str, Any]:
    """`dagster/row_count` and a small preview of `schema.name`, read over `connection`."""
    relation = f"{quote_identifier(schema)}.{quote_identifier(name)}"
    rows = scalar(connection, f"select count(*) from {relation}")
    cursor = connection.execute(f"select * from {relation} limit {PREVIEW_ROWS}")
    columns = [description[0] for description in cursor.description]
    return profile_metadata(rows, columns, cursor.fetchall())


def profile_metadata(
    row_count: int, columns: Sequence[str], preview: Sequence[Sequence[Any]]
) -> dict[str, Any]:
    """`dagster/row_count` and a preview table (shown as a table in the UI)."""
    return {
        "dagster/row_count": row_count,
        "preview": dg.MetadataValue.table(
            records=[
                dg.TableRecord({c: _plain(v) for c, v in zip(columns, row, strict=True)})
                for row in preview
            ],
            schema=dg.TableSchema(columns=[dg.TableColumn(c, "string") for c in columns]),
        ),
    }


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (int, float, str, bool)) else str(value)
