"""`make dev` (`dagster dev` beside its own code server) serves the code location: the asset graph, checks, schedule and sensor are there.

Starts the real UI (webserver, daemon, code server) on 127.0.0.1 with a temporary DAGSTER_HOME
and asks its GraphQL endpoint, as the UI itself does."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from orchestration.dev import free_port
from tests.conftest import PROJECT_ROOT, make_dagster_home

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


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="session")  # one `dagster dev`, whatever runs in between
def ui(tmp_path_factory):
    root = tmp_path_factory.mktemp("ui")
    port = free_port("127.0.0.1")
    log = root / "make-dev.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # what `make dev` runs
            [sys.executable, "-m", "orchestration.dev", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env={
                **os.environ,
                "DAGSTER_HOME": str(make_dagster_home(root)),
                "GRANTS_WAREHOUSE_DIR": str(root / "warehouse"),
            },
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        last_answer: object = None
        while True:
            try:
                last_answer = graphql(port, QUERY)
                if last_answer["data"]["assetNodes"]:
                    break
            except (OSError, KeyError, TypeError) as error:
                last_answer = last_answer if isinstance(last_answer, dict) else repr(error)
            # Why it is not serving: the UI's own account of the code location, and the log.
            log_tail = log.read_text(errors="replace")[-4000:]
            failure = f"last answer: {last_answer}\nlog tail:\n{log_tail}"
            assert process.poll() is None, f"make dev exited\n{failure}"
            assert time.monotonic() < deadline, f"dagster dev did not serve the graph\n{failure}"
            time.sleep(1)
        yield last_answer["data"]
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


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
        "One row per period and domain: the report's domain tables"
    )


def test_checks_appear_on_their_assets(ui):
    checks = {
        key: {check["name"]: check["blocking"] for check in node["assetChecksOrError"]["checks"]}
        for key, node in nodes_by_key(ui).items()
    }
    assert checks["marts/mart_reconciliation"]["amount_mad_reconcile_with_register"] is True
    assert checks["marts/mart_domain_year"]["shares_sum_to_one"] is True
    assert (
        "unique_combination_of_columns_fct_domain_grants_period__domain_code"
        in checks["marts/fct_domain_grants"]
    )


def test_schedule_and_sensor_are_there(ui):
    (repository,) = ui["repositoriesOrError"]["nodes"]
    assert repository["schedules"] == [
        {
            "name": "daily_refresh",
            "cronSchedule": "0 6 * * *",
            "executionTimezone": "Africa/Casablanca",
        }
    ]
    assert repository["sensors"] == [{"name": "seed_change_sensor"}]
