"""`make dev` (`dagster dev` beside its own code server) serves the code location: the asset graph, checks, schedule and sensor are there.

Starts the real UI (webserver, daemon, code server) on 127.0.0.1 with a temporary DAGSTER_HOME
and asks its GraphQL endpoint, as the UI itself does."""

import pytest

from tests.conftest import make_dagster_home
from tests.integration.dev_server import DevServer

# One worker runs this module: one `dagster dev` for all its tests.
pytestmark = pytest.mark.xdist_group("ui")

QUERY = """
{
  assetNodes {
    assetKey { path }
    groupName
    kinds
    description
    owners { ... on TeamAssetOwner { team } ... on UserAssetOwner { email } }
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } }
  }
  workspaceOrError {
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes { name schedules { name cronSchedule executionTimezone } sensors { name } }
    }
  }
}
"""


@pytest.fixture(scope="session")  # one `dagster dev`, whatever runs in between
def ui(tmp_path_factory):
    root = tmp_path_factory.mktemp("ui")
    server = DevServer(
        root / "make-dev.log",
        {
            "DAGSTER_HOME": str(make_dagster_home(root)),
            "GRANTS_WAREHOUSE_DIR": str(root / "warehouse"),
        },
    )
    try:
        yield server.wait_until_serving(QUERY)
    finally:
        # SIGTERM to make dev's process alone (as `kill PID` or make sends it): everything below
        # it (dagster dev, webserver, daemon, code server) ends within 10 s.
        took, left = server.stop(to_group=False)
    assert left == [], f"still running {took:.1f} s after SIGTERM: {left}\n{server.log_tail()}"


def nodes_by_key(data) -> dict[str, dict]:
    return {"/".join(node["assetKey"]["path"]): node for node in data["assetNodes"]}


def test_the_ui_shows_every_layer_of_the_graph(ui):
    nodes = nodes_by_key(ui)
    assert nodes["raw/domain_grants"]["groupName"] == "raw"
    assert nodes["staging/stg_report__domain_grants"]["groupName"] == "staging"
    assert nodes["marts/mart_domain_year"]["groupName"] == "marts"
    assert nodes["publish/grants_duckdb"]["groupName"] == "publish"
    assert set(nodes["raw/domain_grants"]["kinds"]) == {"duckdb", "csv"}
    assert "dbt" in nodes["marts/mart_domain_year"]["kinds"]


def test_every_asset_has_a_description_and_an_owner(ui):
    for key, node in nodes_by_key(ui).items():
        assert node["description"], key
        assert node["owners"] == [{"team": "grants-warehouse"}], key
    assert nodes_by_key(ui)["marts/mart_domain_year"]["description"].startswith(
        "One row per programme, period and domain: the reports' domain tables"
    )


def test_checks_appear_on_their_assets(ui):
    checks = {
        key: {check["name"]: check["blocking"] for check in node["assetChecksOrError"]["checks"]}
        for key, node in nodes_by_key(ui).items()
    }
    assert checks["marts/mart_reconciliation"]["amount_mad_reconcile_with_register"] is True
    assert checks["marts/mart_domain_year"]["shares_sum_to_one"] is True
    assert (
        "unique_combination_of_columns_fct_domain_grants_programme_id__period__domain_code"
        in checks["marts/fct_domain_grants"]
    )


def test_schedule_and_sensor_are_there(ui):
    (repository,) = ui["repositoriesOrError"]["nodes"]
    assert sorted(repository["schedules"], key=lambda schedule: schedule["name"]) == [
        {
            "name": "daily_housekeeping",
            "cronSchedule": "30 3 * * *",
            "executionTimezone": "Africa/Casablanca",
        },
        {
            "name": "daily_refresh",
            "cronSchedule": "0 6 * * *",
            "executionTimezone": "Africa/Casablanca",
        },
    ]
    assert sorted(sensor["name"] for sensor in repository["sensors"]) == [
        "abandoned_runs_sensor",
        "refresh_failure_alert",
        "seed_change_sensor",
        "stale_warehouse_alert",
    ]
