"""A private PostgreSQL 15 server for a test: a new cluster in a temporary folder, run as an
unprivileged user (PostgreSQL refuses root), on a free loopback port, stopped afterwards."""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.services import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "grants"
# The user the server runs as when the tests run as root.
UNPRIVILEGED_USER = "nobody"


@dataclass(frozen=True)
class PostgresCluster:
    folder: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg2

        connection = psycopg2.connect(self.url("postgres"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:  # not `with connection`: that opens a transaction
                cursor.execute(f'create database "{name}"')
        finally:
            connection.close()
        return self.url(name)


def server_command(command: list) -> None:
    """Run one of the server's commands as its user; fail with what it printed."""
    user = {"user": UNPRIVILEGED_USER} if os.geteuid() == 0 else {}
    done = subprocess.run(command, check=False, capture_output=True, text=True, **user)
    assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout}\n{done.stderr}"


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    # Not under pytest's temp folder: its parents are private to root, and the server's user
    # must reach its data folder.
    folder = Path(tempfile.mkdtemp(prefix="grants-pg-"))
    if os.geteuid() == 0:
        server_user = pwd.getpwnam(UNPRIVILEGED_USER)
        os.chown(folder, server_user.pw_uid, server_user.pw_gid)
    data = folder / "data"
    port = free_port("127.0.0.1")
    pg_ctl = [POSTGRES_BIN / "pg_ctl", "-D", data]
    server_command([POSTGRES_BIN / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust"])
    options = f"-k {folder} -h 127.0.0.1 -p {port}"
    server_command([*pg_ctl, "-l", folder / "server.log", "-w", "-o", options, "start"])
    try:
        yield PostgresCluster(folder, port)
    finally:
        server_command([*pg_ctl, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
