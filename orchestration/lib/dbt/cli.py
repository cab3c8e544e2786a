"""Which program dagster-dbt starts as dbt, for each engine."""

from pathlib import Path

from orchestration.settings import SPARK_DBT, SPARK_ENGINES

DBT_WRAPPERS = Path(__file__).resolve().parent / "bin"


def dbt_executable(engine: str) -> Path:
    """A wrapper (bin/dbt-guarded) that runs the installed dbt (`installed_dbt`, handed over in
    GRANTS_DBT_EXECUTABLE) so that it ends if this process dies, and answers `--version` without
    starting dbt; for Spark, bin/dbt-spark, which also keeps Spark's stderr out of dbt's event
    stream."""
    if engine in SPARK_ENGINES:
        if not SPARK_DBT.exists():
            raise FileNotFoundError(
                f"GRANTS_ENGINE={engine} needs dbt-spark: {SPARK_DBT} is missing;"
                " run `make spark-env`"
            )
        return DBT_WRAPPERS / "dbt-spark"
    return DBT_WRAPPERS / "dbt-guarded"
