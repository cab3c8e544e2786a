"""Paths and knobs, read from environment variables in one place.

Every other module takes a `Settings` (or a resource built from one); nothing else reads the
environment or hard-codes `warehouse/`.
"""

import os
from collections.abc import Mapping
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


@dataclass(frozen=True)
class Settings:
    """Where the seeds are read from and where the warehouse is written."""

    seeds_dir: Path
    warehouse_dir: Path
    duckdb_memory_limit: str = DEFAULT_MEMORY_LIMIT

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
    def refresh_lock(self) -> Path:
        """Held by a running refresh, so that two refreshes never interleave."""
        return self.warehouse_dir / ".refresh.lock"


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Settings from the environment: GRANTS_SEEDS_DIR (default `seeds/`) and
    GRANTS_WAREHOUSE_DIR (default `warehouse/`), both relative to the project root, and
    GRANTS_DUCKDB_MEMORY_LIMIT (default 1GB, DuckDB's syntax)."""
    return Settings(
        seeds_dir=_absolute(environ.get(SEEDS_DIR_VARIABLE, "seeds")),
        warehouse_dir=_absolute(environ.get(WAREHOUSE_DIR_VARIABLE, "warehouse")),
        duckdb_memory_limit=environ.get(MEMORY_LIMIT_VARIABLE, DEFAULT_MEMORY_LIMIT),
    )


def _absolute(path: str) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (PROJECT_ROOT / candidate).resolve()
