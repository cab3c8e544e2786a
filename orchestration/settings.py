"""Paths and knobs, read from environment variables in one place.

Every other module takes a `Settings` (or a resource built from one); nothing else reads the
environment or hard-codes `warehouse/`.
"""

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DBT_PROFILES_DIR = PROJECT_ROOT

SEEDS_DIR_VARIABLE = "GRANTS_SEEDS_DIR"
WAREHOUSE_DIR_VARIABLE = "GRANTS_WAREHOUSE_DIR"
BUILD_DATABASE_VARIABLE = "GRANTS_BUILD_DATABASE"  # read by profiles.yml
MEMORY_LIMIT_VARIABLE = "GRANTS_DUCKDB_MEMORY_LIMIT"  # read by profiles.yml too
# DuckDB's own default is 80 % of the machine's memory; an explicit limit keeps a refresh of a
# large register within a known budget, spilling to disk beyond it.
DEFAULT_MEMORY_LIMIT = "1GB"
PUBLISHED_FILE_NAME = "grants.duckdb"
# How long a refresh waits for another one of the same warehouse to finish before it gives up.
LOCK_TIMEOUT_VARIABLE = "GRANTS_LOCK_TIMEOUT_SECONDS"
DEFAULT_LOCK_TIMEOUT_SECONDS = 1800.0
# Which engine runs the dbt models: DuckDB in this process's file (the default), or Apache Spark
# (dbt-spark in .spark-venv), handed the validated raw layer and handing the marts back as Parquet.
ENGINE_VARIABLE = "GRANTS_ENGINE"
ENGINES = ("duckdb", "spark", "spark-cluster")
# The engines that build through dbt-spark: in dbt's process (spark) or on a cluster's Thrift
# server (spark-cluster, orchestration/lib/spark_cluster.py).
SPARK_ENGINES = ("spark", "spark-cluster")
# Read by profiles.yml's spark target and the dbt macros that hand tables over as Parquet.
SPARK_DIR_VARIABLE = "GRANTS_SPARK_DIR"
RAW_PARQUET_VARIABLE = "GRANTS_RAW_PARQUET_DIR"
MARTS_PARQUET_VARIABLE = "GRANTS_MARTS_PARQUET_DIR"
# The dbt that lib/dbt/bin/dbt-guarded runs (see lib/dbt/cli.py: dbt_executable).
DBT_EXECUTABLE_VARIABLE = "GRANTS_DBT_EXECUTABLE"
# dbt with dbt-spark and pyspark, in their own environment (`make spark-env`): Great
# Expectations imports pyspark when it is importable, and pyspark exits under pytest-xdist.
SPARK_DBT = PROJECT_ROOT / ".spark-venv" / "bin" / "dbt"


def installed_dbt(engine: str) -> Path:
    """The dbt installed beside this Python (dbt-duckdb), whether or not the environment is
    activated; for Spark, the one in .spark-venv."""
    return SPARK_DBT if engine in SPARK_ENGINES else Path(sys.executable).parent / "dbt"


