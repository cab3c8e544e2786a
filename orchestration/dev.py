"""`make dev`: the Dagster UI, with the code server started beside `dagster dev`, not after it.

Plain `dagster dev -m orchestration.definitions` starts its processes one after another: its
CLI (about 1.5 s), a code-server proxy, the code server loading the definitions (about 3 s), and
only then the webserver (about 2.5 s). Here the code server (`dagster code-server start`, the
documented way to serve a code location from a process of one's own) loads the definitions
while `dagster dev` starts, and `dagster dev` reaches it through a workspace file with a
`grpc_server` entry. The two talk over a Unix socket in a private temporary folder, not a TCP
port, so nothing else on the machine (a Spark driver, another `make dev`) can take their address
between choosing and binding it. Reloading the code location from the UI still works: the code
server reloads its definitions in place.

SIGTERM or SIGINT (Ctrl-C), to this process or to its process group, stops everything within
`STOP_GRACE_SECONDS` + a moment: both children are interrupted as Ctrl-C would, and whatever
still runs below this process after the grace period (webserver, daemon, a run worker) is killed.

    python -m orchestration.dev [--host 127.0.0.1] [--port 3000]
"""

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from orchestration.lib.runs.processes import descendants, still_running
from orchestration.lib.runs.stopping import STOP_SIGNALS, Stopped, raise_stopped_once

# Ctrl-C stops `dagster dev` in about 3 s; past this, what is left is killed (10 s in all).
STOP_GRACE_SECONDS = 7.0

CODE_LOCATION_NAME = "grants_warehouse"
DEFINITIONS_MODULE = "orchestration.definitions"


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.dev", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="where the UI listens")
    parser.add_argument("--port", type=int, default=3000, help="the UI's port")
    arguments = parser.parse_args(argv)
    for signum in STOP_SIGNALS:  # leave through `finally`, which stops everything below
        signal.signal(signum, raise_stopped_once)
    dagster = [sys.executable, "-m", "dagster"]
    with tempfile.TemporaryDirectory(prefix="grants-dev-") as folder:
        socket_path = Path(folder) / "code-server.sock"
        workspace = Path(folder) / "workspace.yaml"
        workspace.write_text(workspace_yaml(socket_path), encoding="utf-8")
        children: list[subprocess.Popen] = []
        try:
            children.append(
                subprocess.Popen(
                    [
                        *dagster,
                        "code-server",
                        "start",
                        "--socket",
                        str(socket_path),
                        "-m",
                        DEFINITIONS_MODULE,
                        "--location-name",
                        CODE_LOCATION_NAME,
                    ]
                )
            )
            ui_command = ["dev", "-h", arguments.host, "-p", str(arguments.port), "-w"]
            children.append(subprocess.Popen([*dagster, *ui_command, str(workspace)]))
            return children[-1].wait()
        except Stopped as stop:
            return 128 + stop.signum
        finally:
            stop_children(children)


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


if __name__ == "__main__":
    sys.exit(main())
