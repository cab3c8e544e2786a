"""Seed CSV files: their declared schema and how one is validated and typed into `raw.*`.

The schema of every seed lives in one place, dbt's sources YAML
(`dbt_project/models/staging/_report__sources.yml`): column names, DuckDB types, the format each
value is written in, keys and lookups. `seed_tables` reads it from dbt's manifest.

`load_seed` reads a file with DuckDB's CSV reader (all text first, so that a bad value is
reported rather than guessed), checks every value in SQL, and only then replaces the raw table.
Any problem raises `SeedError`, whose message names the file, line, column, value and what was
expected.
"""

import csv
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

SOURCE_NAME = "report"
RAW_SCHEMA = "raw"
MAX_PROBLEMS_REPORTED = 20

# Digits as Arabic-language spreadsheets may write them: Arabic-Indic and Eastern Arabic-Indic.
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
ASCII_DIGITS = "0123456789" * 2
# Thousands separators the report and French/Arabic locales print: space, no-break space (U+00A0)
# and narrow no-break space (U+202F).
THOUSANDS_SEPARATORS = " \u00a0\u202f"
WHOLE_NUMBER_PATTERN = r"[0-9]+|[0-9]{1,3}([ \x{00A0}\x{202F}][0-9]{3})+"
PERIOD_PATTERN = r"[0-9]{4}(-[0-9]{4})?"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

FORMATS = ("text", "period", "whole_number", "amount_mad", "signed_amount_mad", "date")


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


def seed_tables(manifest: Mapping[str, Any]) -> tuple[SeedTable, ...]:
    """Every seed table declared in the dbt manifest's `report` source, in declaration order."""
    tables = []
    for source in manifest["sources"].values():
        meta = source.get("config", {}).get("meta") or source.get("meta") or {}
        if source["source_name"] != SOURCE_NAME or "seed_file" not in meta:
            continue
        columns = tuple(
            SeedColumn(
                name=column["name"],
                data_type=column["data_type"],
                format=_column_meta(column)["format"],
                nullable=bool(_column_meta(column).get("nullable", False)),
                description=column.get("description", ""),
            )
            for column in source["columns"].values()
        )
        for column in columns:
            if column.format not in FORMATS:
                raise ValueError(
                    f"{source['name']}.{column.name}: unknown format {column.format!r}"
                )
        tables.append(
            SeedTable(
                name=source["name"],
                seed_file=meta["seed_file"],
                description=source.get("description", ""),
                columns=columns,
                min_rows=int(meta.get("min_rows", 1)),
                unique_key=tuple(meta.get("unique_key", ())),
                lookups={
                    column: tuple(
                        tuple(target.split(".", 1))
                        for target in ([targets] if isinstance(targets, str) else targets)
                    )
                    for column, targets in (meta.get("lookups") or {}).items()
                },
                derived={
                    column: (spec["lookup"], spec["take"])
                    for column, spec in (meta.get("derived") or {}).items()
                },
                optional=bool(meta.get("optional", False)),
                split_by=meta.get("split_by"),
            )
        )
    return tuple(tables)


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


def _column_meta(column: Mapping[str, Any]) -> Mapping[str, Any]:
    return column.get("config", {}).get("meta") or column.get("meta") or {}


def describe_format(column: SeedColumn) -> str:
    """What a valid value of the column looks like, for error messages and docs."""
    return {
        "text": "text",
        "period": "a year (2017) or a span of years (2014-2016)",
        "whole_number": "a whole number of 0 or more",
        "amount_mad": "a whole number of dirhams (MAD) of 0 or more",
        "signed_amount_mad": "a whole number of dirhams (MAD), with a minus sign if negative",
        "date": "a date written YYYY-MM-DD, e.g. 2017-05-10",
    }[column.format]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class ValueSql:
    """SQL over one all-text column: the typed value (NULL, never an error, when the text is
    invalid), and why the text is invalid (or NULL)."""

    typed: str
    problem: str


