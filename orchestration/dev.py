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
`STOP_GRACE_SECONDS` (lib/services.py) + a moment: both children are interrupted as Ctrl-C
would, and whatever still runs below this process after the grace period (webserver, daemon, a
run worker) is killed.

    python -m orchestration.dev [--host 127.0.0.1] [--port 3000]
"""

import argparse
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from orchestration.lib.runs.stopping import STOP_SIGNALS, Stopped, raise_stopped_once
from orchestration.lib.services import (
    code_server_command,
    dagster_command,
    stop_children,
    workspace_yaml,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.dev", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="where the UI listens")
    parser.add_argument("--port", type=int, default=3000, help="the UI's port")
    arguments = parser.parse_args(argv)
    for signum in STOP_SIGNALS:  # leave through `finally`, which stops everything below
        signal.signal(signum, raise_stopped_once)
    with tempfile.TemporaryDirectory(prefix="grants-dev-") as folder:
        socket_path = Path(folder) / "code-server.sock"
        workspace = Path(folder) / "workspace.yaml"
        workspace.write_text(workspace_yaml(socket_path), encoding="utf-8")
        children: list[subprocess.Popen] = []
        try:
            children.append(subprocess.Popen(code_server_command(socket_path)))
            ui = dagster_command("dev", "-h", arguments.host, "-p", str(arguments.port))
            children.append(subprocess.Popen([*ui, "-w", str(workspace)]))
            return children[-1].wait()
        except Stopped as stop:
            return 128 + stop.signum
        finally:
            stop_children(children)


if __name__ == "__main__":
    sys.exit(main())
