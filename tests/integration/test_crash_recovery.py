"""A crash never wedges the warehouse: a refresh killed with kill -9, or stopped with SIGTERM,
at the start of each step and in the middle of dbt and of publishing, is followed on the same
Dagster instance and the same warehouse folder by a normal refresh that finishes, publishes the
report's figures and leaves no temporary file, claimed slot or run in progress behind. A refresh
waiting for a live one says who holds the warehouse and gives up after its timeout. A run
launched by the daemon and killed does not block the next one, and `make dev` stops on SIGTERM."""

import os
import shutil
import signal
import time

import pytest

from orchestration.defs.automation.jobs import REFRESH_JOB_NAME
from orchestration.lib.runs.abandoned_runs import PROCESS_TAG, RunProcess
from orchestration.lib.runs.refresh_lock import RefreshLock
from orchestration.lib.services import CODE_LOCATION_NAME
from orchestration.settings import Settings
from tests.conftest import (
    copy_refreshed,
    copy_seeds,
    make_dagster_home,
    marts_contents,
    query,
    run_refresh,
)
from tests.integration.crash_site import (
    CrashSite,
    publish_in_progress,
    wait_for_empty_group,
    wait_until,
)
from tests.integration.dev_server import DevServer, graphql
from tests.integration.postgres_cluster import postgres_cluster
from tests.integration.production import LAUNCH, PRODUCTION_INSTANCE

# Two groups, each on one worker with one warehouse and one instance for all its kills and
# recoveries: the kill -9 cases, and the SIGTERM cases (which run beside them on the other core).
KILL_GROUP = pytest.mark.xdist_group("crash-kill")
TERM_GROUP = pytest.mark.xdist_group("crash-term")
# The same matrix on the production instance (run history on PostgreSQL), on a worker of its own.
POSTGRES_GROUP = pytest.mark.xdist_group("crash-postgres")

# Where a refresh is stopped: the progress line to wait for, and what must hold after it.
KILL_POINTS = {
    "start of load": ("▸ load_seed_files", None),
    "start of dbt": ("▸ dbt_models", None),
    "middle of dbt": ("  ✓ staging/", None),  # dbt has built its first model
    "start of checks": ("▸ gx_checks", None),
    "start of publish": ("▸ publish__grants_duckdb", None),
    "middle of publish": ("▸ publish__grants_duckdb", publish_in_progress),
    "start of charts": ("▸ reports__charts", None),
}
YEAR_TOTALS = "select period, amount_mad_published from marts.mart_year_summary order by start_year"
# MAD, as the La Vie éco article (2014-2016, "of the order of") and the review print them.
REPORT_YEAR_TOTALS = [("2014-2016", 40_000_000), ("2017", 6991500), ("2018", 1899500)]
STOP_LIMIT_SECONDS = 10


@pytest.fixture(scope="session")
def postgres():
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def sites(tmp_path_factory, refreshed, request):
    """A published warehouse and its instance per name (made once per session and worker): a
    copy of the shared refresh's, as its refresh left them; or, on PostgreSQL, the production
    instance's settings on a new database of a private server."""
    made: dict[str, CrashSite] = {}

    def site(name: str, storage: str = "sqlite") -> CrashSite:
        key = f"{name}-{storage}"
        if key not in made:
            root = copy_refreshed(refreshed, tmp_path_factory.mktemp(key))
            copy_seeds(root)
            settings = Settings(seeds_dir=root / "seeds", warehouse_dir=root / "warehouse")
            if storage == "postgres":
                home = root / "serve_home"
                home.mkdir()
                shutil.copy(PRODUCTION_INSTANCE, home / "dagster.yaml")
                url = request.getfixturevalue("postgres").create_database(key.lower())
                made[key] = CrashSite(settings, home, url)
            else:
                made[key] = CrashSite(settings, root / "dagster_home")
        return made[key]

    return site


@pytest.fixture
def site(sites) -> CrashSite:
    return sites("SIGKILL")


