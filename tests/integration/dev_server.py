"""`make dev` (or `make serve`) started by a test on a free loopback port in its own process
group, asked over GraphQL as the UI asks, and stopped with SIGTERM as a service manager stops
it."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from orchestration.lib.services import free_port
from tests.conftest import PROJECT_ROOT
from tests.integration.crash_site import wait_for_empty_group

SERVED = "{ assetNodes { assetKey { path } } }"


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


class DevServer:
    """`make dev`: `python -m orchestration.dev`; with `serve_home`, `make serve` itself on the
    production instance in that folder."""

    def __init__(self, log: Path, environment: dict[str, str], serve_home: Path | None = None):
        self.port = free_port("127.0.0.1")
        self.log = log
        command = (
            ["make", "-s", "serve", f"SERVE_PORT={self.port}", f"SERVE_DAGSTER_HOME={serve_home}"]
            if serve_home
            else [sys.executable, "-m", "orchestration.dev", "--port", str(self.port)]
        )
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env={**os.environ, **environment},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_serving(self, query: str = SERVED, timeout: float = 180) -> dict:
        """The first answer to `query` once the code location's asset graph is served."""
        deadline = time.monotonic() + timeout
        last_answer: object = None
        while True:
            try:
                last_answer = graphql(self.port, query)
                if last_answer["data"]["assetNodes"]:  # `query` asks for them too
                    return last_answer["data"]
            except (OSError, KeyError, TypeError) as error:
                last_answer = last_answer if isinstance(last_answer, dict) else repr(error)
            # Why it is not serving: the UI's own account of the code location, and the log.
            failure = f"last answer: {last_answer}\nlog tail:\n{self.log_tail()}"
            assert self.process.poll() is None, f"make dev exited\n{failure}"
            assert time.monotonic() < deadline, f"dagster dev did not serve the graph\n{failure}"
            time.sleep(1)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self, to_group: bool, timeout: float = 10) -> tuple[float, list[str]]:
        """SIGTERM to the process group (`kill -- -PGID`) or to `make dev`'s process alone
        (`kill PID`); the seconds until every process of the group had ended, and what was
        left (then killed) if some had not within `timeout`."""
        started = time.monotonic()
        if to_group:
            os.killpg(self.process.pid, signal.SIGTERM)
        else:
            self.process.send_signal(signal.SIGTERM)
        left = wait_for_empty_group(self.process.pid, timeout)
        took = time.monotonic() - started
        if left:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        return took, left