def value_sql(column: SeedColumn, reference: str) -> ValueSql:
    """The SQL that types `reference` (a text column) by the column's format and explains a bad
    value. Pure: the same expressions serve validation, loading and their unit tests."""
    trimmed = f"trim({reference}, {_literal(' ' + THOUSANDS_SEPARATORS[1:] + chr(9))})"
    empty = f"({reference} is null or {trimmed} = '')"
    when_empty = "null" if column.nullable else _literal("is empty: a value is required")
    expected = describe_format(column)

    if column.format == "text":
        return ValueSql(
            typed=f"nullif({trimmed}, '')",
            problem=f"case when {empty} then {when_empty} end",
        )
    if column.format == "period":
        return ValueSql(
            typed=f"nullif({trimmed}, '')",
            problem=(
                f"case when {empty} then {when_empty}"
                f" when not regexp_full_match({trimmed}, {_literal(PERIOD_PATTERN)})"
                f" then {_literal('is not a period: expected ' + expected)} end"
            ),
        )
    if column.format == "date":
        return ValueSql(
            typed=f"try_cast(nullif({trimmed}, '') as date)",
            problem=(
                f"case when {empty} then {when_empty}"
                f" when not regexp_full_match({trimmed}, {_literal(DATE_PATTERN)})"
                f" or try_cast({trimmed} as date) is null"
                f" then {_literal('is not a date: expected ' + expected)} end"
            ),
        )
    # whole_number, amount_mad and signed_amount_mad: digits as the report prints them.
    digits = f"translate({trimmed}, {_literal(ARABIC_INDIC_DIGITS)}, {_literal(ASCII_DIGITS)})"
    negative = f"regexp_matches({digits}, '^[-\u2212]')"
    sign, negative_problem = (
        "1",
        f" when {negative} then {_literal('is negative: expected ' + expected)}",
    )
    if column.format == "signed_amount_mad":
        negative_problem = ""
        sign = f"(case when {negative} then -1 else 1 end)"
        digits = f"ltrim(regexp_replace({digits}, '^[-\u2212]', ''), ' ')"
    ungrouped = f"regexp_replace({digits}, '[ \\x{{00A0}}\\x{{202F}}]', '', 'g')"
    # Fast path for plain ASCII digits (up to 18 fit a BIGINT): most values of a large register,
    # read exactly as the full expressions below would read them, at a fraction of the cost.
    plain = f"regexp_full_match({reference}, '[0-9]{{1,18}}')"
    return ValueSql(
        typed=(
            f"case when {plain} then cast({reference} as bigint)"
            f" else {sign} * try_cast(nullif({ungrouped}, '') as bigint) end"
        ),
        problem=(
            f"case when {plain} then null else "
            f"case when {empty} then {when_empty}"
            f" when regexp_full_match({digits}, {_literal(WHOLE_NUMBER_PATTERN)}) then"
            f" case when try_cast({ungrouped} as bigint) is null"
            f" then {_literal('is too large: expected ' + expected)} end"
            f"{negative_problem}"
            f" when regexp_matches({digits}, '[.,\u066b\u066c]')"
            f" then {_literal(_SEPARATOR_REASON.format(expected=expected))}"
            f" else {_literal('is not ' + expected + _DIGITS_HINT)} end end"
        ),
    )


_DIGITS_HINT = (
    ": write digits, optionally grouped by thousands with a space or no-break space"
    " as the report prints them (1 045 500)"
)
_SEPARATOR_REASON = (
    "is not {expected}: a comma or a dot is not accepted in a number, because it reads as"
    " a decimal mark in one locale and a thousands separator in another; write 1 045 500"
    " (spaces, as the report prints them) or 1045500"
)


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
        raise SeedError(path, [_not_utf8(path)]) from None
    header = [name.strip() for name in header]

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
    if problems:
        raise SeedError(path, problems)
    return header


def _names(names: Sequence[str]) -> str:
    return ", ".join(names)


def _not_utf8(path: Path) -> SeedProblem:
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


def load_seed(connection: duckdb.DuckDBPyConnection, table: SeedTable, path: Path) -> int:
    """Validate `path` against `table` and replace `raw.<table>` with its typed rows.

    Returns the number of rows loaded. Raises `SeedError` and leaves the raw table as it was if
    anything is wrong with the file.
    """
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    if table.optional and not path.exists():
        _create_empty(connection, table)
        return 0
    header = read_header(path, table)
    connection.execute("begin transaction")
    try:
        rows = _load_in_transaction(connection, table, path, header, _raw_table(table))
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")
    return rows


# Which file of a split table holds which of its values, and each file's hash: what lets a
# refresh load only the files that changed.
SEED_PARTS_TABLE = f"{RAW_SCHEMA}._seed_parts"


