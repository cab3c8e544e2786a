"""Shared fixtures: one real refresh (the `make refresh` command itself) into a temp dir."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

# Offline world: nothing may wait on a telemetry or tracking host.
for variable, value in {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "DAGSTER_DISABLE_TELEMETRY": "1",
    "GX_ANALYTICS_ENABLED": "False",
}.items():
    os.environ.setdefault(variable, value)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DOCUMENT = PROJECT_ROOT.parent / "shared" / "source" / "000_010f2b19d76e34c4.txt"
# What a refresh of the shipped seeds says of its checks (dbt tests and GX suites): every one
# passes but the 2017 gap of -1 000 MAD, a WARN. The DuckDB and Spark refreshes both say it.
CHECKS_LINE = "checks: 244 passed, 1 warned, 0 failed"
# The published tables of schema marts: 9 dim_ (dim_date: the semantic layer's time spine),
# 6 fct_ and 9 mart_.
PUBLISHED_MARTS = 24

# Imported after the environment above: telemetry is off before Dagster or dbt load.
from orchestration.lib.runs.refresh_lock import RefreshLock  # noqa: E402
from orchestration.settings import Settings  # noqa: E402


@dataclass(frozen=True)
class Refresh:
    settings: Settings
    exit_code: int
    stdout: str
    stderr: str


def make_dagster_home(root: Path) -> Path:
    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return home


def copy_seeds(root: Path) -> Path:
    seeds = root / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    return seeds


def refresh_environment(settings: Settings, dagster_home: Path, **extra: str) -> dict[str, str]:
    """This process's environment, pointed at a warehouse's seeds, folder and Dagster instance."""
    return {
        **os.environ,
        "GRANTS_SEEDS_DIR": str(settings.seeds_dir),
        "GRANTS_WAREHOUSE_DIR": str(settings.warehouse_dir),
        "DAGSTER_HOME": str(dagster_home),
        **extra,
    }


def start_refresh(settings: Settings, dagster_home: Path, *arguments: str, **extra: str):
    """`python -m orchestration.cli` started in its own process group (its dbt child joins it),
    its output merged and readable line by line."""
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *arguments],
        cwd=PROJECT_ROOT,
        env=refresh_environment(settings, dagster_home, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def run_refresh(
    settings: Settings,
    dagster_home: Path,
    *arguments: str,
    cwd: Path = PROJECT_ROOT,
    timeout: float = 900,
    **extra: str,
) -> Refresh:
    """`python -m orchestration.cli` (what `make refresh` runs) in a subprocess; `extra`
    environment variables beside the warehouse's."""
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *arguments],
        check=False,  # the tests read the exit code
        cwd=cwd,
        env=refresh_environment(settings, dagster_home, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Refresh(settings, completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory) -> Refresh:
    """A full refresh of the real seeds into a temporary warehouse, made once per test session
    and shared by the pytest-xdist workers (the first to get the lock makes it)."""
    session_temp = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker has its own folder in the session's
        session_temp = session_temp.parent
    root = session_temp / "shared-refresh"
    lock = RefreshLock(root.with_suffix(".lock"))
    assert lock.acquire(timeout_seconds=900) is None
    try:
        record = root / "refresh.json"
        settings = Settings(seeds_dir=root / "seeds", warehouse_dir=root / "warehouse")
        if not record.exists():
            root.mkdir(parents=True, exist_ok=True)
            copy_seeds(root)
            refresh = run_refresh(settings, make_dagster_home(root))
            # Kept as it was left, for the tests that start from a refreshed warehouse of their
            # own (copy_refreshed): the shared one is read, and written, by other tests meanwhile.
            for folder in PRISTINE_FOLDERS:
                shutil.copytree(root / folder, root / f"{folder}.pristine")
            record.write_text(json.dumps([refresh.exit_code, refresh.stdout, refresh.stderr]))
        exit_code, stdout, stderr = json.loads(record.read_text())
    finally:
        lock.release()
    assert exit_code == 0, stdout[-5000:] + stderr[-5000:]
    return Refresh(settings, exit_code, stdout, stderr)


PRISTINE_FOLDERS = ("warehouse", "dagster_home")


def copy_refreshed(refreshed: Refresh, root: Path) -> Path:
    """The shared refresh's warehouse and Dagster instance, copied into `root` as they were when
    it ended (a refresh of the real seeds costs a core about 40 s; a copy, a fraction of one):
    `root/warehouse` and `root/dagster_home` of a warehouse refreshed once from the real seeds."""
    shared = refreshed.settings.warehouse_dir.parent
    for folder in PRISTINE_FOLDERS:
        shutil.copytree(shared / f"{folder}.pristine", root / folder)
    return root


UNGROUPED = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook has tagged each item's group
def pytest_collection_modifyitems(config, items):
    """Fail, before any fixture is built, the grouped tests `--dist loadgroup` did not group.

    pytest-xdist groups tests by a `@group` suffix it writes into each node ID; pytest 9.2 ignores
    that write (pytest-dev/pytest-xdist#1386), and every group's session fixtures (the Spark
    refresh, the ledger and mutation workspaces) would then be built once on every worker."""
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers under loadgroup
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            item.stash[UNGROUPED] = (
                f"pytest-xdist did not keep {item.nodeid}'s xdist_group on one worker"
                " (pytest-dev/pytest-xdist#1386, pytest 9.2): install the locked pytest (uv sync)"
            )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if UNGROUPED in item.stash:
        pytest.fail(item.stash[UNGROUPED], pytrace=False)


def query(database: Path, sql: str, parameters=()) -> list[tuple]:
    """Rows of `sql` against a DuckDB file opened read-only, as a BI reader opens it."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, parameters).fetchall()


def marts_contents(database: Path) -> dict[str, list[tuple]]:
    """Every row of every published mart, in a stable order, to compare two published files."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        return {
            t: connection.execute(f"select * from marts.{t} order by all").fetchall()
            for t in tables
        }


def pytest_terminal_summary(terminalreporter):
    """Print the mutation score: perturbations caught by a check / perturbations tried."""
    reports = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call" and "mutation" in report.keywords
    ]
    if reports:
        caught = sum(report.passed for report in reports)
        terminalreporter.write_line(
            f"mutation score: {caught}/{len(reports)} = {caught / len(reports):.0%}"
            " of the report's controlled figures caught by a check"
        )
