"""One refresh's open-data files, from the working file's marts: the CSV copies, the 360Giving
files of the register and the data package describing them, staged beside the old ones
(`StagedFiles`) for the publish step to swap in after the DuckDB file and Parquet.

A table split by programme period (`fct_project_grants`) has one CSV file, and one 360Giving
file, per programme period, written again only when the period's source_fingerprint changed
(as its Parquet files are); every other table is written whole."""

import gc
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson

from orchestration.lib.open_data.csv_copies import write_csv
from orchestration.lib.open_data.data_package import (
    CsvResource,
    csv_resource,
    data_package,
    json_resource,
)
from orchestration.lib.open_data.descriptions import MARTS_SCHEMA, published_tables
from orchestration.lib.open_data.register_lines import line_of_agreement, register_file
from orchestration.lib.open_data.three_sixty_giving import (
    AGREEMENTS_QUERY,
    Rejection,
    grant,
    grant_package,
    rejections,
)
from orchestration.lib.seed_files.problems import SeedError, SeedProblem
from orchestration.lib.sql import table_columns
from orchestration.lib.staged_files import StagedFiles

# What each kept part of a table split by programme period was written from: the part's
# source_fingerprint, by table and part. Written last, so a part renamed before a crash is
# simply written again.
PARTS_RECORD = ".parts.json"

PACKAGE_FILE = "datapackage.json"
CSV_FOLDER = "csv"
GRANTS_FOLDER = "360giving"
SPLIT_COLUMNS = {"programme_period", "source_fingerprint"}
# How many of a period's grants are built, validated and written at a time.
GRANTS_PER_CHUNK = 50_000
REGISTER = "fct_project_grants"


@dataclass
class OpenData:
    files: StagedFiles
    csv_files: int = 0
    grants: int = 0  # in the 360Giving files written by this refresh
    undated: list[str] = field(default_factory=list)  # agreements left out: no award date

    def publish(self) -> None:
        self.files.replace_old_files()

    def discard(self) -> None:
        self.files.discard()


def prepare_open_data(
    build_database: Path,
    root: Path,
    seeds_dir: Path,
    manifest: Mapping[str, Any],
    duckdb_config: dict[str, str] | None = None,
) -> OpenData:
    """Stage every open-data file; raise SeedError (nothing staged left) when an agreement is
    not valid 360Giving."""
    files = StagedFiles(root)
    files.remove_stale()
    opened = OpenData(files)
    described = published_tables(manifest)
    previous_parts = read_parts_record(root)
    parts_record: dict[str, dict[str, str]] = {}
    resources: list[dict[str, Any]] = []
    config: dict[str, str | bool | int | float | list[str]] = dict(duckdb_config or {})
    try:
        with duckdb.connect(config=config) as connection:
            connection.execute("attach ? as build (read_only)", [str(build_database)])
            for name in _built_tables(connection):
                table = described.get(name)
                columns = [c.name for c in table_columns(connection, MARTS_SCHEMA, name, "build")]
                if table is None or [c.name for c in table.columns] != columns:
                    raise RuntimeError(
                        f"marts.{name}'s columns differ from dbt's manifest: run `make manifest`"
                    )
                relation = f"build.{MARTS_SCHEMA}.{name}"
                if not set(columns) >= SPLIT_COLUMNS:
                    path = root / CSV_FOLDER / f"{name}.csv"
                    write_csv(connection, files, f"select * from {relation}", path)
                    resources.append(csv_resource(CsvResource(table, _relative(root, path))))
                    continue
                fingerprints = dict(
                    connection.execute(
                        f"select distinct programme_period, source_fingerprint from {relation}"
                    ).fetchall()
                )
                parts_record[name] = fingerprints
                changed = {
                    part
                    for part, fingerprint in fingerprints.items()
                    if previous_parts.get(name, {}).get(part) != fingerprint
                }
                for part in sorted(fingerprints):
                    path = root / CSV_FOLDER / name / f"{part}.csv"
                    if part in changed or not path.exists():
                        query = f"select * from {relation} where programme_period = ?"
                        write_csv(connection, files, query, path, [part])
                    else:
                        files.keep(path)
                    resources.append(csv_resource(CsvResource(table, _relative(root, path), part)))
                if not fingerprints:  # its columns stay readable
                    path = root / CSV_FOLDER / name / "_empty.csv"
                    write_csv(connection, files, f"select * from {relation}", path)
                    resources.append(csv_resource(CsvResource(table, _relative(root, path))))
                if name == REGISTER:
                    resources += _grant_files(
                        connection, opened, seeds_dir, sorted(fingerprints), changed
                    )
            sources = _rows(connection, f"select * from build.{MARTS_SCHEMA}.dim_source_document")
            opened.undated = [
                row[0]
                for row in connection.execute(
                    f"select identifier from build.{MARTS_SCHEMA}.{REGISTER}"
                    " where award_date is null order by programme_period, source_row"
                ).fetchall()
            ]
        opened.csv_files = len([r for r in resources if r["format"] == "csv"])
        files.write_json(root / PACKAGE_FILE, data_package(resources, sources))
        files.write_json(root / PARTS_RECORD, parts_record)  # last: see PARTS_RECORD
    except BaseException:
        files.discard()
        raise
    return opened


