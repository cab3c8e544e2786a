"""A Spark standalone cluster on this machine, for GRANTS_ENGINE=spark-cluster: one master, two
workers and a Spark Thrift server, each its own process, bound to 127.0.0.1, with cores and
memory capped to fit a 2-core machine. pyspark's pip package has the jars and `bin/spark-class`
but no `sbin/` start scripts, so the processes are started here, in their own process group,
and stopped with it.

    python -m orchestration.lib.spark_cluster start|stop [--dir DIR]

Everything the cluster writes (logs, pids, the workers' folders, the Thrift server's tables
and Derby metastore) goes under DIR (default warehouse/build/spark-cluster).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

SPARK_HOME = next(
    (PROJECT_ROOT / ".spark-venv" / "lib").glob("python3*/site-packages/pyspark"), None
)
DEFAULT_DIR = PROJECT_ROOT / "warehouse" / "build" / "spark-cluster"
HOST = "127.0.0.1"
MASTER_PORT = int(os.environ.get("GRANTS_SPARK_MASTER_PORT", "7177"))
THRIFT_PORT = int(os.environ.get("GRANTS_SPARK_THRIFT_PORT", "10111"))
WORKERS = 2
# One core and 1 GiB per worker; the Thrift server (the one application) may take both cores,
# one executor of 512 MiB on each worker, so that losing a worker leaves one to finish on.
WORKER_CORES = 1
WORKER_MEMORY = "1g"
EXECUTOR_MEMORY = "512m"
DRIVER_MEMORY = "768m"
START_TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class ClusterFolder:
    root: Path

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"


def spark_home() -> Path:
    if SPARK_HOME is None:
        raise FileNotFoundError(
            "the Spark cluster needs pyspark in .spark-venv: run `make spark-env`"
        )
    return SPARK_HOME


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def spark_environment(folder: ClusterFolder) -> dict[str, str]:
    return {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": HOST,
        "SPARK_LOG_DIR": str(folder.logs),
        # The JVM's own threads follow the cores it may use, not the machine's.
        "SPARK_DAEMON_JAVA_OPTS": "-XX:ActiveProcessorCount=1",
    }


def launch(folder: ClusterFolder, name: str, command: list[str]) -> int:
    """Start one cluster process in a session of its own (so that `stop` ends it and all its
    children), its output in logs/<name>.log and its pid in pids/<name>."""
    with folder.log(name).open("ab") as log:
        process = subprocess.Popen(
            command,
            env=spark_environment(folder),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=folder.root,
        )
    (folder.pids / name).write_text(str(process.pid))
    return process.pid


def wait_for(predicate, what: str, folder: ClusterFolder, log_name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not predicate():
        if time.monotonic() > deadline:
            stop(folder.root)
            raise TimeoutError(
                f"the Spark {what} did not start within {START_TIMEOUT_SECONDS} s;"
                f" see {folder.log(log_name)}"
            )
        time.sleep(0.5)


def registered_workers(folder: ClusterFolder) -> int:
    logs = [folder.log(f"worker-{n}") for n in range(1, WORKERS + 1)]
    return sum(
        "Successfully registered with master" in log.read_text(errors="replace")
        for log in logs
        if log.exists()
    )


def thrift_command(folder: ClusterFolder) -> list[str]:
    tables = folder.root / "tables"
    settings = {
        "spark.cores.max": str(WORKERS * WORKER_CORES),
        "spark.executor.cores": str(WORKER_CORES),
        "spark.executor.memory": EXECUTOR_MEMORY,
        "spark.driver.memory": DRIVER_MEMORY,
        "spark.ui.enabled": "false",
        "spark.driver.host": HOST,
        "spark.driver.bindAddress": HOST,
        "spark.sql.shuffle.partitions": "2",
        "spark.sql.warehouse.dir": str(tables),
        "spark.driver.extraJavaOptions": (
            f"-XX:ActiveProcessorCount=1 -Dderby.system.home={folder.root}"
        ),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={folder.root / 'metastore_db'};create=true"
        ),
    }
    command = [
        str(spark_home() / "bin" / "spark-submit"),
        "--class",
        "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
        "--master",
        f"spark://{HOST}:{MASTER_PORT}",
        "--name",
        "grants-warehouse-thrift",
    ]
    for key, value in settings.items():
        command += ["--conf", f"{key}={value}"]
    return [
        *command,
        "--hiveconf",
        f"hive.server2.thrift.port={THRIFT_PORT}",
        "--hiveconf",
        f"hive.server2.thrift.bind.host={HOST}",
        "spark-internal",
    ]


def start(root: Path = DEFAULT_DIR) -> None:
    """Start the master, the workers and the Thrift server; return once the Thrift server
    accepts connections. Refuses when the ports are taken (a cluster already running)."""
    folder = ClusterFolder(root)
    for port in (MASTER_PORT, THRIFT_PORT):
        if listening(port):
            raise RuntimeError(f"port {HOST}:{port} is in use: is a Spark cluster already running?")
    for directory in (folder.logs, folder.pids):
        directory.mkdir(parents=True, exist_ok=True)
    spark_class = str(spark_home() / "bin" / "spark-class")
    launch(folder, "master", [
        spark_class, "org.apache.spark.deploy.master.Master",
        "--host", HOST, "--port", str(MASTER_PORT), "--webui-port", "0",
    ])  # fmt: skip
    wait_for(lambda: listening(MASTER_PORT), "master", folder, "master")
    for n in range(1, WORKERS + 1):
        launch(folder, f"worker-{n}", [
            spark_class, "org.apache.spark.deploy.worker.Worker",
            "--host", HOST, "--cores", str(WORKER_CORES), "--memory", WORKER_MEMORY,
            "--webui-port", "0", "--work-dir", str(root / f"worker-{n}"),
            f"spark://{HOST}:{MASTER_PORT}",
        ])  # fmt: skip
    wait_for(lambda: registered_workers(folder) == WORKERS, "workers", folder, "worker-1")
    launch(folder, "thrift", thrift_command(folder))
    wait_for(lambda: listening(THRIFT_PORT), "Thrift server", folder, "thrift")


def stop(root: Path = DEFAULT_DIR) -> list[str]:
    """Stop every process `start` started (SIGTERM to each one's session, then SIGKILL after
    20 s); returns the names of those that were running."""
    folder = ClusterFolder(root)
    stopped = []
    pids = sorted(folder.pids.glob("*")) if folder.pids.exists() else []
    for pid_file in pids:
        pid = int(pid_file.read_text())
        try:
            os.killpg(pid, signal.SIGTERM)
            stopped.append(pid_file.name)
        except ProcessLookupError:
            pid_file.unlink()
    deadline = time.monotonic() + 20
    for pid_file in pids:
        if not pid_file.exists():
            continue
        pid = int(pid_file.read_text())
        while group_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if group_alive(pid):
            os.killpg(pid, signal.SIGKILL)
        pid_file.unlink()
    return stopped


def processes(root: Path = DEFAULT_DIR) -> list[int]:
    """Every process running for the cluster in `root`, whatever became of their parents: they
    all carry its log folder in their environment."""
    marker = f"SPARK_LOG_DIR={ClusterFolder(root).logs}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.lib.spark_cluster")
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    arguments = parser.parse_args(argv)
    if arguments.action == "start":
        start(arguments.dir.resolve())
        print(f"Spark cluster: master spark://{HOST}:{MASTER_PORT}, Thrift {HOST}:{THRIFT_PORT}")
    else:
        print("stopped:", ", ".join(stop(arguments.dir.resolve())) or "nothing was running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
