"""The whole pipeline runs on Apache Spark (`python -m orchestration.cli --engine spark`: the
validated raw layer handed to dbt-spark as Parquet, every model, data test and unit test built
on Spark in local mode, the marts handed back): it publishes the same marts, column by column,
and the same checks give the same results, the 2017 known gap included. An incremental run on
Spark rewrites only the changed periods and equals a full rebuild."""

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.checks.asset_checks import check_result
from orchestration.lib.dbt.spark_handover import export_schema
from orchestration.lib.reconciliation.gx import gx_context
from orchestration.lib.reconciliation.suites import SUITE_CHECKS
from orchestration.lib.seed_files.catalog import SEED_TABLES, load_order
from orchestration.lib.seed_files.loading import load_seed
from orchestration.lib.synthetic_register import LEDGER_FILE, write_ledger, write_scale_seeds
from orchestration.settings import SPARK_DBT, Settings
from tests.conftest import (
    CHECKS_LINE,
    PROJECT_ROOT,
    PUBLISHED_MARTS,
    Refresh,
    copy_seeds,
    make_dagster_home,
    run_refresh,
)

pytestmark = pytest.mark.xdist_group("spark")


# Session scope: built once. pytest-xdist may run another module's tests between this
# module's, which would tear a module-scoped fixture down and build it again.
def validated_raw_parquet(seeds: Path, directory: Path) -> None:
    """The seeds validated by the loader into a DuckDB raw layer, exported as Parquet."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    database = directory.parent / "validated.duckdb"
    with duckdb.connect(str(database)) as connection:
        for table in load_order(SEED_TABLES):
            load_seed(connection, table, seeds / table.seed_file)
    export_schema(database, "raw", directory)


# dbt commands read one per line (a JSON list of arguments), each answered by dbt's output and
# a last line "END 1" (success) or "END 0": one Python process, so one Spark session and one JVM
# for all of them (dbt-spark's session method reuses the active session).
DBT_SESSION = """
import json, sys
from dbt.cli.main import dbtRunner
runner = dbtRunner()
for line in sys.stdin:
    result = runner.invoke(json.loads(line))
    print(f"\\nEND {int(result.success)}", flush=True)
