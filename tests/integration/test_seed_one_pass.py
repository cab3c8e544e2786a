"""The register's files read and checked in one pass (orchestration/lib/seed_files/one_pass.py),
on a SYNTHETIC register of three periods in DuckDB: good files are loaded by that pass, a file
with a bad value makes it step aside, and loading them then says where, file by file."""

import csv
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.fingerprint import file_sha256
from orchestration.lib.seed_files.catalog import SEED_TABLES, load_order
from orchestration.lib.seed_files.loading import load_seed
from orchestration.lib.seed_files.one_pass import FilesNeedLocatingError, read_together
from orchestration.lib.seed_files.problems import SeedError
from orchestration.lib.seed_files.register import load_split_seed
from orchestration.lib.seed_files.schema import seed_paths
from orchestration.lib.seed_files.text_checks import read_header
from orchestration.lib.synthetic_register import write_scale_seeds
from orchestration.settings import PROJECT_ROOT

REGISTER = next(table for table in SEED_TABLES if table.split_by)


@pytest.fixture
def register(tmp_path) -> tuple[duckdb.DuckDBPyConnection, list[Path]]:
    """A connection with every lookup table loaded, and a register of 300 agreements in three
    files (2101, 2102, 2103)."""
    seeds = tmp_path / "seeds"
    write_scale_seeds(PROJECT_ROOT / "seeds", seeds, 300, periods=3, one_file_per_period=True)
    connection = duckdb.connect()
    for table in load_order(SEED_TABLES):
        if table.split_by is None:
            load_seed(connection, table, seeds / table.seed_file)
    return connection, seed_paths(REGISTER, seeds)


def hashes(paths: list[Path]) -> dict[str, str]:
    return {path.name: file_sha256(path) for path in paths}


def test_good_files_are_loaded_by_one_pass_with_each_files_period(register):
    connection, paths = register
    header = read_header(paths[0], REGISTER)
    connection.execute("create schema if not exists raw")
    periods = read_together(connection, REGISTER, paths, header, "raw.grant_agreements", False)
    assert periods == {
        "grant_agreements.2101.csv": ["2101"],
        "grant_agreements.2102.csv": ["2102"],
        "grant_agreements.2103.csv": ["2103"],
    }
    assert connection.execute(
        "select period, count(*) from raw.grant_agreements group by period order by period"
    ).fetchall() == [("2101", 100), ("2102", 100), ("2103", 100)]
    assert [row[0] for row in connection.execute("describe raw.grant_agreements").fetchall()] == [
        column.name for column in REGISTER.columns
    ]


def test_a_bad_value_makes_the_pass_step_aside_and_the_file_by_file_load_say_where(register):
    connection, paths = register
    load_split_seed(connection, REGISTER, paths, hashes(paths), "v1")
    # Two of the three files change, one with an amount written with a decimal comma.
    for path, amount in [(paths[0], "7 000"), (paths[2], "12,5")]:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        rows[1]["amount_awarded"] = amount
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    connection.execute("begin transaction")
    with pytest.raises(FilesNeedLocatingError):
        read_together(
            connection,
            REGISTER,
            [paths[0], paths[2]],
            read_header(paths[0], REGISTER),
            "seed_part",
            True,
        )
    connection.execute("rollback")
    with pytest.raises(SeedError) as error:
        load_split_seed(connection, REGISTER, paths, hashes(paths), "v1")
    assert str(error.value).startswith(
        f'seeds/{paths[2].name} line 3, column amount_awarded: "12,5" is not a whole number'
    )
    # Nothing of either changed file was kept: the register is the one first loaded.
    assert connection.execute(
        "select count(*), count(*) filter (where amount_awarded = 7000) from raw.grant_agreements"
    ).fetchall() == [(300, 0)]


def test_two_changed_files_of_three_are_replaced_together(register):
    connection, paths = register
    load_split_seed(connection, REGISTER, paths, hashes(paths), "v1")
    for path in (paths[0], paths[2]):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Synthetic project", "Synthetic projet"), encoding="utf-8")
    loaded = load_split_seed(connection, REGISTER, paths, hashes(paths), "v1")
    assert (loaded.rows, loaded.loaded, loaded.removed) == (
        300,
        ("grant_agreements.2101.csv", "grant_agreements.2103.csv"),
        (),
    )
    assert connection.execute(
        "select period, count(*) filter (where title like 'Synthetic projet%')"
        " from raw.grant_agreements group by period order by period"
    ).fetchall() == [("2101", 100), ("2102", 0), ("2103", 100)]
