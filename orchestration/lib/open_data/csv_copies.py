"""CSV copies of the published tables for spreadsheet users: UTF-8 with a byte-order mark (so
Excel opens the Arabic as Arabic, not as mojibake), a header line, comma-separated, ISO dates,
an empty field for a missing value. DuckDB writes each file; the mark goes in front of it."""

import shutil
from pathlib import Path

import duckdb

from orchestration.lib.staged_files import StagedFiles

BYTE_ORDER_MARK = "\ufeff".encode()
CSV_ENCODING = "utf-8-sig"  # how Python (and frictionless) names UTF-8 read past a BOM


def write_csv(
    connection: duckdb.DuckDBPyConnection,
    files: StagedFiles,
    query: str,
    path: Path,
    parameters: list[str] | None = None,
) -> None:
    """The rows of `query` as `path`'s new content (staged in `files`)."""
    temporary = files.new(path)
    plain = temporary.with_name(temporary.name + "-plain")  # still a `.tmp` file if left behind
    try:
        connection.execute(
            f"copy ({query}) to ? (format csv, header true)", [*(parameters or []), str(plain)]
        )
        with temporary.open("wb") as marked, plain.open("rb") as unmarked:
            marked.write(BYTE_ORDER_MARK)
            shutil.copyfileobj(unmarked, marked, 1 << 20)
    finally:
        plain.unlink(missing_ok=True)
