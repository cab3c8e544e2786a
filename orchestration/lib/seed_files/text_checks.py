"""What is checked of a seed file before DuckDB reads it: that it exists and is not empty, that
its header names the declared columns, and where a file stops being UTF-8."""

import csv
from collections.abc import Sequence
from pathlib import Path

from orchestration.lib.seed_files.problems import SeedError, SeedProblem
from orchestration.lib.seed_files.schema import SeedTable


def read_header(path: Path, table: SeedTable) -> list[str]:
    """The file's header, checked against the declared columns (any order is accepted)."""
    if not path.exists():
        raise SeedError(
            path,
            [
                SeedProblem(
                    f"file not found: expected a CSV with columns {_names(table.column_names)}"
                )
            ],
        )
    if path.stat().st_size == 0:
        raise SeedError(
            path,
            [
                SeedProblem(
                    f"is empty: expected a header line with columns {_names(table.column_names)}"
                )
            ],
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError:
        raise SeedError(path, [not_utf8(path)]) from None
    header = [name.strip() for name in header]
    problems = _header_problems(header, table)
    if problems:
        raise SeedError(path, problems)
    return header


def _header_problems(header: Sequence[str], table: SeedTable) -> list[SeedProblem]:
    """Columns named twice, declared columns missing and columns not declared."""
    problems = []
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            problems.append(
                SeedProblem(
                    f"appears twice in the header (columns {seen[name]} and {position})",
                    line=1,
                    column=name,
                )
            )
        seen.setdefault(name, position)
    missing = [name for name in table.column_names if name not in seen]
    extra = [name for name in seen if name not in table.column_names]
    for name in missing:
        hint = f" (found {_names(extra)} instead: renamed?)" if extra else ""
        problems.append(SeedProblem(f"is missing from the header{hint}", line=1, column=name))
    for name in extra:
        problems.append(
            SeedProblem(
                f"is not a column of this file: expected {_names(table.column_names)}",
                line=1,
                column=name,
            )
        )
    return problems


def _names(names: Sequence[str]) -> str:
    return ", ".join(names)


def not_utf8(path: Path) -> SeedProblem:
    """Where a file stops being UTF-8: the line and the first byte that is not."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
        return SeedProblem("is not UTF-8 text; save the file as CSV UTF-8")
    except UnicodeDecodeError as error:
        offset = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
    return SeedProblem(
        f"is not UTF-8 text (byte 0x{data[offset]:02X}); save the file as CSV UTF-8",
        line=data[:offset].count(b"\n") + 1,
    )
