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

import pytest

from orchestration.lib import spark_cluster
from orchestration.settings import SPARK_DBT, Settings
from tests.conftest import (
    Refresh,
    copy_seeds,
    make_dagster_home,
    refresh_environment,
)
from tests.integration.test_spark import (
    assert_built_and_tested_everything,
    assert_marts_equal,
    assert_same_check_results_with_the_known_gap,
)

pytestmark = pytest.mark.xdist_group("spark")

# Kill the worker once the Thrift server has run this many statements: well inside dbt's build
# (a whole build runs about 3 000 on the shipped seeds).
KILL_AFTER_STATEMENTS = 600


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
    assert_built_and_tested_everything(refresh, "spark-cluster")
    # The master saw the worker go, and the build ran on through the Thrift server.
    assert "Removing worker" in (folder / "logs" / "master.log").read_text(errors="replace")
    assert statements_run(folder) > KILL_AFTER_STATEMENTS
    assert spark_cluster.processes(folder) == []


def test_the_cluster_publishes_the_duckdb_marts_and_the_same_check_results(
    cluster_refresh, refreshed
):
    published = refreshed.settings.published_database
    on_cluster = cluster_refresh[0].settings.published_database
    assert_marts_equal(published, on_cluster)
    assert_same_check_results_with_the_known_gap(published, on_cluster)