@dataclass(frozen=True)
class SplitLoad:
    """What `load_split_seed` did: the table's rows, which files it read (changed or new) and
    whose rows it removed (files that left the folder)."""

    rows: int
    loaded: tuple[str, ...]
    removed: tuple[str, ...]


def validation_fingerprint(table: SeedTable, lookup_hashes: Mapping[str, str]) -> str:
    """What a file's validation depends on besides its own content: this module's code, the
    table's declared schema, and the content of the tables its values are looked up in
    (`lookup_hashes`, by file name). A file loaded under another one is read again."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(repr(table).encode())
    for name, sha in sorted(lookup_hashes.items()):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()


def load_split_seed(
    connection: duckdb.DuckDBPyConnection,
    table: SeedTable,
    paths: Sequence[Path],
    file_hashes: Mapping[str, str],
    validated_with: str,
) -> SplitLoad:
    """Bring `raw.<table>` up to date with its files (`seed_paths`), reading only those whose
    hash (`file_hashes`, by file name) or validation (`validated_with`, from
    `validation_fingerprint`) differs from the one recorded when they were loaded.

    Each file holds whole values of `table.split_by` (a period's agreements are in one file).
    A changed file's old rows are replaced by its new ones, a removed file's rows are deleted;
    every file read is validated as `load_seed` validates one, and its key must not repeat one
    of another file. All in one transaction: any problem raises `SeedError` naming the file,
    and leaves the table and the record of its files as they were.
    """
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    parts_columns = ("table_name", "seed_file", "sha256", "validated_with", "split_value")
    if [name for name, _ in _raw_columns(connection, SEED_PARTS_TABLE.split(".")[1])] != list(
        parts_columns
    ):
        # Absent, or written by another version of this loader: every file is read again.
        connection.execute(
            f"create or replace table {SEED_PARTS_TABLE} ("
            + ", ".join(f"{name} varchar" for name in parts_columns)
            + ")"
        )
    target = _raw_table(table)
    stored = (
        dict(
            connection.execute(
                f"select distinct seed_file, sha256 from {SEED_PARTS_TABLE}"
                " where table_name = ? and validated_with = ?",
                [table.name, validated_with],
            ).fetchall()
        )
        if _has_declared_columns(connection, table)
        else {}
    )
    changed = [path for path in paths if stored.get(path.name) != file_hashes[path.name]]
    removed = sorted(stored.keys() - file_hashes.keys())
    if stored and not changed and not removed:
        rows = connection.execute(f"select count(*) from {target}").fetchone()[0]
        return SplitLoad(rows, (), ())
    # Nothing stored is kept (files changed or removed, or all recorded under another
    # validation): the table is rebuilt, its first file read straight into it.
    rebuild = all(name in removed or name in {p.name for p in changed} for name in stored)
    connection.execute("begin transaction")
    try:
        if rebuild:
            connection.execute(f"delete from {SEED_PARTS_TABLE} where table_name = ?", [table.name])
            _create_empty(connection, table)
        else:
            for name in [*removed, *(path.name for path in changed)]:
                connection.execute(
                    f"delete from {target} where {_quote(table.split_by)} in (select split_value"
                    f" from {SEED_PARTS_TABLE} where table_name = ? and seed_file = ?)",
                    [table.name, name],
                )
                connection.execute(
                    f"delete from {SEED_PARTS_TABLE} where table_name = ? and seed_file = ?",
                    [table.name, name],
                )
        for index, path in enumerate(changed):
            header = read_header(path, table)
            if rebuild and index == 0:
                _load_in_transaction(connection, table, path, header, target)
                part = target
            else:
                part = "seed_part"
                _load_in_transaction(connection, table, path, header, part, True)
                _raise_located(path, _LazyLines(path), _clashes(connection, table, header, path))
                columns = ", ".join(_quote(name) for name in table.column_names)
                connection.execute(f"insert into {target} select {columns} from {part}")
            connection.execute(
                f"insert into {SEED_PARTS_TABLE} select ?, ?, ?, ?, split_value from"
                f" (select distinct cast({_quote(table.split_by)} as varchar) as split_value"
                f" from {part} union all select null where not exists (select 1 from {part}))",
                [table.name, path.name, file_hashes[path.name], validated_with],
            )
        connection.execute("drop table if exists seed_part")
        rows = connection.execute(f"select count(*) from {target}").fetchone()[0]
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")
    return SplitLoad(rows, tuple(path.name for path in changed), tuple(removed))


def _clashes(connection, table: SeedTable, header: Sequence[str], path: Path) -> list:
    """Where the rows of `seed_part` (a file being loaded) clash with the other files' rows in
    `raw.<table>`: a split value another file already holds, or a repeated key. The file is
    read again, with each record's ordinal, only when there is a clash."""
    split = _quote(table.split_by)
    key = ", ".join(_quote(name) for name in table.unique_key)
    other_file = (
        f"(select seed_file from {SEED_PARTS_TABLE} as parts where parts.table_name ="
        f" {_literal(table.name)} and parts.split_value = cast(other.{split} as varchar))"
    )
    split_clash = (
        f"select distinct cast(seed_part.{split} as varchar) as value, {other_file} as other_file"
        f" from seed_part join (select distinct {split} from {_raw_table(table)}) as other"
        f" using ({split})"
    )
    key_clash = (
        f"select seed_part.{_quote(table.unique_key[-1])} as value, {other_file} as other_file"
        f" from seed_part join {_raw_table(table)} as other using ({key})"
        if table.unique_key
        else "select null as value, null as other_file where false"
    )
    any_clash = f"select exists ({split_clash}) or exists ({key_clash})"
    if not connection.execute(any_clash).fetchone()[0]:
        return []
    connection.execute(
        f"create or replace temp table seed_located as select ordinality, {_typed_columns(table)}"
        f" from {_read_text(header, rejects=False)}",
        [str(path)],
    )
    problems = []
    for column, clash, explain in (
        (
            table.split_by,
            split_clash,
            "is also given in {other}: each {column} is given in one file only",
        ),
        (
            table.unique_key[-1] if table.unique_key else None,
            key_clash,
            "repeats the {column} of a row in {other}: each must appear once",
        ),
    ):
        for value, other in connection.execute(
            f"select * from ({clash}) order by value limit {MAX_PROBLEMS_REPORTED}"
        ).fetchall():
            ordinal = connection.execute(
                f"select min(ordinality) from seed_located where {_quote(column)} = ?", [value]
            ).fetchone()[0]
            other_label = f"{path.parent.name}/{other}"
            problems.append(
                (ordinal, column, value, explain.format(other=other_label, column=column))
            )
    return problems


def _raw_columns(connection, table_name: str) -> list[tuple[str, str]]:
    """(name, type) of each column of `raw.<table_name>`, in order; empty if there is none."""
    return connection.execute(
        "select column_name, data_type from duckdb_columns()"
        " where schema_name = ? and table_name = ? and database_name = current_database()"
        " order by column_index",
        [RAW_SCHEMA, table_name],
    ).fetchall()


def _has_declared_columns(connection, table: SeedTable) -> bool:
    """Whether `raw.<table>` exists with exactly the declared columns and types, in order."""
    return _raw_columns(connection, table.name) == [
        (c.name, c.data_type.upper()) for c in table.columns
    ]


def _create_empty(connection, table: SeedTable) -> None:
    columns = ", ".join(f"{_quote(c.name)} {c.data_type}" for c in table.columns)
    connection.execute(f"create or replace table {_raw_table(table)} ({columns})")


def _typed_columns(table: SeedTable) -> str:
    """The select list that types each text column of the file as declared."""
    return ", ".join(
        f"cast({value_sql(column, _quote(column.name)).typed} as {column.data_type})"
        f" as {_quote(column.name)}"
        for column in table.columns
    )


def _raw_table(table: SeedTable) -> str:
    return f"{RAW_SCHEMA}.{_quote(table.name)}"


def _load_in_transaction(connection, table, path, header, target, temporary=False) -> int:
    """One read of the file types every value straight into `target` (`raw.<table>`, or a
    temporary table when `temporary`) and flags the rows with a bad value; the file is read
    again only to explain a problem. Runs in the caller's transaction, so a bad file leaves the
    previous raw table in place."""
    sql = {column.name: value_sql(column, _quote(column.name)) for column in table.columns}
    typed_columns = _typed_columns(table)
    flagged = " or ".join(f"({sql[name].problem}) is not null" for name in table.column_names)
    connection.execute("drop table if exists seed_rejects")
    connection.execute("drop table if exists seed_scans")
    connection.execute(
        f"create or replace {'temp ' if temporary else ''}table {target} as select {typed_columns},"
        f" {flagged} as has_problem from {_read_text(header)}",
        [str(path)],
    )
    rejected = connection.execute(
        "select line, column_name, error_type, trim(csv_line, chr(10) || chr(13)), error_message"
        " from seed_rejects order by line limit ?",
        [MAX_PROBLEMS_REPORTED],
    ).fetchall()
    if rejected:
        problems = [_rejected_problem(path, *row) for row in rejected]
        raise SeedError(path, list(dict.fromkeys(problems)))

    record_count, any_problem = connection.execute(
        f"select count(*), coalesce(bool_or(has_problem), false) from {target}"
    ).fetchone()
    if record_count < table.min_rows:
        raise SeedError(
            path,
            [SeedProblem(f"has a header but no rows: at least {table.min_rows} row(s) required")],
        )
    if any_problem:
        # Which value is wrong, where and why: each column of the text, read again.
        problem_rows = connection.execute(
            f"with seed_text as (select * from {_read_text(header, rejects=False)}) "
            "select * from ("
            + " union all ".join(
                f"select ordinality, {position} as position, {_literal(name)} as column_name,"
                f" {_quote(name)} as value, {sql[name].problem} as problem from seed_text"
                for position, name in enumerate(table.column_names)
            )
            + ") where problem is not null order by ordinality, position limit ?",
            [str(path), MAX_PROBLEMS_REPORTED],
        ).fetchall()
        lines = record_start_lines(path)
        raise SeedError(
            path,
            [
                SeedProblem(problem, line=lines[ordinal - 1], column=name, value=value)
                for ordinal, _, name, value, problem in problem_rows
            ],
        )

    # Lookups and keys: first whether anything is wrong, over the loaded table; only then the
    # file is read again with each record's ordinal, to say on which lines.
    connection.execute(f"create or replace temp view seed_typed as select * from {target}")
    _add_derived_columns(connection, table)
    if _any_unknown_reference(connection, table) or _any_repeated_key(connection, table):
        connection.execute(
            f"create or replace temp table seed_located as select ordinality, {typed_columns}"
            f" from {_read_text(header, rejects=False)}",
            [str(path)],
        )
        connection.execute("create or replace temp view seed_typed as select * from seed_located")
        lines = _LazyLines(path)
        _raise_located(path, lines, _unknown_references(connection, table))
        _add_derived_columns(connection, table)
        _raise_located(path, lines, _duplicate_keys(connection, table, lines))
    connection.execute("drop view if exists seed_typed")
    connection.execute("drop table if exists seed_typed_derived")
    # Dropping a column rewrites nothing: the table keeps the file's rows, in file order.
    connection.execute(f"alter table {target} drop column has_problem")
    return record_count


def _read_text(header: Sequence[str], rejects: bool = True) -> str:
    """DuckDB's CSV reader over the file (the query's `?`): every column as text, with each
    record's ordinal; unreadable records go to `seed_rejects` with their line."""
    columns = "{" + ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in header) + "}"
    store = (
        ", store_rejects = true, rejects_table = 'seed_rejects', rejects_scan = 'seed_scans'"
        if rejects
        else ", ignore_errors = true"
    )
    return (
        f"read_csv(?, header = true, columns = {columns}, delim = ',', quote = '\"',"
        " escape = '\"', auto_detect = false, strict_mode = true, null_padding = false"
        f"{store}) with ordinality"
    )


