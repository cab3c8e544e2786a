"""How the refresh scales with a register of grant agreements (`make bench-scale`).

For each size (10^3 to 10^7 agreements, SYNTHETIC: benchmarks/synthetic_ledger.py), writes a seed
folder and measures, one after the other on the same machine:

    refresh  `python -m orchestration.cli --force`: load and validate every seed, dbt build,
             GX checks, publish (DuckDB file and Parquet), charts
    floor    the same aggregation and reconciliation in one plain DuckDB process (scale_floor.py):
             read the register with DuckDB's CSV reader, sum it per period and domain and per
             period, compare with the headline totals

each with its wall time and peak memory (PSS summed over the process and its children). Prints
a markdown table and the targets: at the largest size, refresh <= 2 x floor + the fixed
start-up measured at the smallest; time linear in rows; peak memory <= 2 GiB. Writes
benchmarks/scale-results.md. Not a test: CI does not run it.

    python benchmarks/scale.py [--sizes 1000,10000,...] [--periods 100]
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

from bench import machine, tree_memory_bytes
from synthetic_ledger import write_scale_seeds

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10**3, 10**4, 10**5, 10**6, 10**7)
MEMORY_TARGET_MIB = 2048


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak PSS (MiB) of `command` and its children, sampled every 0.2 s."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory_bytes(process.pid)[1])
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()[-3000:]}")
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument("--periods", type=int, default=20)
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]

    results = []
    for rows in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"grants-scale-{rows}-"))
        seeds = work / "seeds"
        write_scale_seeds(ROOT / "seeds", seeds, rows, arguments.periods)
        (work / "dagster_home").mkdir()
        shutil.copy(ROOT / "dagster_home" / "dagster.yaml", work / "dagster_home")
        env = {
            **os.environ,
            "GRANTS_SEEDS_DIR": str(seeds),
            "GRANTS_WAREHOUSE_DIR": str(work / "warehouse"),
            "DAGSTER_HOME": str(work / "dagster_home"),
        }
        floor = measured(
            [sys.executable, str(ROOT / "benchmarks" / "scale_floor.py"), str(seeds)], env
        )
        refresh = measured([sys.executable, "-m", "orchestration.cli", "--force"], env)
        csv_mib = (seeds / "grant_agreements.csv").stat().st_size / 2**20
        results.append((rows, csv_mib, *refresh, *floor))
        print(
            f"{rows:>10} rows ({csv_mib:.0f} MiB CSV): refresh {refresh[0]:.1f} s"
            f" {refresh[1]:.0f} MiB, floor {floor[0]:.1f} s {floor[1]:.0f} MiB",
            flush=True,
        )
        shutil.rmtree(work, ignore_errors=True)

    smallest, largest = results[0], results[-1]
    startup = smallest[2] - smallest[4]  # the refresh's fixed cost beyond the floor's work
    allowed = 2 * largest[4] + startup
    lines = [
        "# Scale benchmark: a register of grant agreements (SYNTHETIC)",
        "",
        f"Machine: {machine()}",
        "",
        f"One run of each, sizes in turn, {arguments.periods} synthetic periods, 4 domains"
        " (`make bench-scale`). Memory is PSS summed over each command's processes.",
        "",
        "| agreements | CSV (MiB) | refresh (s) | refresh peak (MiB) | floor (s) | floor peak (MiB)"
        " | refresh / floor | refresh s per 10^6 rows |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {rows:,} | {csv:.0f} | {r_s:.1f} | {r_m:.0f} | {f_s:.2f} | {f_m:.0f}"
            f" | {r_s / f_s:.1f} | {(r_s - startup) / rows * 1e6:.1f} |"
            for rows, csv, r_s, r_m, f_s, f_m in results
        ],
        "",
        "| target | value | limit | met |",
        "|---|---:|---:|---|",
        f"| refresh at {largest[0]:,} rows ≤ 2 × floor + start-up at {smallest[0]:,}"
        f" ({startup:.1f} s) | {largest[2]:.1f} s | {allowed:.1f} s"
        f" | {'yes' if largest[2] <= allowed else 'no'} |",
        f"| peak memory at {largest[0]:,} rows | {largest[3]:.0f} MiB | {MEMORY_TARGET_MIB} MiB"
        f" | {'yes' if largest[3] <= MEMORY_TARGET_MIB else 'no'} |",
    ]
    if len(results) >= 3:
        # Linear: the time per row above the start-up, at the two largest sizes (below them the
        # rows' share of the time is within the start-up's run-to-run noise of a second or two).
        per_row = [(r_s - startup) / rows for rows, _, r_s, *_ in results[-2:]]
        spread = max(per_row) / min(per_row)
        lines.append(
            f"| time linear in rows (s per row above start-up at {results[-2][0]:,} and"
            f" {results[-1][0]:,} rows: max / min) | {spread:.2f} | 2"
            f" | {'yes' if spread <= 2 else 'no'} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    (ROOT / "benchmarks" / "scale-results.md").write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
