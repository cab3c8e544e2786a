"""The production deployment in a test: `make serve` on a private PostgreSQL cluster, with its
alerts going to a real SMTP server, an HTTP endpoint and a file; and how a test reads its
instance, its runs and the ticks of its sensors, as an operator would in the UI."""

import json
import os
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import dagster as dg

from orchestration.defs.automation.jobs import REFRESH_JOB_NAME
from orchestration.lib.services import CODE_LOCATION_NAME
from orchestration.serve import POSTGRES_URL_VARIABLE
from orchestration.settings import Settings
from tests.conftest import PROJECT_ROOT, refresh_environment
from tests.integration.alert_receivers import Inbox, Webhook
from tests.integration.dev_server import DevServer, graphql

PRODUCTION_INSTANCE = PROJECT_ROOT / "deploy" / "dagster_home" / "dagster.yaml"
REPOSITORY = {"repositoryLocationName": CODE_LOCATION_NAME, "repositoryName": "__repository__"}

SENSOR_TICKS = """
query Ticks($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { ticks(limit: 50) { status skipReason runIds } } }
  }
}
"""
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}
"""
START_SENSOR = """
mutation Start($selector: SensorSelector!) {
  startSensor(sensorSelector: $selector) { __typename ... on PythonError { message } }
}
"""
START_SCHEDULE = """
mutation Start($selector: ScheduleSelector!) {
  startSchedule(scheduleSelector: $selector) { __typename ... on PythonError { message } }
}
"""
SCHEDULE_STATE = """
query State($selector: ScheduleSelector!) {
  scheduleOrError(scheduleSelector: $selector) {
    ... on Schedule { scheduleState { id status ticks(limit: 5) { status } } }
  }
}
"""
STOP_SCHEDULE = """
mutation Stop($id: String!) {
  stopRunningSchedule(id: $id) { __typename ... on PythonError { message } }
}
"""
FRESHNESS = """
query Freshness($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) {
    ... on AssetNode {
      freshnessStatusInfo { freshnessStatus }
      internalFreshnessPolicy { ... on TimeWindowFreshnessPolicy { failWindowSeconds } }
    }
  }
}
"""


def wait_for(what: str, condition: Callable[[], object], timeout: float = 300, every=1.0):
    """`condition()`'s first true value, polled until `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)
    return value


