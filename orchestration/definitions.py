"""The Dagster code location: every definition in the `defs/` folder, one folder per area, loaded
the way `create-dagster` projects load theirs (`[tool.dg]` in pyproject.toml)."""

from pathlib import Path

import dagster as dg

from orchestration.settings import Settings, settings_in_environment

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded by `dagster dev`, the code server and `dg`; the definitions read their settings
    from the environment (orchestration/settings.py)."""
    return dg.load_from_defs_folder(path_within_project=PROJECT_DIR)


def build_definitions(settings: Settings) -> dg.Definitions:
    """The same code location for a warehouse at `settings` (the refresh command and the tests,
    which build one per temporary folder)."""
    with settings_in_environment(settings):
        return defs()
