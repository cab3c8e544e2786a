"""The whole pipeline on a Spark standalone cluster (`--engine spark-cluster`): a master, two
workers and a Spark Thrift server, each its own process (orchestration/lib/spark_cluster.py),
dbt-spark connected with `method: thrift`. One worker is killed with kill -9 while dbt builds:
Spark reschedules its tasks on the other, and the refresh publishes the same marts as DuckDB,
with the same check results. Nothing of the cluster is left running afterwards."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.lib import spark_cluster
from orchestration.settings import SPARK_DBT, Settings
from tests.conftest import (
    CHECKS_LINE,
    Refresh,
    copy_seeds,
    make_dagster_home,
    refresh_environment,
)
from tests.integration.test_spark import contents, evaluations, published_marts

pytestmark = pytest.mark.xdist_group("spark")

# Kill the worker once the Thrift server has run this many statements: well inside dbt's build
# (a whole build runs about 3 000 on the shipped seeds).
KILL_AFTER_STATEMENTS = 600


def cluster_processes(folder: Path) -> list[int]:
    """Every process started for the cluster in `folder` (they all carry its log folder in
    their environment), whatever became of their parents."""
    marker = f"SPARK_LOG_DIR={folder / 'logs'}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def statements_run(folder: Path) -> int:
    log = folder / "logs" / "thrift.log"
    return log.read_text(errors="replace").count("Running query") if log.exists() else 0


@pytest.fixture(scope="session")
def cluster_refresh(tmp_path_factory) -> tuple[Refresh, Path, bool]:
    """A refresh on the cluster, with worker 2 killed (kill -9) in the middle of dbt's build;
    the cluster stopped afterwards. Returns the refresh, the cluster's folder and whether the
    worker was killed while the refresh still ran."""
    assert SPARK_DBT.exists(), f"{SPARK_DBT} is missing: run `make spark-env` (make test does it)"
    root = tmp_path_factory.mktemp("spark-cluster")
    folder = root / "cluster"
    settings = Settings(
        seeds_dir=copy_seeds(root), warehouse_dir=root / "warehouse", engine="spark-cluster"
    )
    spark_cluster.start(folder)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "--engine", "spark-cluster"],
            env=refresh_environment(settings, make_dagster_home(root)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while process.poll() is None and statements_run(folder) < KILL_AFTER_STATEMENTS:
            time.sleep(0.5)
        killed_in_build = process.poll() is None
        worker = int((folder / "pids" / "worker-2").read_text())
        os.kill(worker, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=1800)
    finally:
        spark_cluster.stop(folder)
    return Refresh(settings, process.returncode, stdout, stderr), folder, killed_in_build


def test_a_worker_killed_mid_build_is_survived_and_nothing_is_left_running(cluster_refresh):
    refresh, folder, killed_in_build = cluster_refresh
    assert killed_in_build
    assert refresh.exit_code == 0, refresh.stdout[-3000:] + refresh.stderr[-3000:]
    assert CHECKS_LINE in refresh.stdout
    # The master saw the worker go, and the build ran on through the Thrift server.
    assert "Removing worker" in (folder / "logs" / "master.log").read_text(errors="replace")
    assert statements_run(folder) > KILL_AFTER_STATEMENTS
    assert cluster_processes(folder) == []


def test_the_cluster_publishes_the_duckdb_marts_and_the_same_check_results(
    cluster_refresh, refreshed
):
    refresh = cluster_refresh[0]
    published = refreshed.settings.published_database
    marts = published_marts(published)
    assert published_marts(refresh.settings.published_database) == marts
    with duckdb.connect() as connection:
        connection.execute("attach ? as duck (read_only)", [str(published)])
        connection.execute(
            "attach ? as cluster (read_only)", [str(refresh.settings.published_database)]
        )
        for name in marts:
            assert contents(connection, f"cluster.marts.{name}") == contents(
                connection, f"duck.marts.{name}"
            ), name
    on_cluster = evaluations(refresh.settings.published_database)
    assert on_cluster == evaluations(published)
    passed, severity, metadata = on_cluster["amount_mad_reconcile_with_register"]
    assert (passed, severity) == (False, "WARN")
    assert metadata["migrant_integration_partnership 2017 difference"] == -1000