@pytest.mark.parametrize(
    ("signum", "storage"),
    [
        pytest.param(signal.SIGKILL, "sqlite", id="kill -9", marks=KILL_GROUP),
        pytest.param(signal.SIGTERM, "sqlite", id="SIGTERM", marks=TERM_GROUP),
        pytest.param(signal.SIGKILL, "postgres", id="kill -9 on PostgreSQL", marks=POSTGRES_GROUP),
        pytest.param(signal.SIGTERM, "postgres", id="SIGTERM on PostgreSQL", marks=POSTGRES_GROUP),
    ],
)
@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_refresh_stopped_at_any_point_leaves_nothing_for_the_next_one_to_wait_for(
    sites, refreshed, point, signum, storage
):
    site = sites(signal.Signals(signum).name, storage)
    expected = marts_contents(refreshed.settings.published_database)
    line, condition = KILL_POINTS[point]
    refresh = site.start_refresh("--force")
    wait_until(refresh, line, condition and (lambda: condition(site)))
    stopped_at = time.monotonic()
    if signum == signal.SIGKILL:
        os.killpg(refresh.pid, signal.SIGKILL)  # the refresh and its dbt, as kill -9 of a group
    else:
        os.kill(refresh.pid, signal.SIGTERM)  # the refresh alone, as `timeout` or `kill` sends it
    output = refresh.communicate(timeout=60)[0]
    stopped_in = time.monotonic() - stopped_at
    left = wait_for_empty_group(refresh.pid, timeout=STOP_LIMIT_SECONDS - stopped_in)
    killed_run = site.run_of_process(refresh.pid)
    if signum == signal.SIGTERM:
        assert refresh.returncode == 128 + signal.SIGTERM, output
        assert "Refresh stopped by SIGTERM." in output
        assert stopped_in < STOP_LIMIT_SECONDS
        assert left == []  # its dbt child (or any other) ended with it
        assert killed_run.status.value == "FAILURE"  # marked so by the refresh itself
        assert site.temporary_files() == []
    # Whether it stopped before or after the swap, the published file is whole and right.
    assert marts_contents(site.settings.published_database) == expected

    recovery = run_refresh(
        site.settings, site.dagster_home, timeout=300, **site.instance_variables()
    )
    assert recovery.exit_code == 0, recovery.stdout[-3000:] + recovery.stderr[-3000:]
    if signum == signal.SIGKILL:
        assert (
            f"! Freed the duckdb_writer slot held by run {killed_run.run_id} (pid {refresh.pid}),"
            " which is no longer running"
        ) in recovery.stdout
    assert site.run_of_process(refresh.pid).status.value == "FAILURE"
    assert site.runs_in_progress() == []
    assert site.pool_holders() == ([], [])
    assert site.temporary_files() == []
    assert marts_contents(site.settings.published_database) == expected
    assert query(site.settings.published_database, YEAR_TOTALS) == REPORT_YEAR_TOTALS


@KILL_GROUP
def test_a_refresh_waits_for_a_live_one_with_a_bound_and_says_who_holds_the_warehouse(site):
    before = site.settings.published_database.read_bytes()
    holder = RefreshLock(site.settings.refresh_lock)
    assert holder.acquire(timeout_seconds=0, holder="run live-run-of-the-test") is None
    try:
        refresh = site.start_refresh("--force", GRANTS_LOCK_TIMEOUT_SECONDS="3")
        output = refresh.communicate(timeout=300)[0]
    finally:
        holder.release()
    assert refresh.returncode == 1, output
    who = f"pid {os.getpid()}, run live-run-of-the-test, started "
    assert f"! Waiting for another refresh ({who}" in output
    assert f"Another refresh ({who}" in output, output
    assert (
        f"has held {site.settings.refresh_lock} for more than 3 s;"
        " this refresh gave up without changing anything."
    ) in output
    assert site.settings.published_database.read_bytes() == before
    assert site.runs_in_progress() == []


