"""Long-running Dagster processes started by this project (`make dev`, `make serve`): the code
server's workspace file, and stopping them all within a bound."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from orchestration.lib.runs.processes import descendants, still_running

CODE_LOCATION_NAME = "grants_warehouse"
DEFINITIONS_MODULE = "orchestration.definitions"
# Ctrl-C stops `dagster dev` in about 3 s; past this, what is left is killed (10 s in all).
STOP_GRACE_SECONDS = 7.0


def dagster_command(*arguments: str) -> list[str]:
    """A Dagster command line run by this environment's Python."""
    return [sys.executable, "-m", "dagster", *arguments]


def code_server_command(socket_path: Path) -> list[str]:
    """The code server of this code location, listening on a Unix socket: no TCP port another
    program could take between choosing and binding it."""
    return dagster_command(
        "code-server",
        "start",
        "--socket",
        str(socket_path),
        "-m",
        DEFINITIONS_MODULE,
        "--location-name",
        CODE_LOCATION_NAME,
    )


def workspace_yaml(socket_path: Path) -> str:
    """A Dagster workspace file pointing at one code server listening on a Unix socket."""
    return (
        "load_from:\n"
        "  - grpc_server:\n"
        f"      socket: {socket_path}\n"
        f"      location_name: {CODE_LOCATION_NAME}\n"
    )


def free_port(host: str) -> int:
    """A TCP port free on `host` now, for a UI started by a test or the benchmark."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def stop_children(children: list[subprocess.Popen], grace: float = STOP_GRACE_SECONDS) -> None:
    """Interrupt `children` as Ctrl-C does, wait up to `grace` seconds for them to end, then kill
    every process still running below this one (those seen before the interrupt included, in
    case their parent ended first and they were handed to init)."""
    below = descendants(os.getpid())
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + grace
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
    for pid, _start in still_running(below | descendants(os.getpid())):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for child in children:
        child.wait()