@dataclass
class Deployment:
    root: Path
    settings: Settings
    home: Path
    postgres_url: str
    inbox: Inbox
    webhook: Webhook
    alert_file: Path
    extra_environment: dict[str, str]
    server: DevServer | None = None

    @classmethod
    def create(cls, root: Path, postgres_url: str, inbox: Inbox, webhook: Webhook, **extra):
        home = root / "serve_home"
        home.mkdir()
        shutil.copy(PRODUCTION_INSTANCE, home / "dagster.yaml")
        settings = Settings(seeds_dir=root / "seeds", warehouse_dir=root / "warehouse")
        return cls(root, settings, home, postgres_url, inbox, webhook, root / "alerts.jsonl", extra)

    def environment(self) -> dict[str, str]:
        return refresh_environment(
            self.settings,
            self.home,
            **{
                POSTGRES_URL_VARIABLE: self.postgres_url,
                "GRANTS_ALERT_SMTP_HOST": "127.0.0.1",
                "GRANTS_ALERT_SMTP_PORT": str(self.inbox.port),
                "GRANTS_ALERT_FROM": "grants-warehouse@test.invalid",
                "GRANTS_ALERT_TO": "operator@test.invalid",
                "GRANTS_ALERT_WEBHOOK_URL": self.webhook.url,
                "GRANTS_ALERT_FILE": str(self.alert_file),
                **self.extra_environment,
            },
        )

    def start(self) -> DevServer:
        """`make serve`, serving once its UI answers with the asset graph."""
        self.server = DevServer(self.root / "make-serve.log", self.environment(), self.home)
        self.server.wait_until_serving()
        return self.server

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port

    @contextmanager
    def instance(self):
        """The deployment's Dagster instance (on PostgreSQL), opened in this process."""
        variables = {"DAGSTER_HOME": str(self.home), POSTGRES_URL_VARIABLE: self.postgres_url}
        with mock.patch.dict(os.environ, variables), dg.DagsterInstance.get() as instance:
            yield instance

    def runs(self, job: str = REFRESH_JOB_NAME) -> list[dg.DagsterRun]:
        """The runs of `job`, oldest first."""
        with self.instance() as instance:
            return list(reversed(instance.get_runs(filters=dg.RunsFilter(job_name=job))))

    def messages(self, run_id: str) -> list[str]:
        with self.instance() as instance:
            return [
                entry.dagster_event.message or "" if entry.dagster_event else entry.user_message
                for entry in instance.all_logs(run_id)
            ]

    def event_types(self, run_id: str) -> list[str]:
        with self.instance() as instance:
            return [
                entry.dagster_event.event_type_value
                for entry in instance.all_logs(run_id)
                if entry.dagster_event is not None
            ]

    def wait_for_runs(self, count: int, timeout: float = 300) -> list[dg.DagsterRun]:
        """The first `count` refresh runs, once all have finished."""

        def finished():
            runs = self.runs()
            return runs if len(runs) >= count and all(r.is_finished for r in runs) else None

        return wait_for(f"{count} finished runs", finished, timeout)

    def ticks(self, sensor: str) -> list[dict]:
        selector = {**REPOSITORY, "sensorName": sensor}
        answer = graphql(self.port, SENSOR_TICKS, {"selector": selector})
        return answer["data"]["sensorOrError"]["sensorState"]["ticks"]

    def mutate(self, mutation: str, **selector: str) -> None:
        answer = graphql(self.port, mutation, {"selector": {**REPOSITORY, **selector}})
        (result,) = answer["data"].values()
        assert result["__typename"] != "PythonError", result

    def schedule_status(self, name: str) -> dict:
        selector = {**REPOSITORY, "scheduleName": name}
        answer = graphql(self.port, SCHEDULE_STATE, {"selector": selector})
        return answer["data"]["scheduleOrError"]["scheduleState"]

    def stop_schedule(self, name: str) -> None:
        """Stop a running schedule as the UI's toggle does, once its tick has ended: a stop
        during a tick is lost (the daemon writes the schedule's state back as running when the
        tick ends, seen with Dagster 1.13)."""
        wait_for(
            "the schedule's tick to end",
            lambda: [t for t in self.schedule_status(name)["ticks"] if t["status"] == "SUCCESS"],
        )
        answer = graphql(self.port, STOP_SCHEDULE, {"id": self.schedule_status(name)["id"]})
        assert answer["data"]["stopRunningSchedule"]["__typename"] != "PythonError", answer
        assert self.schedule_status(name)["status"] == "STOPPED"

    def launch(self, job: str = REFRESH_JOB_NAME, run_config: dict | None = None) -> str:
        """Launch `job` as the UI's Launchpad does; the new run's id."""
        selector = {**REPOSITORY, "jobName": job}
        params = {"selector": selector, "runConfigData": run_config or {}}
        launched = graphql(self.port, LAUNCH, {"params": params})["data"]["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        return launched["run"]["runId"]

    def freshness(self, key: list[str]) -> dict:
        answer = graphql(self.port, FRESHNESS, {"key": {"path": key}})
        return answer["data"]["assetNodeOrError"]

    def alerts(self, event: str) -> list[dict]:
        """The alert file's lines of one kind."""
        if not self.alert_file.exists():
            return []
        lines = self.alert_file.read_text(encoding="utf-8").splitlines()
        return [record for record in map(json.loads, lines) if record["event"] == event]

    def emails(self, subject_start: str) -> list:
        return [
            message
            for message in self.inbox.messages
            if message["Subject"].startswith(f"[grants warehouse] {subject_start}")
        ]

    def posts(self, event: str) -> list[dict]:
        return [post for post in self.webhook.posts if post["event"] == event]