class _LazyLines(Sequence[int]):
    """Record start lines, read from the file only when a problem needs locating."""

    def __init__(self, path: Path):
        self._path = path
        self._lines: list[int] | None = None

    def _get(self) -> list[int]:
        if self._lines is None:
            self._lines = record_start_lines(self._path)
        return self._lines

    def __getitem__(self, index):
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())


def _rejected_problem(path, line, column_name, error_type, csv_line, error_message) -> SeedProblem:
    if error_type == "INVALID ENCODING":
        return _not_utf8(path)
    return SeedProblem(
        f"cannot be read as CSV ({error_message})", line=line, column=column_name, value=csv_line
    )


def _raise_located(path: Path, lines: Sequence[int], problems: list) -> None:
    """Raise the (record, column, value, expected) problems, located by line, if there are any."""
    if problems:
        raise SeedError(
            path,
            [
                SeedProblem(expected, line=lines[ordinal - 1], column=column, value=value)
                for ordinal, column, value, expected in sorted(problems)[:MAX_PROBLEMS_REPORTED]
            ],
        )


def _add_derived_columns(connection, table: SeedTable) -> None:
    """Add each derived column (e.g. a label's domain code) to seed_typed, from its lookup."""
    if not table.derived:
        return
    derived = ", ".join(
        "cast(coalesce("
        + ", ".join(
            f"(select {_quote(take)} from {RAW_SCHEMA}.{_quote(other_table)} as lookup"
            f" where lookup.{_quote(other_column)} = seed_typed.{_quote(source)})"
            for other_table, other_column in table.lookups[source]
        )
        + f", null) as varchar) as {_quote(column)}"
        for column, (source, take) in table.derived.items()
    )
    # A new table rather than an UPDATE: rewriting every row in place costs far more.
    connection.execute(
        f"create or replace temp table seed_typed_derived as select *, {derived} from seed_typed"
    )
    connection.execute("create or replace temp view seed_typed as select * from seed_typed_derived")


