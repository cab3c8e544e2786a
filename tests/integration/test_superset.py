"""Apache Superset (`make superset`) on a refreshed warehouse of its own: its API as the UI uses
it (login, SQL Lab, the dashboard, its charts' data), then a refresh while it is connected."""

import http.cookiejar
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from orchestration.lib.services import free_port
from orchestration.settings import Settings
from tests.conftest import PROJECT_ROOT, copy_refreshed, copy_seeds, run_refresh
from tests.integration.crash_site import PROC, all_processes, wait_for_empty_group
from tests.integration.test_report_figures import DOMAIN_NAMES, TABLE_01, TABLE_02

pytestmark = pytest.mark.xdist_group("superset")

DASHBOARD_SLUG = "grants-migrant-integration"
CHART_NAMES = [
    "Chart 01: Supported projects by domain of intervention — year 2017",
    "Chart 02: Financial envelope by domain of intervention — year 2017",
    "Chart 03: Supported projects by domain of intervention — year 2018",
    "Chart 04: Financial envelope by domain of intervention — year 2018",
    "Reconciliation: stated figures against the sum of the domain rows",
]
TABLE_01_SQL = (
    "select domain_code, projects, amount_mad from marts.mart_domain_year"
    " where programme_id = 'migrant_integration_partnership' and period = '2017'"
    " order by display_order"
)
ENGLISH_NAME = {code: names[2] for code, names in DOMAIN_NAMES.items()}