"""


class SparkDbt:
    """dbt on the spark target, with the environment a refresh on Spark gives it (the Spark
    tables under `settings.spark_dir`, the raw layer read from and the marts handed to its
    hand-over folders), run in one process for every command (see DBT_SESSION)."""

    def __init__(self, settings: Settings, target: Path) -> None:
        self.target = target
        self.stderr = (settings.spark_dir / "test-dbt-stderr.log").open("a")  # Spark's own log
        self.process = subprocess.Popen(
            [str(SPARK_DBT.with_name("python")), "-c", DBT_SESSION],
            cwd=target,
            env={**os.environ, **settings.dbt_environment},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )

    def __call__(self, *arguments: str) -> tuple[bool, str]:
        """Runs one dbt command; whether it succeeded, and its output."""
        assert self.process.stdin is not None and self.process.stdout is not None
        command = [
            *arguments,
            *("--target", "spark", "--project-dir", str(PROJECT_ROOT / "dbt_project")),
            *("--profiles-dir", str(PROJECT_ROOT), "--target-path", str(self.target)),
        ]
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        lines = []
        for line in self.process.stdout:
            if line.startswith("END "):
                return line.split()[1] == "1", "".join(lines)
            lines.append(line)
        raise AssertionError("dbt ended before answering:\n" + "".join(lines)[-3000:])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=120)
        self.stderr.close()


# Session scope: built once. pytest-xdist may run another module's tests between this
# module's, which would tear a module-scoped fixture down and build it again.
@pytest.fixture(scope="session")
def spark_refresh(tmp_path_factory) -> Refresh:
    """`python -m orchestration.cli --engine spark` on the real seeds, from an empty working
    directory (Spark must write nothing there)."""
    assert SPARK_DBT.exists(), f"{SPARK_DBT} is missing: run `make spark-env` (make test does it)"
    root = tmp_path_factory.mktemp("spark")
    (root / "cwd").mkdir()
    settings = Settings(
        seeds_dir=copy_seeds(root), warehouse_dir=root / "warehouse", engine="spark"
    )
    return run_refresh(settings, make_dagster_home(root), "--engine", "spark", cwd=root / "cwd")


def assert_built_and_tested_everything(refresh: Refresh, target_name: str) -> None:
    """The refresh succeeded on `target_name`, and dbt built and tested every model, data test
    and unit test of the manifest there."""
    assert refresh.exit_code == 0, refresh.stdout[-3000:] + refresh.stderr[-3000:]
    assert CHECKS_LINE in refresh.stdout
    target = refresh.settings.warehouse_dir / "build" / "dbt-target"
    run_results = json.loads((target / "run_results.json").read_text())
    assert run_results["args"]["target"] == target_name
    # The semantic layer's saved queries are nodes of `dbt build` that build nothing (no-op).
    results = [r for r in run_results["results"] if not r["unique_id"].startswith("saved_query.")]
    statuses = {result["status"] for result in results}
    assert statuses <= {"success", "pass"}, statuses
    manifest = json.loads((PROJECT_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    built = {
        result["unique_id"]
        for result in results
        if not result["unique_id"].startswith("operation.")
    }
    expected = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in {"model", "test"}
    } | set(manifest.get("unit_tests", {}))
    assert built == expected


def test_the_refresh_on_spark_builds_and_tests_every_model_there(spark_refresh):
    assert_built_and_tested_everything(spark_refresh, "spark")
    # Spark wrote everything under the warehouse's build folder: no metastore_db, derby.log or
    # spark-warehouse in the working directory.
    assert list((spark_refresh.settings.warehouse_dir.parent / "cwd").iterdir()) == []


def published_marts(database: Path) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return [
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]


def contents(connection: duckdb.DuckDBPyConnection, relation: str):
    cursor = connection.execute(f"select * from {relation} order by all")
    return [(d[0], str(d[1])) for d in cursor.description], cursor.fetchall()


def assert_marts_equal(reference: Path, other: Path) -> None:
    """The same published marts in both files, each with the same columns, types and rows."""
    marts = published_marts(reference)
    assert len(marts) == PUBLISHED_MARTS
    assert published_marts(other) == marts
    with duckdb.connect() as connection:
        connection.execute("attach ? as reference (read_only)", [str(reference)])
        connection.execute("attach ? as other (read_only)", [str(other)])
        for name in marts:
            reference_columns, reference_rows = contents(connection, f"reference.marts.{name}")
            other_columns, other_rows = contents(connection, f"other.marts.{name}")
            assert other_columns == reference_columns, name
            assert other_rows == reference_rows, name


def test_every_mart_equals_the_duckdb_build_column_by_column(spark_refresh, refreshed):
    assert_marts_equal(
        refreshed.settings.published_database, spark_refresh.settings.published_database
    )


def evaluations(database: Path) -> dict[str, tuple]:
    context = gx_context()
    with duckdb.connect(str(database), read_only=True) as connection:
        outcomes = {}
        for check in SUITE_CHECKS:
            result = check_result(check, check.evaluate(connection, context))
            outcomes[check.name] = (
                result.passed,
                result.severity.value,
                {key: value.value for key, value in result.metadata.items()},
            )
        return outcomes


def assert_same_check_results_with_the_known_gap(reference: Path, other: Path) -> None:
    """Every reconciliation check gives the same outcome on both files, among them the WARN of
    the report's 2017 gap: the sum of Table 01's rows, 1 000 MAD under its printed total."""
    outcomes = evaluations(other)
    assert outcomes == evaluations(reference)
    passed, severity, metadata = outcomes["amount_mad_reconcile_with_register"]
    assert (passed, severity) == (False, "WARN")
    assert metadata["migrant_integration_partnership 2017 difference"] == -1000
    assert metadata["migrant_integration_partnership 2017 observed_value (sum of rows)"] == 6990500


def test_the_checks_give_the_same_results_on_spark_including_the_known_gap(
    spark_refresh, refreshed
):
    assert_same_check_results_with_the_known_gap(
        refreshed.settings.published_database, spark_refresh.settings.published_database
    )


def partition_files(spark_dir: Path) -> dict[str, set[str]]:
    table = spark_dir / "tables" / "marts.db" / "fct_project_grants"
    files: dict[str, set[str]] = {}
    for path in table.glob("programme_period=*/*.parquet"):
        files.setdefault(path.parent.name.split(".")[-1], set()).add(path.name)
    return files


def parquet_rows(directory: Path) -> list[tuple]:
    with duckdb.connect() as connection:
        return connection.execute(
            f"select * from read_parquet('{directory}/*.parquet') order by all"
        ).fetchall()


def test_an_incremental_run_on_spark_rewrites_only_changed_periods_and_equals_a_full_rebuild(
    spark_refresh, tmp_path
):
    """On the Spark tables the refresh built (its staging views feed the model), with the
    refresh's own hand-over folders and a copy of its parsed project, so dbt parses nothing."""
    assert spark_refresh.exit_code == 0
    settings = spark_refresh.settings
    seeds = tmp_path / "seeds"
    write_scale_seeds(PROJECT_ROOT / "seeds", seeds, rows=90, periods=3)  # SYNTHETIC 2101-2103
    target = tmp_path / "target"
    target.mkdir()
    shutil.copy(settings.warehouse_dir / "build" / "dbt-target" / "partial_parse.msgpack", target)

    dbt = SparkDbt(settings, target)

    def run(*arguments: str) -> list[tuple]:
        shutil.rmtree(settings.spark_marts_dir)
        validated_raw_parquet(seeds, settings.spark_raw_dir)
        success, output = dbt("run", "--select", "fct_project_grants", *arguments)
        assert success, output[-3000:]
        assert "Unable to do partial parsing" not in output
        return parquet_rows(settings.spark_marts_dir / "fct_project_grants")

    try:
        run()
        before = partition_files(settings.spark_dir)
        assert set(before) == {"2101", "2102", "2103"}

        ledger = seeds / LEDGER_FILE
        with ledger.open(encoding="utf-8", newline="") as file:
            agreements = [row for row in csv.DictReader(file) if row["period"] != "2103"]
        changed = next(row for row in agreements if row["period"] == "2102")
        changed["amount_awarded"] = str(int(changed["amount_awarded"]) + 500)
        write_ledger(ledger, agreements)
        incremental = run()
        after = partition_files(settings.spark_dir)
        assert set(after) == {"2101", "2102"}  # 2103 left the register
        assert after["2101"] == before["2101"]  # untouched
        assert after["2102"].isdisjoint(before["2102"])  # rewritten
        assert len(incremental) == 60

        assert run("--full-refresh") == incremental
    finally:
        dbt.close()
