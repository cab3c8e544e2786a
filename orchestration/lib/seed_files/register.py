"""A table split by a column (the register of agreements, by period) and given as several
files: only the files whose content or validation changed are read again; each file's rows are
replaced as a whole, and must not clash with the other files' rows.

`raw._seed_parts` records which file holds which split values, its hash and the validation it
was loaded under: what lets a refresh load only the files that changed."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.fingerprint import file_sha256, files_sha256
from orchestration.lib.seed_files.loading import create_empty, load_in_transaction
from orchestration.lib.seed_files.one_pass import FilesNeedLocatingError, read_together
from orchestration.lib.seed_files.problems import (
    MAX_PROBLEMS_REPORTED,
    LazyLines,
    Located,
    raise_located,
)
from orchestration.lib.seed_files.reading import create_located
from orchestration.lib.seed_files.references import key_columns
from orchestration.lib.seed_files.schema import RAW_SCHEMA, SeedTable, raw_table
from orchestration.lib.seed_files.text_checks import read_header
from orchestration.lib.sql import column_types, quote_identifier, scalar, sql_literal

SEED_PARTS_TABLE = f"{RAW_SCHEMA}._seed_parts"
PARTS_COLUMNS = ("table_name", "seed_file", "sha256", "validated_with", "split_value")

# The modules of this package that do not decide how a file is validated (every other one does,
# and so does orchestration/lib/sql.py, which writes its literals).
NOT_VALIDATION = frozenset({"__init__.py", "catalog.py"})


@dataclass(frozen=True)
class SplitLoad:
    """What `load_split_seed` did: the table's rows, which files it read (changed or new) and
    whose rows it removed (files that left the folder)."""

    rows: int
    loaded: tuple[str, ...]
    removed: tuple[str, ...]


def validation_sources() -> list[Path]:
    """The source files of the code that decides how a seed file is validated, in name order."""
    package = Path(__file__).parent
    modules = [path for path in package.glob("*.py") if path.name not in NOT_VALIDATION]
    return sorted([*modules, package.parent / "sql.py"])


def validation_fingerprint(table: SeedTable, lookup_hashes: Mapping[str, str]) -> str:
    """What a file's validation depends on besides its own content: the code that validates it
    (`validation_sources`), the table's declared schema, and the content of the tables its
    values are looked up in (`lookup_hashes`, by file name). A file loaded under another one is
    read again."""
    hashes = {
        f"code/{path.parent.name}/{path.name}": file_sha256(path) for path in validation_sources()
    }
    hashes["schema"] = hashlib.sha256(repr(table).encode()).hexdigest()
    hashes.update((f"lookup/{name}", sha) for name, sha in lookup_hashes.items())
    return files_sha256(hashes)


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
    _create_parts_table(connection)
    stored = _stored_hashes(connection, table, validated_with)
    changed = [path for path in paths if stored.get(path.name) != file_hashes[path.name]]
    removed = sorted(stored.keys() - file_hashes.keys())
    count_rows = f"select count(*) from {raw_table(table)}"
    if stored and not changed and not removed:
        return SplitLoad(scalar(connection, count_rows), (), ())
    # Nothing stored is kept (files changed or removed, or all recorded under another
    # validation): the table is rebuilt, its first file read straight into it.
    rebuild = all(name in removed or name in {p.name for p in changed} for name in stored)
    parts = _Parts(connection, table, file_hashes, validated_with)
    connection.execute("begin transaction")
    try:
        try:
            parts.update(changed, removed, rebuild, together=True)
        except FilesNeedLocatingError:
            # Something is wrong in one of the files: again, file by file, to say where.
            connection.execute("rollback")
            connection.execute("begin transaction")
            parts.update(changed, removed, rebuild, together=False)
        connection.execute("drop table if exists seed_part")
        rows = scalar(connection, count_rows)
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")
    return SplitLoad(rows, tuple(path.name for path in changed), tuple(removed))


def _create_parts_table(connection: duckdb.DuckDBPyConnection) -> None:
    """`raw._seed_parts`, unless it is there with its columns."""
    schema, name = SEED_PARTS_TABLE.split(".")
    if [column for column, _ in column_types(connection, schema, name)] != list(PARTS_COLUMNS):
        # Absent, or written by another version of this loader: every file is read again.
        connection.execute(
            f"create or replace table {SEED_PARTS_TABLE} ("
            + ", ".join(f"{column} varchar" for column in PARTS_COLUMNS)
            + ")"
        )


def _stored_hashes(
    connection: duckdb.DuckDBPyConnection, table: SeedTable, validated_with: str
) -> dict[str, str]:
    """The hash of each file of `table` loaded under `validated_with`, by file name; none if
    `raw.<table>` is not there with the declared columns."""
    declared = [(c.name, c.data_type.upper()) for c in table.columns]
    if column_types(connection, RAW_SCHEMA, table.name) != declared:
        return {}
    return dict(
        connection.execute(
            f"select distinct seed_file, sha256 from {SEED_PARTS_TABLE}"
            " where table_name = ? and validated_with = ?",
            [table.name, validated_with],
        ).fetchall()
    )


def split_column(table: SeedTable) -> str:
    """The column a split table is split by."""
    if table.split_by is None:
        raise ValueError(f"{table.name} is not split by a column")
    return table.split_by


class _Parts:
    """The files of one split table, within the transaction of `load_split_seed`."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        table: SeedTable,
        file_hashes: Mapping[str, str],
        validated_with: str,
    ):
        self.connection = connection
        self.table = table
        self.file_hashes = file_hashes
        self.validated_with = validated_with
        self.split = quote_identifier(split_column(table))

    def update(
        self, changed: Sequence[Path], removed: Sequence[str], rebuild: bool, together: bool
    ) -> None:
        """Forget the removed and changed files' rows (all, to `rebuild`), then load the changed
        ones: `together` in one pass when they share a header (one_pass.py), else one by one."""
        if rebuild:
            self.forget_all()
        else:
            for name in [*removed, *(path.name for path in changed)]:
                self.forget(name)
        headers = [read_header(path, self.table) for path in changed]
        if together and len(changed) > 1 and all(header == headers[0] for header in headers):
            self.load_together(changed, headers[0], straight_into_table=rebuild)
            return
        for index, (path, header) in enumerate(zip(changed, headers, strict=True)):
            self.load(path, header, straight_into_table=rebuild and index == 0)

    def forget_all(self) -> None:
        """Empty the table and the record of its files."""
        self.connection.execute(
            f"delete from {SEED_PARTS_TABLE} where table_name = ?", [self.table.name]
        )
        create_empty(self.connection, self.table)

    def forget(self, file_name: str) -> None:
        """Delete the rows of one file, and its record."""
        self.connection.execute(
            f"delete from {raw_table(self.table)} where {self.split} in (select split_value"
            f" from {SEED_PARTS_TABLE} where table_name = ? and seed_file = ?)",
            [self.table.name, file_name],
        )
        self.connection.execute(
            f"delete from {SEED_PARTS_TABLE} where table_name = ? and seed_file = ?",
            [self.table.name, file_name],
        )

    def load(self, path: Path, header: Sequence[str], straight_into_table: bool) -> None:
        """Validate one file and add its rows (read straight into the emptied table, or into
        `seed_part` and checked against the other files' rows first), and record it."""
        connection, table = self.connection, self.table
        target = raw_table(table)
        if straight_into_table:
            load_in_transaction(connection, table, path, header, target)
            part = target
        else:
            part = "seed_part"
            load_in_transaction(connection, table, path, header, part, True)
            raise_located(path, LazyLines(path), _clashes(connection, table, header, path))
            columns = ", ".join(quote_identifier(name) for name in table.column_names)
            connection.execute(f"insert into {target} select {columns} from {part}")
        connection.execute(
            f"insert into {SEED_PARTS_TABLE} select ?, ?, ?, ?, split_value from"
            f" (select distinct cast({self.split} as varchar) as split_value"
            f" from {part} union all select null where not exists (select 1 from {part}))",
            [table.name, path.name, self.file_hashes[path.name], self.validated_with],
        )

    def load_together(
        self, paths: Sequence[Path], header: Sequence[str], straight_into_table: bool
    ) -> None:
        """`load` for several files at once, in one pass (one_pass.py); raises
        FilesNeedLocatingError, having said nothing, when anything is wrong with any of them."""
        connection, table = self.connection, self.table
        target = raw_table(table)
        part = target if straight_into_table else "seed_part"
        split_values = read_together(
            connection, table, paths, header, part, temporary=not straight_into_table
        )
        if not straight_into_table:
            if scalar(connection, _any_clash_sql(table)):
                raise FilesNeedLocatingError()
            columns = ", ".join(quote_identifier(name) for name in table.column_names)
            connection.execute(f"insert into {target} select {columns} from {part}")
        connection.executemany(
            f"insert into {SEED_PARTS_TABLE} values (?, ?, ?, ?, ?)",
            [
                [table.name, name, self.file_hashes[name], self.validated_with, value]
                for name, values in split_values.items()
                for value in values
            ],
        )


