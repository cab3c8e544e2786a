"""Refresh speed and memory, measured side by side in one run (`make bench`).

Each round runs every measurement once, in the same order, on the same machine, so that ratios
compare like with like; the table gives medians over the rounds. Not a test: CI does not run it,
and nothing here asserts a timing. Writes benchmarks/results.md.

    floor         the same load + SQL + reconciliation in one plain DuckDB process (floor.py)
    dbt_build     a bare `dbt build` of the project (the working file's raw layer already loaded)
    full_refresh  `python -m orchestration.cli --force`: load, dbt build, GX checks, publish, charts
    noop_refresh  `python -m orchestration.cli` with nothing changed
    import_defs   `python -c "from orchestration.definitions import defs; defs()"`: loading the
                  definitions (`defs` is a lazy `@dg.definitions` function; importing the module
                  alone loads nothing)
    store_events  the events of the last full refresh's run (about 590), stored again one by one
                  into a fresh Dagster instance with this dagster.yaml (Dagster's default SQLite
                  event log): what a refresh spends writing events, timed inside the process
                  (information)
    dagster_dev   `make dev` (`python -m orchestration.dev`: `dagster dev` with the code server
                  started beside it) until its GraphQL endpoint serves the asset graph
    dagster_dev_plain  `dagster dev -m orchestration.definitions`, the same way (information)
Peak memory is the largest sum, over a full refresh and all its child processes, of their
proportional set size (PSS: a page shared by n processes counts 1/n in each), sampled every 50 ms
from /proc/<pid>/smaps_rollup; the RSS sum, which counts shared pages once per process, is
reported beside it.
"""

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from orchestration.lib.services import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Peak memory of a full refresh, PSS summed over all its processes.
MEMORY_TARGET_MIB = 600


def process_tree(pid: int) -> set[int]:
    """`pid` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int(
                (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            )
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, p in parents.items() if p == parent and child not in tree]
        tree.update(children)
        frontier.extend(children)
    return tree


def tree_memory_bytes(pid: int) -> tuple[int, int]:
    """(RSS, PSS) summed over `pid` and its descendants. RSS counts a page shared by two
    processes (libpython, the DuckDB library, forked pages) twice; PSS counts it once, split
    between them, so its sum is the memory the processes take together."""
    return memory_bytes(process_tree(pid))


def memory_bytes(pids: Iterable[int]) -> tuple[int, int]:
    """(RSS, PSS) summed over `pids` (those that have ended count nothing)."""
    totals = {"Rss:": 0, "Pss:": 0}
    for member in pids:
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                field = line.split()[0] if line else ""
                if field in totals:
                    totals[field] += int(line.split()[1]) * 1024
        except OSError:
            continue
    return totals["Rss:"], totals["Pss:"]


def timed(
    command: list[str], env: dict[str, str], sample_memory: bool = False
) -> tuple[float, tuple[int, int]]:
    """Wall seconds of `command` and (optionally) its peak tree memory (RSS, PSS) in bytes."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = (0, 0)
    if sample_memory:
        while process.poll() is None:
            rss, pss = tree_memory_bytes(process.pid)
            peak = (max(peak[0], rss), max(peak[1], pss))
            time.sleep(0.05)
    if process.wait() != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, peak


# Read the last run's events from one instance and store them, one by one as a run does, into a
# fresh instance of the same dagster.yaml; print the seconds the storing took.
STORE_EVENTS = """
import os, shutil, sys, time
import dagster as dg
os.environ["DAGSTER_HOME"] = sys.argv[1]
source = dg.DagsterInstance.get()
run = source.get_run_records(limit=1)[0].dagster_run
entries = source.all_logs(run.run_id)
shutil.copy(os.path.join(sys.argv[1], "dagster.yaml"), sys.argv[2])
os.environ["DAGSTER_HOME"] = sys.argv[2]
target = dg.DagsterInstance.get()
start = time.perf_counter()
for entry in entries:
    target.store_event(entry)
print(time.perf_counter() - start, len(entries))
"""


