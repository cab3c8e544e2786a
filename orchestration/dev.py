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

    python -m orchestration.dev [--host 127.0.0.1] [--port 3000]
"""

import argparse
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

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
    # Stopped with SIGTERM: leave through `finally`, which stops both children.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    dagster = [sys.executable, "-m", "dagster"]
    with tempfile.TemporaryDirectory(prefix="grants-dev-") as folder:
        socket_path = Path(folder) / "code-server.sock"
        workspace = Path(folder) / "workspace.yaml"
        workspace.write_text(workspace_yaml(socket_path), encoding="utf-8")
        code_server = subprocess.Popen(
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
        ui = subprocess.Popen(
            [*dagster, "dev", "-h", arguments.host, "-p", str(arguments.port), "-w", str(workspace)]
        )
        try:
            return ui.wait()
        except KeyboardInterrupt:  # Ctrl-C reached the whole process group: let both stop
            return ui.wait()
        finally:
            for process in (ui, code_server):
                if process.poll() is None:
                    process.terminate()
            for process in (ui, code_server):
                process.wait()


if __name__ == "__main__":
    sys.exit(main())
