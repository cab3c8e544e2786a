"""How the refresh scales with a register of grant agreements (`make bench-scale`).

For each size (10^3 to 10^7 agreements, SYNTHETIC: orchestration/lib/synthetic_register.py),
writes a seed folder with the register as one file per period, and measures, one after the other
on the same machine:

    refresh      `python -m orchestration.cli --force` into an empty warehouse (cold): load and
                 validate every seed, dbt build, GX checks, publish (DuckDB file and Parquet),
                 charts
    one period   the refresh again after one agreement's title changed: the everyday case, in
                 which the loader reads the one changed file, the incremental models rebuild
                 its period and the publish step replaces that period only
    floor        the same aggregation and reconciliation in one plain DuckDB process
                 (scale_floor.py): read the register with DuckDB's CSV reader, sum it per period
                 and domain and per period, compare with the headline totals

each with its wall time and peak memory (PSS summed over the process and its children); and
once, first, the cold refresh of the shipped seeds (no register). Prints a markdown table and
the targets:

    cold build   what the cold refresh gains from the smallest size to the largest (the part
                 that grows with rows) <= 5 x the floor at the largest
    fixed cost   the cold refresh at the smallest size (its register in one file per period)
                 <= 1.2 x the cold refresh of the shipped seeds
    one period   at the largest size <= 2 x floor + its start-up at the smallest size
    memory       peak <= 2 GiB at the largest size; time linear in rows

Writes benchmarks/scale-results.md. Not a test: CI does not run it.

    python benchmarks/scale.py [--sizes 1000,10000,...] [--periods 20] [--spark-sizes 1000,...]
                               [--cluster-sizes 1000,...]

For --spark-sizes, also the cold refresh with `--engine spark` (local mode, both cores); for
--cluster-sizes, with `--engine spark-cluster` on a standalone cluster started for that size
(orchestration/lib/spark_cluster.py; its start-up is timed apart), its memory the refresh's
processes and the cluster's together.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import machine, memory_bytes, process_tree

from orchestration.lib import spark_cluster
from orchestration.lib.synthetic_register import write_scale_seeds

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10**3, 10**4, 10**5, 10**6, 10**7)
MEMORY_TARGET_MIB = 2048
# The cold build: its growth from the smallest size to the largest, in floors at the largest.
COLD_GROWTH_TARGET = 5
# The fixed cost: the cold refresh at the smallest size, in cold refreshes of the shipped seeds.
FIXED_COST_TARGET = 1.2
# Linear in rows: the time per row at the two largest sizes differs by at most this factor.
LINEARITY_TARGET = 2
# Linearity is judged from the two largest of at least this many sizes.
SIZES_FOR_LINEARITY = 3


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak PSS (MiB) of `command` and its children, sampled every 0.2 s."""
    return sampled(command, env)[:2]


def sampled(
    command: list[str], env: dict[str, str], cluster: Path | None = None
) -> tuple[float, float, float]:
    """Wall seconds, peak PSS (MiB) of `command` and its children and, with `cluster`, of the
    Spark cluster's processes too, sampled every 0.2 s; and the cluster's own peak (0 without)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = cluster_peak = 0
    while process.poll() is None:
        cluster_pss = memory_bytes(spark_cluster.processes(cluster))[1] if cluster else 0
        peak = max(peak, memory_bytes(process_tree(process.pid))[1] + cluster_pss)
        cluster_peak = max(cluster_peak, cluster_pss)
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()[-3000:]}")
    return seconds, peak / 2**20, cluster_peak / 2**20


def on_cluster(command: list[str], env: dict[str, str], work: Path) -> dict[str, float]:
    """`command` on a Spark cluster started for it under `work` and stopped afterwards."""
    folder = work / "spark-cluster"
    start = time.perf_counter()
    spark_cluster.start(folder)
    try:
        started = time.perf_counter() - start
        seconds, peak, cluster_peak = sampled(command, env, folder)
    finally:
        spark_cluster.stop(folder)
    return {"start": started, "seconds": seconds, "mib": peak, "cluster_mib": cluster_peak}


def work_folder(prefix: str, seeds_from: Path | None = None) -> tuple[Path, dict[str, str]]:
    """A temporary folder with a Dagster instance, and the environment of a refresh there (its
    seeds in `<folder>/seeds`, copied from `seeds_from` if given)."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    if seeds_from is not None:
        shutil.copytree(seeds_from, work / "seeds")
    (work / "dagster_home").mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", work / "dagster_home")
    return work, {
        **os.environ,
        "GRANTS_SEEDS_DIR": str(work / "seeds"),
        "GRANTS_WAREHOUSE_DIR": str(work / "warehouse"),
        "DAGSTER_HOME": str(work / "dagster_home"),
    }