def _any_repeated_key(connection, table: SeedTable) -> bool:
    """Whether a unique key repeats in seed_typed (a hash aggregate: no sort, no ordinals)."""
    if not table.unique_key:
        return False
    key = ", ".join(_quote(name) for name in table.unique_key)
    return connection.execute(
        f"select exists (select 1 from seed_typed group by {key} having count(*) > 1)"
    ).fetchone()[0]


def _duplicate_keys(connection, table: SeedTable, lines: Sequence[int]) -> list:
    if not _any_repeated_key(connection, table):
        return []
    key = ", ".join(_quote(name) for name in table.unique_key)
    # A derived key column (a label's domain code) is reported on the file column it comes from.
    reported = next(
        (table.derived[name][0] for name in table.unique_key if name in table.derived),
        table.unique_key[-1],
    )
    rows = connection.execute(
        f"""
        select ordinality, first_ordinality, {_quote(reported)}, {key}
        from (
            select ordinality, {key}, {_quote(reported)},
                min(ordinality) over (partition by {key}) as first_ordinality
            from seed_typed
        )
        where ordinality > first_ordinality
        """
    ).fetchall()
    key_label = (
        table.unique_key[0] if len(table.unique_key) == 1 else f"({', '.join(table.unique_key)})"
    )
    return [
        (
            ordinal,
            reported,
            str(value),
            f"repeats the {key_label} of line {lines[first_ordinal - 1]}"
            f" ({', '.join(str(v) for v in key_values)}): each must appear once",
        )
        for ordinal, first_ordinal, value, *key_values in rows
    ]


