"""`make serve`: the production deployment on one server. The code server, the daemon
(schedules, sensors, the run queue, run monitoring, freshness) and the webserver run as three
long-running processes on the Dagster instance in DAGSTER_HOME, which must be on PostgreSQL
(deploy/dagster_home/dagster.yaml, GRANTS_DAGSTER_POSTGRES_URL). A service that exits is started
again after a pause; one that cannot stay up stops the deployment with a non-zero status, for
the service manager to see.

SIGTERM or SIGINT, to this process or its process group (as systemd sends it), stops everything
within 10 s, runs in progress included (the daemon marks them failed when it next starts).

    python -m orchestration.serve [--host 127.0.0.1] [--port 3000]
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.conventions import DUCKDB_WRITER_POOL
from orchestration.lib.runs.stopping import STOP_SIGNALS, Stopped, raise_stopped_once
from orchestration.lib.services import (
    code_server_command,
    stop_children,
    workspace_yaml,
)

POSTGRES_URL_VARIABLE = "GRANTS_DAGSTER_POSTGRES_URL"
RESTART_DELAY_SECONDS = 2.0
# A service that exits this many times in a row, each within UP_SECONDS of its start, is broken
# (a wrong setting, PostgreSQL unreachable): the deployment stops rather than loop.
QUICK_EXITS_ALLOWED = 5
UP_SECONDS = 60.0
CODE_SERVER_START_SECONDS = 60.0


@dataclass
class Service:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_exits: int = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)
        self.started_at = time.monotonic()
        say(f"{self.name} started (pid {self.process.pid})")


def say(line: str) -> None:
    print(f"serve: {line}", file=sys.stderr, flush=True)


def services(workspace: Path, socket_path: Path, host: str, port: int) -> list[Service]:
    scripts = Path(sys.executable).parent
    return [
        Service("code server", code_server_command(socket_path)),
        Service("daemon", [str(scripts / "dagster-daemon"), "run", "-w", str(workspace)]),
        Service(
            "webserver",
            [
                *(sys.executable, "-m", "dagster_webserver"),
                *("-h", host, "-p", str(port), "-w", str(workspace)),
            ],
        ),
    ]


def instance_problem(environ=os.environ) -> str | None:
    """Why this environment cannot serve, in words an operator can act on; None when it can."""
    home = environ.get("DAGSTER_HOME")
    if not home or not (Path(home) / "dagster.yaml").is_file():
        return (
            f"DAGSTER_HOME ({home or 'not set'}) has no dagster.yaml: use the production instance,"
            " deploy/dagster_home (make serve does)."
        )
    if not environ.get(POSTGRES_URL_VARIABLE):
        return (
            f"{POSTGRES_URL_VARIABLE} is not set: the production instance keeps its run history on"
            " PostgreSQL (postgresql://user:password@host:port/database; see docs/operators.md)."
        )
    import psycopg2  # only here: `make dev` never needs it

    try:
        psycopg2.connect(environ[POSTGRES_URL_VARIABLE], connect_timeout=10).close()
    except psycopg2.Error as error:
        return f"Cannot reach PostgreSQL at {POSTGRES_URL_VARIABLE}: {str(error).strip()}"
    return None


def wait_for_socket(path: Path, timeout: float = CODE_SERVER_START_SECONDS) -> None:
    """The daemon and the webserver load the code location once at start: they start once the
    code server listens (or after `timeout`, when they retry by themselves)."""
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def initialize_pools() -> None:
    """Write the duckdb_writer pool's limit into the instance before the daemon starts. Dagster
    writes a pool's limit the first time its queue sees a run in that pool, and runs queued in
    that same pass are not held back by it (Dagster 1.13): a new deployment's first runs, from
    the schedule and the UI at once, both started (the refresh lock kept them apart)."""
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        # Only once: a second call inserts the limit again and fails (Dagster 1.13, PostgreSQL).
        if DUCKDB_WRITER_POOL not in storage.get_concurrency_keys():
            storage.initialize_concurrency_limit_to_default(DUCKDB_WRITER_POOL)


def supervise(running: list[Service], code_server_socket: Path) -> int:
    """Start every service, start again any that exits, until a stop signal (Stopped) or a
    service that cannot stay up (its exit status is returned)."""
    for service in running:
        service.start()
        if service is running[0]:
            wait_for_socket(code_server_socket)
    while True:
        time.sleep(0.5)
        for service in running:
            assert service.process is not None
            status = service.process.poll()
            if status is None:
                continue
            quick = time.monotonic() - service.started_at < UP_SECONDS
            service.quick_exits = service.quick_exits + 1 if quick else 0
            if service.quick_exits >= QUICK_EXITS_ALLOWED:
                say(
                    f"{service.name} exited {QUICK_EXITS_ALLOWED} times within {UP_SECONDS:.0f} s"
                    f" of its start (last status {status}): stopping the deployment"
                )
                return status or 1
            say(
                f"{service.name} (pid {service.process.pid}) exited with status {status};"
                f" starting it again in {RESTART_DELAY_SECONDS:.0f} s"
            )
            time.sleep(RESTART_DELAY_SECONDS)
            service.start()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="where the UI listens")
    parser.add_argument("--port", type=int, default=3000, help="the UI's port")
    arguments = parser.parse_args(argv)
    if problem := instance_problem():
        say(problem)
        return 2
    initialize_pools()
    for signum in STOP_SIGNALS:  # leave through `finally`, which stops everything below
        signal.signal(signum, raise_stopped_once)
    with tempfile.TemporaryDirectory(prefix="grants-serve-") as folder:
        socket_path = Path(folder) / "code-server.sock"
        workspace = Path(folder) / "workspace.yaml"
        workspace.write_text(workspace_yaml(socket_path), encoding="utf-8")
        running = services(workspace, socket_path, arguments.host, arguments.port)
        try:
            return supervise(running, socket_path)
        except Stopped as stop:
            say(f"stopping on {signal.Signals(stop.signum).name}")
            return 128 + stop.signum
        finally:
            stop_children([service.process for service in running if service.process])


if __name__ == "__main__":
    sys.exit(main())