def shipped_seeds_refresh() -> float:
    """Seconds of a cold refresh of the shipped seeds (no register), after a warm-up run (as in
    bench.py: the first run reads every module from disk)."""
    work, env = work_folder("grants-scale-shipped-", seeds_from=ROOT / "seeds")
    refresh = [sys.executable, "-m", "orchestration.cli", "--force"]
    try:
        measured(refresh, env)
        shutil.rmtree(work / "warehouse")
        return measured(refresh, env)[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def change_one_title(register: Path) -> None:
    """Change the first agreement's title in place, one character, the same length each time
    (its first digit becomes #, then % and # in turn): its period's fingerprint changes, every
    figure the checks reconcile stays the same."""
    marker = b",Synthetic project "
    with register.open("r+b") as file:
        head = file.read(1 << 20)
        offset = head.index(marker) + len(marker)
        file.seek(offset)
        file.write(b"%" if head[offset : offset + 1] == b"#" else b"#")


def target_row(
    label: str, smallest: tuple[int, float, float], largest: tuple[int, float, float]
) -> str:
    """The markdown row of the target `refresh <= 2 x floor + start-up` at the largest size,
    the start-up being what the refresh takes beyond the floor at the smallest size; each size
    given as (rows, refresh seconds, floor seconds)."""
    startup = smallest[1] - smallest[2]
    allowed = 2 * largest[2] + startup
    return (
        f"| {label} at {largest[0]:,} rows ≤ 2 × floor + start-up at {smallest[0]:,}"
        f" ({startup:.1f} s) | {largest[1]:.1f} s | {allowed:.1f} s"
        f" | {'yes' if largest[1] <= allowed else 'no'} |"
    )


def cold_growth_row(smallest: dict, largest: dict) -> str:
    """The markdown row of the target: the cold refresh's growth from the smallest size to the
    largest <= COLD_GROWTH_TARGET x the floor at the largest."""
    growth = largest["refresh"][0] - smallest["refresh"][0]
    limit = COLD_GROWTH_TARGET * largest["floor"][0]
    return (
        f"| cold refresh: at {largest['rows']:,} rows − at {smallest['rows']:,} rows"
        f" ({largest['refresh'][0]:.1f} − {smallest['refresh'][0]:.1f} s)"
        f" ≤ {COLD_GROWTH_TARGET} × floor at {largest['rows']:,} ({largest['floor'][0]:.2f} s)"
        f" | {growth:.1f} s ({growth / largest['floor'][0]:.1f} × floor) | {limit:.1f} s"
        f" | {'yes' if growth <= limit else 'no'} |"
    )


def fixed_cost_row(smallest: dict, shipped: float) -> str:
    """The markdown row of the target: the cold refresh at the smallest size <=
    FIXED_COST_TARGET x the cold refresh of the shipped seeds."""
    limit = FIXED_COST_TARGET * shipped
    value = smallest["refresh"][0]
    return (
        f"| fixed cost: cold refresh at {smallest['rows']:,} rows ≤ {FIXED_COST_TARGET} ×"
        f" cold refresh of the shipped seeds ({shipped:.1f} s) | {value:.1f} s"
        f" ({value / shipped:.2f} ×) | {limit:.1f} s | {'yes' if value <= limit else 'no'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "scale-results.md")
    parser.add_argument(
        "--spark-sizes",
        default="",
        help="sizes also refreshed with --engine spark (needs `make spark-env`)",
    )
    parser.add_argument(
        "--cluster-sizes",
        default="",
        help="sizes also refreshed with --engine spark-cluster (needs `make spark-env`)",
    )
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    spark_sizes = {int(size) for size in arguments.spark_sizes.split(",") if size}
    cluster_sizes = {int(size) for size in arguments.cluster_sizes.split(",") if size}

    shipped = shipped_seeds_refresh()
    print(f"shipped seeds: cold refresh {shipped:.1f} s", flush=True)
    results = []
    for rows in sizes:
        work, env = work_folder(f"grants-scale-{rows}-")
        seeds = work / "seeds"
        register = write_scale_seeds(
            ROOT / "seeds", seeds, rows, arguments.periods, one_file_per_period=True
        )
        result = {"rows": rows, "csv": sum(path.stat().st_size for path in register) / 2**20}
        result["floor"] = measured(
            [sys.executable, str(ROOT / "benchmarks" / "scale_floor.py"), str(seeds)], env
        )
        refresh = [sys.executable, "-m", "orchestration.cli", "--force"]
        result["refresh"] = measured(refresh, env)
        change_one_title(register[0])
        result["one_period"] = measured(refresh, env)
        if rows in spark_sizes:
            spark_env = {
                **env,
                "GRANTS_WAREHOUSE_DIR": str(work / "warehouse-spark"),
                "GRANTS_SPARK_MASTER": "local[*]",  # both cores, as DuckDB uses them
            }
            result["spark"] = measured([*refresh, "--engine", "spark"], spark_env)
        if rows in cluster_sizes:
            cluster_env = {**env, "GRANTS_WAREHOUSE_DIR": str(work / "warehouse-cluster")}
            result["cluster"] = on_cluster(
                [*refresh, "--engine", "spark-cluster"], cluster_env, work
            )
        print(
            f"{rows:>10} rows ({result['csv']:.0f} MiB CSV): "
            + ", ".join(
                f"{name} {value[0]:.1f} s {value[1]:.0f} MiB"
                for name, value in result.items()
                if isinstance(value, tuple)
            )
            + (
                ", cluster started in {start:.1f} s, refresh {seconds:.1f} s {mib:.0f} MiB"
                " (cluster {cluster_mib:.0f})".format(**result["cluster"])
                if "cluster" in result
                else ""
            ),
            flush=True,
        )
        results.append(result)
        shutil.rmtree(work, ignore_errors=True)

    smallest, largest = results[0], results[-1]

    def target(name: str, label: str) -> str:
        return target_row(
            label,
            (smallest["rows"], smallest[name][0], smallest["floor"][0]),
            (largest["rows"], largest[name][0], largest["floor"][0]),
        )

    startup = smallest["refresh"][0] - smallest["floor"][0]

    def cell(result, name, unit):
        if name not in result:
            return "—"
        seconds, mib = result[name]
        return f"{seconds:.1f}" if unit == "s" else f"{mib:.0f}"

    def cluster_cell(result, key, form):
        return format(result["cluster"][key], form) if "cluster" in result else "—"

    lines = [
        "# Scale benchmark: a register of grant agreements (SYNTHETIC)",
        "",
        f"Machine: {machine()}",
        "",
        (
            f"One run of each, sizes in turn, {arguments.periods} synthetic periods, 4 domains,"
            " the register as one file per period (`make bench-scale`). Memory is PSS summed"
            " over each command's processes. *refresh*: into an empty warehouse (cold). The"
            f" cold refresh of the shipped seeds (no register), in the same run: {shipped:.1f} s."
            " *one period changed*: the refresh again after one agreement's title changed (the"
            " loader reads that period's file, the incremental models and the publish step"
            " replace that period). *Spark*: the cold refresh with `--engine spark` (dbt-spark,"
            " local mode, `local[*]`). *cluster*: the cold refresh with `--engine spark-cluster`"
            " (dbt-spark over Thrift to a standalone master, two workers of 1 core and 1 GiB and"
            " a Thrift server, started for it: *start* is their start-up, not in the refresh's"
            " time); its peak is every process, the refresh's and the cluster's, *of which"
            " cluster* the cluster's JVMs alone."
        ),
        "",
        (
            "| agreements | CSV (MiB) | refresh (s) | refresh peak (MiB) | one period changed (s)"
            " | one period peak (MiB) | Spark refresh (s) | Spark peak (MiB)"
            " | cluster start (s) | cluster refresh (s) | cluster peak (MiB)"
            " | of which cluster (MiB) | floor (s) | floor peak (MiB) | refresh / floor"
            " | refresh s per 10^6 rows |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r['rows']:,} | {r['csv']:.0f} | {cell(r, 'refresh', 's')}"
            f" | {cell(r, 'refresh', 'mib')} | {cell(r, 'one_period', 's')}"
            f" | {cell(r, 'one_period', 'mib')}"
            f" | {cell(r, 'spark', 's')} | {cell(r, 'spark', 'mib')}"
            f" | {cluster_cell(r, 'start', '.1f')} | {cluster_cell(r, 'seconds', '.1f')}"
            f" | {cluster_cell(r, 'mib', '.0f')} | {cluster_cell(r, 'cluster_mib', '.0f')}"
            f" | {r['floor'][0]:.2f} | {r['floor'][1]:.0f}"
            f" | {r['refresh'][0] / r['floor'][0]:.1f}"
            f" | {(r['refresh'][0] - startup) / r['rows'] * 1e6:.1f} |"
            for r in results
        ],
        "",
        "| target | value | limit | met |",
        "|---|---:|---:|---|",
        target("one_period", "one period changed"),
        cold_growth_row(smallest, largest),
        fixed_cost_row(smallest, shipped),
        (
            f"| peak memory at {largest['rows']:,} rows | {largest['refresh'][1]:.0f} MiB"
            f" | {MEMORY_TARGET_MIB} MiB"
            f" | {'yes' if largest['refresh'][1] <= MEMORY_TARGET_MIB else 'no'} |"
        ),
    ]
    if len(results) >= SIZES_FOR_LINEARITY:
        # Linear: the time per row above the start-up, at the two largest sizes (below them the
        # rows' share of the time is within the start-up's run-to-run noise of a second or two).
        per_row = [(r["refresh"][0] - startup) / r["rows"] for r in results[-2:]]
        spread = max(per_row) / min(per_row)
        lines.append(
            f"| time linear in rows (s per row above start-up at {results[-2]['rows']:,} and"
            f" {results[-1]['rows']:,} rows: max / min) | {spread:.2f} | {LINEARITY_TARGET}"
            f" | {'yes' if spread <= LINEARITY_TARGET else 'no'} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    arguments.output.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