def _known_values_sql(targets: Sequence[tuple[str, str]]) -> str:
    return " union ".join(
        f"select cast({_quote(other_column)} as varchar) as known"
        f" from {RAW_SCHEMA}.{_quote(other_table)}"
        for other_table, other_column in targets
    )


def _any_unknown_reference(connection, table: SeedTable) -> bool:
    """Whether any looked-up value of seed_typed is missing from its lookup tables."""
    return any(
        connection.execute(
            f"select exists (select 1 from seed_typed where {_quote(column)} is not null"
            f" and cast({_quote(column)} as varchar) not in ({_known_values_sql(targets)}))"
        ).fetchone()[0]
        for column, targets in table.lookups.items()
    )


def _unknown_references(connection, table: SeedTable) -> list:
    problems = []
    for column, targets in table.lookups.items():
        known_sql = _known_values_sql(targets)
        rows = connection.execute(
            f"select ordinality, {_quote(column)} from seed_typed"
            f" where {_quote(column)} is not null"
            f" and cast({_quote(column)} as varchar) not in ({known_sql})"
            f" order by ordinality limit {MAX_PROBLEMS_REPORTED}"
        ).fetchall()
        if not rows:
            continue
        expected = " or ".join(
            f"{other_column} of {other_table}" for other_table, other_column in targets
        )
        known = [row[0] for row in connection.execute(f"{known_sql} order by known").fetchall()]
        known_values = ", ".join(f'"{k}"' for k in known)
        for ordinal, value in rows:
            problems.append(
                (
                    ordinal,
                    column,
                    str(value),
                    f"is not a known {expected}; known values: {known_values}",
                )
            )
    return problems
