"""The Dagster code location of the grants warehouse (see definitions.py)."""

import os

# When a run is interrupted, dagster-dbt forwards SIGINT to dbt and waits this long for it to
# stop (25 s by default): 5 s keeps a stopped refresh within the 10 s it is allowed. Read by
# dagster-dbt when it is imported, hence here, before any module of this package imports it.
os.environ.setdefault("DAGSTER_DBT_TERMINATION_TIMEOUT_SECONDS", "5")
