"""What is wrong with a seed file, and where: `SeedProblem`, `SeedError` (the message names the
file, line, column, value and what was expected), and the lines a problem is located on."""

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

MAX_PROBLEMS_REPORTED = 20

# A problem found by SQL, before it is located: (record ordinal, column, value, expected); the
# value as the query returned it (text, or a typed key).
Located = tuple[int, str, Any, str]


@dataclass(frozen=True)
class SeedProblem:
    """One thing wrong with a seed file, located as precisely as the problem allows."""

    expected: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def describe(self, file_label: str) -> str:
        where = file_label
        if self.line is not None:
            where += f" line {self.line}"
        if self.column is not None:
            where += f"{',' if self.line is not None else ''} column {self.column}"
        value = "" if self.value is None else f'"{self.value}" '
        return f"{where}: {value}{self.expected}"


class SeedError(Exception):
    """A seed file that cannot be loaded; the message lists each problem on its own line."""

    def __init__(self, path: Path, problems: Sequence[SeedProblem]):
        self.path = path
        self.problems = tuple(problems)
        label = file_label(path)
        lines = [problem.describe(label) for problem in self.problems]
        if len(lines) > 1:
            lines.insert(0, f"{label} has {len(lines)} problems:")
        super().__init__("\n".join(lines))


def file_label(path: Path) -> str:
    """How messages name a seed file: its folder and name, e.g. `seeds/domain_grants.csv`."""
    return f"{path.parent.name}/{path.name}"


def record_start_lines(path: Path) -> list[int]:
    """The line on which each data record of a CSV file starts (the header excluded, blank lines
    skipped as DuckDB skips them). Used only to locate a problem DuckDB found in a record."""
    lines: list[int] = []
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        previous_end = 0
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if record:
                lines.append(start)
    return lines[1:]


class LazyLines(Sequence[int]):
    """Record start lines, read from the file only when a problem needs locating."""

    def __init__(self, path: Path):
        self._path = path
        self._lines: list[int] | None = None

    def _get(self) -> list[int]:
        if self._lines is None:
            self._lines = record_start_lines(self._path)
        return self._lines

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())


def raise_located(path: Path, lines: Sequence[int], problems: Sequence[Located]) -> None:
    """Raise the (record, column, value, expected) problems, located by line, if there are any."""
    if problems:
        raise SeedError(
            path,
            [
                SeedProblem(expected, line=lines[ordinal - 1], column=column, value=value)
                for ordinal, column, value, expected in sorted(problems)[:MAX_PROBLEMS_REPORTED]
            ],
        )
