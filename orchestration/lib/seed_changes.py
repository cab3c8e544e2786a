"""What a change in the seeds folder asks to refresh: the changed files, one key per change of the
folder, and the assets and checks downstream of the changed files."""

import hashlib
import json
from collections.abc import Callable

import dagster as dg


def changed_seed_files(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """The files added, removed or changed between two fingerprints."""
    return sorted(
        name for name in previous.keys() | current.keys() if previous.get(name) != current.get(name)
    )


def change_key(previous: dict[str, str], current: dict[str, str]) -> str:
    """One key for a change of the seeds folder, from one whole state to another: the run key
    of the refresh it needs. The same change seen twice (a tick evaluated again) gives the same
    key, which Dagster runs once; going back to an earlier state is a new change."""
    states = [previous, current]
    return hashlib.sha256(json.dumps(states, sort_keys=True).encode()).hexdigest()


def refresh_selection(
    changed: list[str], seed_asset: Callable[[str], dg.AssetKey | None], asset_graph
) -> tuple[list[dg.AssetKey], list[dg.AssetCheckKey]] | None:
    """The assets (and their checks) that depend on the changed seed files, or None (a full
    refresh) when a changed file is not a known seed (`seed_asset` gives a file's load asset)."""
    keys = [seed_asset(name) for name in changed]
    known = [key for key in keys if key is not None]
    if not known or len(known) < len(keys):
        return None
    selection = dg.AssetSelection.assets(*known).downstream()
    assets = selection.resolve(asset_graph)
    checks = [key for key in asset_graph.asset_check_keys if key.asset_key in assets]
    return sorted(assets), sorted(checks)
