"""The dbt project as Dagster sees it: its location and its manifest, built ahead of time.

The manifest is built by `make manifest` (and `.ci/run`) whenever dbt files change, and only read
here, so loading the definitions never runs dbt.
"""

import json
from functools import cache
from typing import Any

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROFILES_DIR, DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROFILES_DIR)


@cache
def load_manifest() -> dict[str, Any]:
    """The parsed manifest.json, read once per process."""
    if not dbt_project.manifest_path.exists():
        raise FileNotFoundError(
            f"{dbt_project.manifest_path} is missing: run `make manifest` (dbt parse) first."
        )
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
