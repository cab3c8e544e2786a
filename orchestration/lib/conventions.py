"""Names every Dagster definition of this warehouse shares."""

import dagster as dg

# Every step that writes a DuckDB file is in this pool. dagster.yaml limits it to one *run* at a
# time (granularity: run): the daemon's queue starts no second run that writes DuckDB while one
# is in progress, and no step ever claims a slot a killed process could keep (see
# lib/runs/abandoned_runs.py).
DUCKDB_WRITER_POOL = "duckdb_writer"
OWNERS = ["team:grants-warehouse"]
# The published file, the asset every reader depends on.
PUBLISHED_KEY = dg.AssetKey(["publish", "grants_duckdb"])