@dataclass(frozen=True)
class Settings:
    """Where the seeds are read from and where the warehouse is written."""

    seeds_dir: Path
    warehouse_dir: Path
    duckdb_memory_limit: str = DEFAULT_MEMORY_LIMIT
    engine: str = "duckdb"
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(
                f"{ENGINE_VARIABLE}={self.engine!r} is not an engine of this warehouse;"
                f" choose one of: {', '.join(ENGINES)}"
            )

    @property
    def build_database(self) -> Path:
        """The working DuckDB file that loads and dbt write into (never opened by readers)."""
        return self.warehouse_dir / "build" / PUBLISHED_FILE_NAME

    @property
    def published_database(self) -> Path:
        """The DuckDB file BI tools and analysts open, replaced atomically by each refresh."""
        return self.warehouse_dir / PUBLISHED_FILE_NAME

    @property
    def parquet_dir(self) -> Path:
        """One Parquet file per published table, for tools that read files."""
        return self.warehouse_dir / "parquet"

    @property
    def validation_report_dir(self) -> Path:
        """The last checks' validation report (Data Docs), copied beside the charts on publish."""
        return self.warehouse_dir / "build" / "validation"

    @property
    def reports_dir(self) -> Path:
        """The charts and, beside them, the published data's validation report."""
        return self.warehouse_dir / "reports"

    @property
    def published_validation_report_dir(self) -> Path:
        """The validation report of the refresh that published the warehouse."""
        return self.reports_dir / "validation"

    @property
    def open_data_dir(self) -> Path:
        """The open-data files: datapackage.json, CSV copies, the register as 360Giving."""
        return self.warehouse_dir / "open-data"

    @property
    def seed_hashes(self) -> Path:
        """The seed files' SHA-256 with the size and time they were read at (fingerprint.py)."""
        return self.warehouse_dir / "build" / "seed-hashes.json"

    @property
    def published_inputs(self) -> Path:
        """The fingerprint of the inputs the published file was built from."""
        return self.warehouse_dir / ".published-inputs"

    @property
    def duckdb_config(self) -> dict[str, str]:
        """DuckDB settings for every connection that loads, builds or publishes: the memory
        limit, and where to spill beyond it (beside the working file, never in the cwd)."""
        return {
            "memory_limit": self.duckdb_memory_limit,
            "temp_directory": str(self.warehouse_dir / "build" / "spill"),
        }

    @property
    def spark_dir(self) -> Path:
        """Everything Spark writes (tables, metastore, logs) when it is the engine."""
        return self.warehouse_dir / "build" / "spark"

    @property
    def spark_raw_dir(self) -> Path:
        """The validated raw layer as Parquet, one file per table, for Spark to read."""
        return self.spark_dir / "raw-parquet"

    @property
    def spark_marts_dir(self) -> Path:
        """The marts a Spark run built, one folder of Parquet files per mart."""
        return self.spark_dir / "marts-parquet"

    @property
    def dbt_environment(self) -> dict[str, str]:
        """What profiles.yml and the dbt macros read from the environment: the working file and
        DuckDB's memory limit; with Spark, its folder and the two Parquet hand-over folders; and
        the dbt that the wrapper dagster-dbt starts runs."""
        environment = {
            BUILD_DATABASE_VARIABLE: str(self.build_database),
            MEMORY_LIMIT_VARIABLE: self.duckdb_memory_limit,
            DBT_EXECUTABLE_VARIABLE: str(installed_dbt(self.engine)),
        }
        if self.engine in SPARK_ENGINES:
            environment |= {
                SPARK_DIR_VARIABLE: str(self.spark_dir),
                RAW_PARQUET_VARIABLE: str(self.spark_raw_dir),
                MARTS_PARQUET_VARIABLE: str(self.spark_marts_dir),
            }
        return environment

    @property
    def refresh_lock(self) -> Path:
        """Held by a running refresh, so that two refreshes never interleave."""
        return self.warehouse_dir / ".refresh.lock"

    @property
    def environment(self) -> dict[str, str]:
        """The variables `load_settings` reads back into these settings."""
        return {
            SEEDS_DIR_VARIABLE: str(self.seeds_dir),
            WAREHOUSE_DIR_VARIABLE: str(self.warehouse_dir),
            MEMORY_LIMIT_VARIABLE: self.duckdb_memory_limit,
            ENGINE_VARIABLE: self.engine,
            LOCK_TIMEOUT_VARIABLE: repr(self.lock_timeout_seconds),
        }