class Superset:
    """`make superset` on a free port, in its own process group, and a logged-in API client."""

    def __init__(self, warehouse_dir: Path, log: Path):
        self.port = free_port("127.0.0.1")
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                ["make", "-s", "superset", f"SUPERSET_PORT={self.port}"],
                cwd=PROJECT_ROOT,
                env={**os.environ, "GRANTS_WAREHOUSE_DIR": str(warehouse_dir)},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.headers: dict[str, str] = {}

    def wait_until_serving(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.opener.open(f"{self.base}/health", timeout=10) as response:
                    if response.read() == b"OK":
                        return
            except OSError:
                pass
            assert self.process.poll() is None, f"make superset exited:\n{self.log_tail()}"
            assert time.monotonic() < deadline, f"Superset did not serve:\n{self.log_tail()}"
            time.sleep(1)

    def log_in(self, user: str = "admin", password: str = "admin") -> None:
        """As the UI's API clients do: a JWT from /security/login, then a CSRF token (bound to
        the session cookie the jar keeps) for the requests that change something."""
        login = self.call(
            "POST",
            "/api/v1/security/login",
            {"username": user, "password": password, "provider": "db", "refresh": False},
        )
        self.headers = {"Authorization": f"Bearer {login['access_token']}"}
        token = self.call("GET", "/api/v1/security/csrf_token/")["result"]
        self.headers |= {"X-CSRFToken": token, "Referer": self.base}

    def request(self, method: str, path: str, body: dict | None = None):
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        return self.opener.open(
            urllib.request.Request(
                self.base + path,
                method=method,
                data=None if body is None else json.dumps(body).encode(),
                headers=headers,
            ),
            timeout=120,
        )

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        with self.request(method, path, body) as response:
            return json.loads(response.read())

    def sql_lab(self, sql: str) -> list[dict]:
        """Rows of `sql` run by SQL Lab (synchronously, as Superset runs without Celery)."""
        database_id = self.call("GET", "/api/v1/database/")["result"][0]["id"]
        answer = self.call(
            "POST",
            "/api/v1/sqllab/execute/",
            {"database_id": database_id, "sql": sql, "schema": "marts", "runAsync": False},
        )
        assert answer["status"] == "success", answer
        return answer["data"]

    def dashboard_charts(self) -> dict[str, int]:
        charts = self.call("GET", f"/api/v1/dashboard/{DASHBOARD_SLUG}/charts")["result"]
        return {chart["slice_name"]: chart["id"] for chart in charts}

    def chart_data(self, name: str) -> list[dict]:
        """What the dashboard's chart shows: its saved query run by the chart data endpoint."""
        chart_id = self.dashboard_charts()[name]
        return self.call("GET", f"/api/v1/chart/{chart_id}/data/")["result"][0]["data"]

    def open_files(self) -> list[str]:
        """The files Superset's processes (the make target's process group) hold open."""
        paths = []
        for status in all_processes():
            if status.group == self.process.pid:
                try:
                    fds = list((PROC / str(status.pid) / "fd").iterdir())
                except OSError:
                    continue  # ended meanwhile
                for fd in fds:
                    try:
                        paths.append(os.readlink(fd))
                    except OSError:
                        continue  # closed meanwhile
        return paths

    def stop(self, timeout: float = 30) -> list[str]:
        """SIGTERM to the group, as Ctrl-C or a service manager stops it; what was left."""
        os.killpg(self.process.pid, signal.SIGTERM)
        left = wait_for_empty_group(self.process.pid, timeout)
        if left:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        return left

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def warehouse(refreshed, tmp_path_factory) -> Settings:
    """A copy of the session's refreshed warehouse, with seeds of its own to edit."""
    root = copy_refreshed(refreshed, tmp_path_factory.mktemp("superset"))
    return Settings(seeds_dir=copy_seeds(root), warehouse_dir=root / "warehouse")


@pytest.fixture(scope="module")
def superset(warehouse):
    started = time.monotonic()
    server = Superset(warehouse.warehouse_dir, warehouse.warehouse_dir.parent / "superset.log")
    try:
        server.wait_until_serving()
        print(f"make superset served after {time.monotonic() - started:.1f} s")
        server.log_in()
        yield server
    finally:
        left = server.stop()
    assert left == [], left


def test_make_superset_without_a_published_warehouse_says_to_refresh(tmp_path):
    started = subprocess.run(
        ["make", "-s", "superset"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "GRANTS_WAREHOUSE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,  # the exit code is asserted
        timeout=120,
    )
    assert started.returncode != 0
    assert (
        f"No published warehouse at {tmp_path / 'grants.duckdb'}: run `make refresh` first."
        in started.stderr
    )
    assert not (tmp_path / "superset").exists()


def test_sql_lab_returns_table_01_from_the_marts(superset):
    rows = superset.sql_lab(TABLE_01_SQL)
    assert [(r["domain_code"], r["projects"], r["amount_mad"]) for r in rows] == [
        (code, *TABLE_01[code]) for code in TABLE_01
    ]
    assert sum(r["projects"] for r in rows) == 110


def test_the_connection_is_the_published_file_read_only(superset, warehouse):
    database = superset.call("GET", "/api/v1/database/")["result"][0]
    connection = superset.call("GET", f"/api/v1/database/{database['id']}/connection")["result"]
    uri = f"duckdb:///{warehouse.published_database}?access_mode=read_only"
    assert (connection["database_name"], connection["sqlalchemy_uri"]) == ("grants_warehouse", uri)
    test = superset.call(
        "POST",
        "/api/v1/database/test_connection/",
        {"database_name": "grants_warehouse", "sqlalchemy_uri": uri},
    )
    assert test == {"message": "OK"}
    assert superset.sql_lab("select current_setting('access_mode') as mode") == [
        {"mode": "read_only"}
    ]
    with pytest.raises(urllib.error.HTTPError) as refused:
        superset.sql_lab("create table marts.scratch as select 1 as x")
    assert json.loads(refused.value.read())["errors"][0]["message"] == (
        "This database does not allow for DDL/DML, but the query mutates data."
        " Please contact your administrator for more assistance."
    )


def test_the_dashboard_holds_charts_01_to_04_and_the_reconciliation(superset):
    dashboard = superset.call("GET", f"/api/v1/dashboard/{DASHBOARD_SLUG}")["result"]
    assert dashboard["dashboard_title"] == (
        "Grants to associations: migrant integration partnership, 2017-2018"
    )
    assert dashboard["published"] is True
    assert sorted(superset.dashboard_charts()) == CHART_NAMES


@pytest.mark.parametrize(
    ("chart", "measure", "table"),
    [(0, "projects", TABLE_01), (1, "amount_mad", TABLE_01), (2, "projects", TABLE_02)]
    + [(3, "amount_mad", TABLE_02)],
)
def test_each_chart_shows_its_table_by_domain(superset, chart, measure, table):
    data = superset.chart_data(CHART_NAMES[chart])
    column = 0 if measure == "projects" else 1
    assert {row["domain_name_en"]: row[measure] for row in data} == {
        ENGLISH_NAME[code]: figures[column] for code, figures in table.items()
    }
    # Largest slice first, as the report's pies are read.
    assert [row[measure] for row in data] == sorted((row[measure] for row in data), reverse=True)


def test_the_reconciliation_table_shows_the_2017_gap(superset):
    rows = superset.chart_data(CHART_NAMES[4])
    assert [
        (r["period"], r["measure"], r["published_value"], r["summed_value"], r["status"])
        for r in rows
    ] == [
        ("2017", "amount_mad", 6_991_500, 6_990_500, "known_discrepancy"),
        ("2017", "projects", 110, 110, "reconciled"),
        ("2018", "amount_mad", 1_899_500, 1_899_500, "reconciled"),
        ("2018", "projects", 44, 44, "reconciled"),
    ]


def test_pages_may_load_nothing_from_outside(superset):
    """Superset's prebuilt pages draw a Scarf analytics pixel and may load fonts or map tiles:
    the content security policy lets the browser fetch from Superset itself only."""
    with superset.request("GET", "/login/") as response:
        policy = response.headers["Content-Security-Policy"]
    sources = {
        source
        for directive in policy.split(";")
        for source in directive.split()[1:]
        if not source.startswith("'nonce-")
    }
    assert sources == {"'self'", "blob:", "data:", "'none'", "'unsafe-inline'", "'strict-dynamic'"}


def test_a_refresh_while_superset_is_connected_succeeds_and_superset_sees_it(superset, warehouse):
    """Superset opens the file for each query (its default NullPool) and holds nothing between
    them; the refresh renames a new file over the old one, and the next query opens the new one."""
    assert superset.sql_lab(TABLE_01_SQL)  # a query has just run
    assert str(warehouse.published_database) not in superset.open_files()
    domains = warehouse.seeds_dir / "domains.csv"
    renamed = "Summer camps and holiday centres"
    text = domains.read_text(encoding="utf-8")
    assert text.count(",Summer camps,") == 1
    domains.write_text(text.replace(",Summer camps,", f",{renamed},"), encoding="utf-8")

    started = time.monotonic()
    refresh = run_refresh(warehouse, warehouse.warehouse_dir.parent / "dagster_home")
    print(f"refresh with Superset connected: {time.monotonic() - started:.1f} s")
    assert refresh.exit_code == 0, refresh.stdout[-3000:] + refresh.stderr[-3000:]
    assert "Refresh complete." in refresh.stdout

    names = superset.sql_lab(
        "select domain_name_en from marts.mart_domain_year"
        " where period = '2017' and domain_code = 'summer_camps'"
    )
    assert names == [{"domain_name_en": renamed}]
    assert {row["domain_name_en"]: row["projects"] for row in superset.chart_data(CHART_NAMES[0])}[
        renamed
    ] == 10