def store_events_seconds(source_home: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds to store the events of `source_home`'s last run into a fresh instance, and how
    many events that was."""
    target = Path(tempfile.mkdtemp(prefix="grants-bench-events-"))
    try:
        output = subprocess.run(
            [sys.executable, "-c", STORE_EVENTS, str(source_home), str(target)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    finally:
        shutil.rmtree(target, ignore_errors=True)
    return float(output[0]), int(output[1])


def ui_seconds(command: list[str], env: dict[str, str]) -> float:
    """Seconds from starting `command` (given the UI's port) until the UI's GraphQL endpoint
    serves the asset graph with the marts in it."""
    port = free_port("127.0.0.1")
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    query = b'{"query": "{ assetNodes { id } }"}'
    try:
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/graphql",
                    data=query,
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    if b"mart_domain_year" in response.read():
                        return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.1)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def machine() -> str:
    memory = next(
        line
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    ).split()[1]
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in"
            " ['dagster', 'dagster-dbt', 'dbt-core', 'dbt-duckdb', 'duckdb',"
            " 'great-expectations']))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return (
        f"{platform.platform()}, {os.cpu_count()} cores, {int(memory) // 1024} MiB,"
        f" Python {platform.python_version()}; {versions}"
    )


def target_met(value: float, target: str) -> str:
    """ "yes" or "no" for a target written "≤ N"; nothing for "(information)"."""
    if target.startswith("("):
        return ""
    return "yes" if value <= float(target.rsplit(maxsplit=1)[-1]) else "no"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    # A background shell ignores SIGINT and its children inherit that; `dagster dev` is stopped
    # with SIGINT, so give this process (and, through exec, its children) the default back.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    work = Path(tempfile.mkdtemp(prefix="grants-bench-"))
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (work / "dagster_home").mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
    env = {
        **os.environ,
        "GRANTS_SEEDS_DIR": str(seeds),
        "GRANTS_WAREHOUSE_DIR": str(work / "warehouse"),
        "DAGSTER_HOME": str(work / "dagster_home"),
        "GRANTS_BUILD_DATABASE": str(work / "warehouse" / "build" / "grants.duckdb"),
    }
    refresh = [sys.executable, "-m", "orchestration.cli"]
    timed(refresh + ["--force"], env)  # warm-up, and the raw layer dbt_build reads

    samples: dict[str, list[float]] = {}
    peaks: list[tuple[int, int]] = []
    for round_number in range(1, rounds + 1):
        measured = {
            "floor": timed(
                [sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(seeds)], env
            )[0],
            "dbt_build": timed(
                [
                    str(BIN / "dbt"),
                    "build",
                    "--project-dir",
                    "dbt_project",
                    "--profiles-dir",
                    ".",
                    "--quiet",
                ],
                env,
            )[0],
        }
        measured["full_refresh"] = timed(refresh + ["--force"], env)[0]
        # Memory in a run of its own: reading every process's smaps takes CPU from the refresh.
        peaks.append(timed(refresh + ["--force"], env, sample_memory=True)[1])
        measured["noop_refresh"] = timed(refresh, env)[0]
        measured["import_defs"] = timed(
            [sys.executable, "-c", "from orchestration.definitions import defs; defs()"], env
        )[0]
        measured["store_events"], event_count = store_events_seconds(work / "dagster_home", env)
        measured["dagster_dev"] = ui_seconds(
            [sys.executable, "-m", "orchestration.dev", "--port"], env
        )
        measured["dagster_dev_plain"] = ui_seconds(
            [
                str(BIN / "dagster"),
                "dev",
                "-h",
                "127.0.0.1",
                "-m",
                "orchestration.definitions",
                "-p",
            ],
            env,
        )
        for name, value in measured.items():
            samples.setdefault(name, []).append(value)
        print(
            f"round {round_number}: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in measured.items())
            + f", peak PSS {peaks[-1][1] / 2**20:.0f} MiB (RSS {peaks[-1][0] / 2**20:.0f} MiB)",
            flush=True,
        )

    median = {name: statistics.median(values) for name, values in samples.items()}
    peak_rss_mib = max(rss for rss, _ in peaks) / 2**20
    peak_mib = max(pss for _, pss in peaks) / 2**20
    ratios = [
        ("full_refresh / dbt_build", median["full_refresh"] / median["dbt_build"], "≤ 1.5"),
        ("noop_refresh / full_refresh", median["noop_refresh"] / median["full_refresh"], "≤ 0.05"),
        ("dagster_dev / import_defs", median["dagster_dev"] / median["import_defs"], "≤ 2"),
        ("full_refresh / floor", median["full_refresh"] / median["floor"], "(information)"),
    ]
    lines = [
        "# Refresh benchmark",
        "",
        f"Machine: {machine()}",
        "",
        f"Medians of {rounds} rounds, measured side by side in one run (`make bench`)."
        f" store_events stores the {event_count} events of one full refresh's run.",
        "",
        "| measurement | median (s) | all rounds (s) |",
        "|---|---:|---|",
        *[
            f"| {name} | {median[name]:.2f} | {', '.join(f'{v:.2f}' for v in values)} |"
            for name, values in samples.items()
        ],
        "",
        "| ratio | value | target | met |",
        "|---|---:|---|---|",
        *[
            f"| {name} | {value:.2f} | {target} | {target_met(value, target)} |"
            for name, value, target in ratios
        ],
        f"| peak memory of a full refresh (MiB, PSS summed over all processes) | {peak_mib:.0f}"
        f" | ≤ {MEMORY_TARGET_MIB} | {'yes' if peak_mib <= MEMORY_TARGET_MIB else 'no'} |",
        f"| the same as RSS summed (shared pages counted once per process) | {peak_rss_mib:.0f}"
        " | (information) |  |",
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    (ROOT / "benchmarks" / "results.md").write_text(table, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