def _any_clash_sql(table: SeedTable) -> str:
    """Whether any row of `seed_part` clashes with another file's in `raw.<table>`."""
    return "select " + " or ".join(f"exists ({query})" for _, query, _ in _clash_queries(table))


def _clash_queries(table: SeedTable) -> list[tuple[str | None, str, str]]:
    """For the split column and the last key column: the query of the rows of `seed_part` that
    clash with another file's (value, other file), and how to explain one."""
    split = quote_identifier(split_column(table))
    other_file = (
        f"(select seed_file from {SEED_PARTS_TABLE} as parts where parts.table_name ="
        f" {sql_literal(table.name)} and parts.split_value = cast(other.{split} as varchar))"
    )
    split_clash = (
        f"select distinct cast(seed_part.{split} as varchar) as value, {other_file} as other_file"
        f" from seed_part join (select distinct {split} from {raw_table(table)}) as other"
        f" using ({split})"
    )
    key_clash = (
        f"select seed_part.{quote_identifier(table.unique_key[-1])} as value,"
        f" {other_file} as other_file"
        f" from seed_part join {raw_table(table)} as other using ({key_columns(table)})"
        if table.unique_key
        else "select null as value, null as other_file where false"
    )
    return [
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
    ]


def _clashes(
    connection: duckdb.DuckDBPyConnection, table: SeedTable, header: Sequence[str], path: Path
) -> list[Located]:
    """Where the rows of `seed_part` (a file being loaded) clash with the other files' rows in
    `raw.<table>`: a split value another file already holds, or a repeated key. The file is
    read again, with each record's ordinal, only when there is a clash."""
    if not scalar(connection, _any_clash_sql(table)):
        return []
    queries = _clash_queries(table)
    create_located(connection, table, header, path)
    problems: list[Located] = []
    for column, clash, explain in queries:
        if column is None:
            continue
        for value, other in connection.execute(
            f"select * from ({clash}) order by value limit {MAX_PROBLEMS_REPORTED}"
        ).fetchall():
            ordinal = scalar(
                connection,
                f"select min(ordinality) from seed_located where {quote_identifier(column)} = ?",
                [value],
            )
            other_label = f"{path.parent.name}/{other}"
            problems.append(
                (ordinal, column, value, explain.format(other=other_label, column=column))
            )
    return problems
