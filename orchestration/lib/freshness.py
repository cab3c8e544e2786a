"""How old the published warehouse and its marts may grow before the UI shows them stale:
Dagster's own freshness policy, from the same setting as the stale-warehouse alert."""

from datetime import timedelta

import dagster as dg

from orchestration.settings import load_operations_settings

# Dagster evaluates freshness no finer than this.
SHORTEST_WINDOW = timedelta(minutes=1)


def warehouse_freshness_policy(stale_after_hours: float | None = None) -> dg.FreshnessPolicy:
    """FAIL once the last materialization is older than GRANTS_STALE_AFTER_HOURS (36 h by
    default), WARN from two thirds of it (24 h): a daily refresh that missed one day warns."""
    hours = (
        load_operations_settings().stale_after_hours
        if stale_after_hours is None
        else (stale_after_hours)
    )
    fail = max(timedelta(hours=hours), SHORTEST_WINDOW)
    warn = fail * 2 / 3
    return dg.FreshnessPolicy.time_window(
        fail_window=fail, warn_window=warn if warn >= SHORTEST_WINDOW else None
    )