@contextmanager
def settings_in_environment(settings: Settings) -> Iterator[None]:
    """While the block runs, the environment holds `settings` (then it is put back as it was):
    the code location reads its settings from the environment, as a deployment does, and this
    is how a test or a command loads it for another warehouse."""
    saved = {name: os.environ.get(name) for name in settings.environment}
    os.environ.update(settings.environment)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Settings from the environment: GRANTS_SEEDS_DIR (default `seeds/`) and
    GRANTS_WAREHOUSE_DIR (default `warehouse/`), both relative to the project root, and
    GRANTS_DUCKDB_MEMORY_LIMIT (default 1GB, DuckDB's syntax), GRANTS_ENGINE (duckdb or
    spark; default duckdb) and GRANTS_LOCK_TIMEOUT_SECONDS (default 1800)."""
    return Settings(
        seeds_dir=_absolute(environ.get(SEEDS_DIR_VARIABLE, "seeds")),
        warehouse_dir=_absolute(environ.get(WAREHOUSE_DIR_VARIABLE, "warehouse")),
        duckdb_memory_limit=environ.get(MEMORY_LIMIT_VARIABLE, DEFAULT_MEMORY_LIMIT),
        engine=environ.get(ENGINE_VARIABLE, "duckdb"),
        lock_timeout_seconds=float(
            environ.get(LOCK_TIMEOUT_VARIABLE, DEFAULT_LOCK_TIMEOUT_SECONDS)
        ),
    )


# How a deployment runs by itself (deploy/grants-warehouse.env.example lists them all).
REFRESH_CRON_VARIABLE = "GRANTS_REFRESH_CRON"
DAILY_REFRESH_VARIABLE = "GRANTS_DAILY_REFRESH"  # "running" turns the schedule on by default
STALE_AFTER_VARIABLE = "GRANTS_STALE_AFTER_HOURS"
RUN_RETENTION_VARIABLE = "GRANTS_RUN_RETENTION_DAYS"
ALERT_VARIABLES = {
    "smtp_host": "GRANTS_ALERT_SMTP_HOST",
    "smtp_port": "GRANTS_ALERT_SMTP_PORT",
    "smtp_user": "GRANTS_ALERT_SMTP_USER",
    "smtp_password": "GRANTS_ALERT_SMTP_PASSWORD",
    "smtp_starttls": "GRANTS_ALERT_SMTP_STARTTLS",
    "mail_from": "GRANTS_ALERT_FROM",
    "mail_to": "GRANTS_ALERT_TO",
    "webhook_url": "GRANTS_ALERT_WEBHOOK_URL",
    "alert_file": "GRANTS_ALERT_FILE",
    "ui_url": "GRANTS_DAGSTER_UI_URL",
}


@dataclass(frozen=True)
class OperationsSettings:
    """When the warehouse refreshes by itself, whom it tells when something is wrong, and how
    much run history it keeps."""

    refresh_cron: str = "0 6 * * *"
    schedule_running: bool = False
    stale_after_hours: float = 36.0
    run_retention_days: int = 90
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "grants-warehouse@localhost"
    mail_to: tuple[str, ...] = ()
    webhook_url: str = ""
    alert_file: Path | None = None
    ui_url: str = ""


def load_operations_settings(environ: Mapping[str, str] = os.environ) -> OperationsSettings:
    """Operations settings from the environment: GRANTS_REFRESH_CRON (default 06:00 daily,
    Africa/Casablanca), GRANTS_DAILY_REFRESH (`running` or `stopped`, the default),
    GRANTS_STALE_AFTER_HOURS (36), GRANTS_RUN_RETENTION_DAYS (90) and the alert channels
    (GRANTS_ALERT_*: SMTP server, sender and recipients, webhook URL, file)."""
    alert = {name: environ.get(variable, "") for name, variable in ALERT_VARIABLES.items()}
    defaults = OperationsSettings()
    daily_refresh = environ.get(DAILY_REFRESH_VARIABLE, "stopped")
    if daily_refresh not in ("running", "stopped"):
        raise ValueError(f"{DAILY_REFRESH_VARIABLE}={daily_refresh!r}: write running or stopped")
    return OperationsSettings(
        refresh_cron=environ.get(REFRESH_CRON_VARIABLE, defaults.refresh_cron),
        schedule_running=daily_refresh == "running",
        stale_after_hours=float(environ.get(STALE_AFTER_VARIABLE, defaults.stale_after_hours)),
        run_retention_days=int(environ.get(RUN_RETENTION_VARIABLE, defaults.run_retention_days)),
        smtp_host=alert["smtp_host"],
        smtp_port=int(alert["smtp_port"] or defaults.smtp_port),
        smtp_user=alert["smtp_user"],
        smtp_password=alert["smtp_password"],
        smtp_starttls=alert["smtp_starttls"].lower() in ("1", "true", "yes"),
        mail_from=alert["mail_from"] or defaults.mail_from,
        mail_to=tuple(to.strip() for to in alert["mail_to"].split(",") if to.strip()),
        webhook_url=alert["webhook_url"],
        alert_file=_absolute(alert["alert_file"]) if alert["alert_file"] else None,
        ui_url=alert["ui_url"].rstrip("/"),
    )


def _absolute(path: str) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (PROJECT_ROOT / candidate).resolve()