@KILL_GROUP
def test_a_refresh_waiting_for_the_warehouse_stops_on_sigterm(site):
    holder = RefreshLock(site.settings.refresh_lock)
    assert holder.acquire(timeout_seconds=0) is None
    try:
        refresh = site.start_refresh("--force")
        wait_until(refresh, "! Waiting for another refresh")
        stopped_at = time.monotonic()
        refresh.send_signal(signal.SIGTERM)
        output = refresh.communicate(timeout=60)[0]
    finally:
        holder.release()
    assert time.monotonic() - stopped_at < STOP_LIMIT_SECONDS
    assert refresh.returncode == 128 + signal.SIGTERM, output
    assert "Refresh stopped by SIGTERM." in output
    assert site.runs_in_progress() == []


@TERM_GROUP
def test_make_dev_killed_during_a_run_does_not_block_the_next_one_and_stops_on_sigterm(tmp_path):
    site = CrashSite(
        Settings(seeds_dir=copy_seeds(tmp_path), warehouse_dir=tmp_path / "warehouse"),
        make_dagster_home(tmp_path),
    )
    first = DevServer(tmp_path / "make-dev-1.log", site.environment())
    try:
        first.wait_until_serving()
        # The seed sensor's first tick launches a refresh: nothing was built from these seeds.
        killed = wait_for_run(site, lambda run: "dbt_models" in started_steps(site, run))
    finally:
        # kill -9 of make dev's whole process group (a power cut, an OOM kill of the service):
        # the daemon, the code server and the run worker with its dbt, mid-run.
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=30)
    worker = RunProcess.of_run(killed)
    assert [run.run_id for run in site.runs_in_progress()] == [killed.run_id]

    second = DevServer(tmp_path / "make-dev-2.log", site.environment())
    try:
        second.wait_until_serving()
        next_run_id = launch_refresh(second.port)
        # Queued behind the dead run (one run of the duckdb_writer pool at a time) until the
        # abandoned_runs_sensor marks that one failed; then it runs to the end.
        finished = wait_for_run(
            site, lambda run: run.run_id == next_run_id and run.is_finished, timeout=420
        )
        assert finished.status.value == "SUCCESS", second.log_tail()
        with site.instance() as instance:
            dead = instance.get_run_by_id(killed.run_id)
            messages = [
                entry.dagster_event.message
                for entry in instance.all_logs(killed.run_id)
                if entry.dagster_event is not None
            ]
        assert dead.status.value == "FAILURE"
        assert (
            f"Process {worker.pid} on {worker.host}, which ran this run, is no longer running"
            " (killed, out of memory or a power cut): marked failed by the abandoned_runs_sensor."
        ) in messages
        assert site.runs_in_progress() == []
        assert query(site.settings.published_database, YEAR_TOTALS) == REPORT_YEAR_TOTALS
    finally:
        # SIGTERM to the whole process group, as `kill -- -PGID` or a service manager sends it.
        took, left = second.stop(to_group=True)
    assert left == [], f"still running {took:.1f} s after SIGTERM: {left}\n{second.log_tail()}"
    assert took < STOP_LIMIT_SECONDS


def launch_refresh(port: int) -> str:
    """Launch the refresh job as the UI's Launchpad does; the new run's id."""
    selector = {
        "repositoryLocationName": CODE_LOCATION_NAME,
        "repositoryName": "__repository__",
        "jobName": REFRESH_JOB_NAME,
    }
    answer = graphql(port, LAUNCH, {"params": {"selector": selector, "runConfigData": {}}})
    launched = answer["data"]["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    return launched["run"]["runId"]


def started_steps(site: CrashSite, run) -> set[str]:
    with site.instance() as instance:
        return {
            entry.step_key
            for entry in instance.all_logs(run.run_id)
            if entry.dagster_event is not None
            and entry.dagster_event.event_type_value == "STEP_START"
        }


def wait_for_run(site: CrashSite, condition, timeout: float = 300):
    """The first run of the site's instance that has recorded its process and meets `condition`."""
    deadline = time.monotonic() + timeout
    while True:
        with site.instance() as instance:
            runs = [run for run in instance.get_runs() if PROCESS_TAG in run.tags]
        matching = [run for run in runs if condition(run)]
        if matching:
            return matching[0]
        assert time.monotonic() < deadline, f"no such run: {[(r.run_id, r.status) for r in runs]}"
        time.sleep(0.5)