def _grant_files(
    connection: duckdb.DuckDBPyConnection,
    opened: OpenData,
    seeds_dir: Path,
    parts: list[str],
    changed: set[str],
) -> list[dict[str, Any]]:
    """The register's 360Giving file per programme period with dated agreements; those of the
    changed periods written again and validated."""
    root, resources = opened.files.root, []
    query = AGREEMENTS_QUERY.format(marts=f"build.{MARTS_SCHEMA}")
    for part in parts:
        path = root / GRANTS_FOLDER / f"{part}.json"
        if part in changed or not path.exists():
            written = _write_grant_file(connection, opened, seeds_dir, query, part, path)
            if not written:
                continue  # none dated: no file (a 360Giving package holds one grant or more)
            opened.grants += written
        else:
            opened.files.keep(path)
        resources.append(
            json_resource(
                f"360giving.{part}".lower(),
                _relative(root, path),
                f"The register's agreements of {part} as a 360Giving Data Standard package.",
            )
        )
    return resources


def _write_grant_file(
    connection: duckdb.DuckDBPyConnection,
    opened: OpenData,
    seeds_dir: Path,
    query: str,
    part: str,
    path: Path,
) -> int:
    """Write the 360Giving package of one programme period's dated agreements, validated and
    written GRANTS_PER_CHUNK at a time (never a period's 500 000 agreements and grants as
    Python objects at once); raise SeedError for the first chunk the schema rejects (the
    publish step then discards the staged file). Returns how many grants were written; 0, and
    no file, when none is dated."""
    cursor = connection.execute(
        f"{query} where g.programme_period = ? and g.award_date is not null"
        " order by g.source_row, g.identifier",
        [part],
    )
    names = [description[0] for description in cursor.description]
    # The package with no grants, split where they go: one chunk's grants are validated as
    # a package of their own, and written between these two halves.
    head, tail = orjson.dumps(grant_package(part, [])).split(b'"grants":[]')
    written = 0
    rows = cursor.fetchmany(GRANTS_PER_CHUNK)
    if not rows:
        return 0
    with opened.files.new(path).open("wb") as file, _garbage_collector_paused():
        file.write(head + b'"grants":[')
        while rows:
            agreements = [dict(zip(names, row, strict=True)) for row in rows]
            package = grant_package(part, [grant(agreement) for agreement in agreements])
            if problems := rejections(package, agreements):
                raise _seed_error(connection, seeds_dir, problems)
            file.write((b"," if written else b"") + orjson.dumps(package["grants"])[1:-1])
            written += len(agreements)
            rows = cursor.fetchmany(GRANTS_PER_CHUNK)
        file.write(b"]" + tail + b"\n")
    return written


@contextmanager
def _garbage_collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a period's grants are built: its millions of new dicts
    (none in a cycle, all freed by reference counting) would set off a full collection over and
    over, each walking all of them (6 of the 7.5 s building 500 000 grants took)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _seed_error(
    connection: duckdb.DuckDBPyConnection, seeds_dir: Path, problems: list[Rejection]
) -> SeedError:
    """The rejections, each located on its agreement's line in the register's seed file."""
    first_file = register_file(connection, seeds_dir, problems[0].agreement["period"])
    located = []
    for problem in problems:
        agreement = problem.agreement
        path = register_file(connection, seeds_dir, agreement["period"])
        line = line_of_agreement(path, agreement["identifier"]) if path.exists() else None
        value = problem.value
        empty = value is None or value == ""
        where = f"{problem.pointer} of agreement {agreement['identifier']}"
        located.append(
            SeedProblem(
                expected=(
                    f"{'is empty, but ' if empty else 'is not valid: '}the 360Giving Data"
                    f" Standard requires {where} ({problem.reason})"
                ),
                line=line,
                column=problem.column,
                value=None if empty else str(value),
            )
        )
    return SeedError(first_file, located)


def _built_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(
            "select table_name from duckdb_tables() where database_name = 'build'"
            " and schema_name = ? order by table_name",
            [MARTS_SCHEMA],
        ).fetchall()
    ]


def _rows(connection: duckdb.DuckDBPyConnection, query: str, parameters=()) -> list[dict]:
    cursor = connection.execute(query, list(parameters))
    names = [description[0] for description in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def read_parts_record(root: Path) -> dict[str, dict[str, str]]:
    path = root / PARTS_RECORD
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
