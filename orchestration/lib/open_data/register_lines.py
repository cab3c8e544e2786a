"""Where an agreement of the published register was written: its seed file (from the loader's
record `raw._seed_parts`, which file holds which period) and the line of its row there, read
only when a problem is to be reported."""

import csv
from pathlib import Path

import duckdb

from orchestration.lib.seed_files.register import SEED_PARTS_TABLE

REGISTER_TABLE = "grant_agreements"


def register_file(connection: duckdb.DuckDBPyConnection, seeds_dir: Path, period: str) -> Path:
    """The seed file that holds `period`'s agreements (`connection` has the working file
    attached as `build`)."""
    rows = connection.execute(
        f"select seed_file from build.{SEED_PARTS_TABLE}"
        " where table_name = ? and split_value = ? order by seed_file",
        [REGISTER_TABLE, period],
    ).fetchall()
    return seeds_dir / (rows[0][0] if rows else f"{REGISTER_TABLE}.csv")


def line_of_agreement(path: Path, identifier: str) -> int | None:
    """The line on which the row with this identifier starts (None if it is not there)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if "identifier" not in header:
            return None
        column = header.index("identifier")
        previous_end = reader.line_num
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if len(record) > column and record[column] == identifier:
                return start
    return None
