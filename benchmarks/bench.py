"""Refresh speed and memory, measured side by side in one run (`make bench`).

Each round runs every measurement once, in the same order, on the same machine, so that ratios
compare like with like; the table gives medians over the rounds. Not a test: CI does not run it,
and nothing here asserts a timing. Writes benchmarks/results.md.

    floor         the same load + SQL + reconciliation in one plain DuckDB process (floor.py)
    dbt_build     a bare `dbt build` of the project (the working file's raw layer already loaded)
    full_refresh  `python -m orchestration.cli --force`: load, dbt build, GX checks, publish, charts
    noop_refresh  `python -m orchestration.cli` with nothing changed
    import_defs   `python -c "import orchestration.definitions"`
    dagster_dev   `dagster dev` until its GraphQL endpoint answers
Peak memory is the largest sum of the resident memory of a full refresh and all its child
processes, sampled every 50 ms from /proc.
"""

import argparse
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, p in parents.items() if p == parent and child not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(member, 0) for member in tree)


def timed(
    command: list[str], env: dict[str, str], sample_memory: bool = False
) -> tuple[float, int]:
    """Wall seconds of `command` and (optionally) its peak tree memory in bytes."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    if sample_memory:
        while process.poll() is None:
            peak = max(peak, tree_rss_bytes(process.pid))
            time.sleep(0.05)
    if process.wait() != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, peak


def dagster_dev_seconds(env: dict[str, str]) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    process = subprocess.Popen(
        [
            str(BIN / "dagster"),
            "dev",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            "orchestration.definitions",
        ],
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
                    if b"assetNodes" in response.read():
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)


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
            "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in "
            "['dagster', 'dagster-dbt', 'dbt-core', 'dbt-duckdb', 'duckdb', 'great-expectations']))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return (
        f"{platform.platform()}, {os.cpu_count()} cores, {int(memory) // 1024} MiB,"
        f" Python {platform.python_version()}; {versions}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds

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
    peaks: list[int] = []
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
        seconds, peak = timed(refresh + ["--force"], env, sample_memory=True)
        measured["full_refresh"] = seconds
        peaks.append(peak)
        measured["noop_refresh"] = timed(refresh, env)[0]
        measured["import_defs"] = timed(
            [sys.executable, "-c", "import orchestration.definitions"], env
        )[0]
        measured["dagster_dev"] = dagster_dev_seconds(env)
        for name, value in measured.items():
            samples.setdefault(name, []).append(value)
        print(
            f"round {round_number}: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in measured.items())
            + f", peak {peak / 2**20:.0f} MiB",
            flush=True,
        )

    median = {name: statistics.median(values) for name, values in samples.items()}
    peak_mib = max(peaks) / 2**20
    ratios = [
        ("full_refresh / dbt_build", median["full_refresh"] / median["dbt_build"], "≤ 2"),
        ("noop_refresh / full_refresh", median["noop_refresh"] / median["full_refresh"], "≤ 0.3"),
        ("dagster_dev / import_defs", median["dagster_dev"] / median["import_defs"], "≤ 2"),
        ("full_refresh / floor", median["full_refresh"] / median["floor"], "(information)"),
    ]
    lines = [
        "# Refresh benchmark",
        "",
        f"Machine: {machine()}",
        "",
        f"Medians of {rounds} rounds, measured side by side in one run (`make bench`).",
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
            f"| {name} | {value:.2f} | {target} | "
            f"{'' if target.startswith('(') else ('yes' if value <= float(target.split()[-1]) else 'no')} |"
            for name, value, target in ratios
        ],
        f"| peak memory of a full refresh (MiB, all processes) | {peak_mib:.0f} | ≤ 600 | "
        f"{'yes' if peak_mib <= 600 else 'no'} |",
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    (ROOT / "benchmarks" / "results.md").write_text(table, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
