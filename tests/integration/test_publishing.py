"""Publishing readers can rely on: an atomic swap of the published file, readers that never block
a refresh or see half of one, one refresh at a time, identical results
from identical inputs, files older DuckDB releases can open, and Parquet beside the file."""

import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.lib.publishing import STORAGE_VERSION
from tests.conftest import (
    PROJECT_ROOT,
    PUBLISHED_MARTS,
    make_dagster_home,
    marts_contents,
    query,
    start_refresh,
)
from tests.integration.crash_site import wait_until
from tests.integration.readers import readers_holding
from tests.integration.workspace import materialized, refreshed_workspace

WORKSHOP_PARTICIPANTS = (
    "select participant_count from marts.mart_programme_timeline"
    " where event_id = 'training_workshop_2018'"
)
# One worker runs this module, so its workspace is built once.
pytestmark = pytest.mark.xdist_group("publishing")
# The release lines a reader may bundle, each installed into an environment of its own: the
# oldest that reads STORAGE_VERSION, the 1.4 LTS, 1.5, and the project's own release.
DUCKDB_READERS = {
    "1.0": "duckdb>=1.0,<1.1",
    "1.4": "duckdb>=1.4,<1.5",
    "1.5": "duckdb>=1.5,<1.6",
    "current": f"duckdb=={duckdb.__version__}",
}


@pytest.fixture(scope="session")  # survives other modules' tests interleaved on this worker
def workspace(tmp_path_factory, refreshed):
    return refreshed_workspace(tmp_path_factory, "publishing", refreshed)


@pytest.fixture
def seeds(workspace):
    yield workspace
    workspace.restore_seeds()


def test_readers_holding_the_file_are_undisturbed_and_new_ones_see_the_new_data(seeds, tmp_path):
    database = seeds.settings.published_database
    assert query(database, WORKSHOP_PARTICIPANTS) == [(53,)]
    with readers_holding(database, WORKSHOP_PARTICIPANTS, 3, tmp_path) as seen:
        seeds.edit_seed("programme_events.csv", 4, "participant_count", "60")
        assert seeds.run().success  # while three processes hold read-only connections
    for reader in seen:
        assert reader["seen"] == [53] and reader["errors"] == [] and reader["answers"] > 0
    assert query(database, WORKSHOP_PARTICIPANTS) == [(60,)]


def test_a_changed_seed_refreshes_only_what_depends_on_it(seeds):
    context = dg.build_sensor_context(definitions=seeds.definitions)
    sensor = seeds.definitions.resolve_sensor_def("seed_change_sensor")
    sensor(context)  # the sensor's first look: the state the warehouse was built from
    seeds.edit_seed("programme_events.csv", 4, "participant_count", "61")
    request = sensor(dg.build_sensor_context(cursor=context.cursor, definitions=seeds.definitions))
    result = seeds.run(selection=request.asset_selection)
    assert result.success
    done = materialized(result)
    assert {
        "raw/programme_events",
        "marts/mart_programme_timeline",
        "publish/grants_duckdb",
    } <= done
    assert not {"raw/domain_grants", "marts/mart_domain_year"} & done
    assert query(seeds.settings.published_database, WORKSHOP_PARTICIPANTS) == [(61,)]


def test_refreshing_twice_from_the_same_inputs_gives_the_same_marts(workspace):
    assert workspace.run().success
    before = marts_contents(workspace.settings.published_database)
    assert workspace.run().success
    assert marts_contents(workspace.settings.published_database) == before
    assert len(before) == PUBLISHED_MARTS


def drain(process: subprocess.Popen) -> None:
    """Read the rest of the process's output in the background, so it never blocks on a full
    pipe while the test waits for something else."""
    threading.Thread(target=process.stdout.read, daemon=True).start()


def test_two_refreshes_at_once_run_one_after_the_other(workspace, tmp_path):
    # --force: the workspace's last run recorded what its warehouse was built from.
    refresh = start_refresh(workspace.settings, make_dagster_home(tmp_path), "--force")
    wait_until(refresh, "▸ load_seed_files")  # it holds the refresh lock now
    drain(refresh)
    result = workspace.run()  # a second refresh of the same warehouse, started meanwhile
    assert refresh.wait(timeout=300) == 0
    assert result.success
    waiting = [
        entry.user_message
        for entry in workspace.instance.all_logs(result.run_id)
        if "Waiting for another refresh" in entry.user_message
    ]
    assert len(waiting) == 1 and f"pid {refresh.pid}" in waiting[0]


def duckdb_reader_python(cache: Path, requirement: str) -> Path:
    """A virtual environment with only `requirement` installed, made once and cached."""
    python = cache / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(cache)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", requirement], check=True)
    return python


# What a reader asks: the release, a total, how many marts it sees, the first Arabic label.
READER_QUERIES = (
    "select sum(amount_mad) from marts.mart_domain_year where period = '2017'",
    "select count(*) from duckdb_tables() where schema_name = 'marts'",
    "select label_ar from marts.dim_domain_label order by all limit 1",
)
READ_BY_ANOTHER_DUCKDB = (
    "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True);"
    " print(duckdb.__version__);"
    " [print(c.execute(q).fetchall()[0][0]) for q in sys.argv[2:]]"
)


@pytest.mark.parametrize("line", DUCKDB_READERS)
def test_duckdb_readers_from_1_0_to_the_current_release_open_the_published_file(refreshed, line):
    python = duckdb_reader_python(PROJECT_ROOT / ".cache" / f"duckdb-{line}", DUCKDB_READERS[line])
    database = refreshed.settings.published_database
    opened = subprocess.run(
        [str(python), "-c", READ_BY_ANOTHER_DUCKDB, str(database), *READER_QUERIES],
        capture_output=True,
        text=True,
        check=True,
    )
    version, total, tables, label = opened.stdout.splitlines()
    assert version == duckdb.__version__ if line == "current" else version.startswith(f"{line}.")
    assert total == "6990500"
    assert int(tables) == len(marts_contents(database))
    assert label == query(database, READER_QUERIES[2])[0][0]
    storage = query(
        database,
        "select tags['storage_version'] from duckdb_databases()"
        " where database_name = current_database()",
    )
    assert storage == [(f"{STORAGE_VERSION}+",)]


def test_every_published_table_is_also_parquet(refreshed):
    """One file per table; a table split by period, one file per period in a folder (here the
    project-grain fact, empty without a register: one empty file keeps its columns)."""
    database = refreshed.settings.published_database
    parquet_dir = refreshed.settings.parquet_dir
    for table, rows in marts_contents(database).items():
        files = (
            parquet_dir / table / "*.parquet"
            if (parquet_dir / table).is_dir()
            else parquet_dir / f"{table}.parquet"
        )
        assert (
            query(database, "select * from read_parquet(?) order by all", [str(files)]) == rows
        ), table
        assert query(
            database,
            "select column_name, column_type from (describe select * from read_parquet(?))",
            [str(files)],
        ) == query(
            database,
            "select column_name, data_type from duckdb_columns() where table_name = ? order by column_index",
            [table],
        ), table
    split = {"fct_project_grants"}
    assert sorted(p.name for p in parquet_dir.iterdir()) == sorted(
        table if table in split else f"{table}.parquet" for table in marts_contents(database)
    )
    assert [p.name for p in (parquet_dir / "fct_project_grants").iterdir()] == ["_empty.parquet"]
