"""The everyday refresh at scale, side by side (`make bench-everyday`).

The scale benchmark (scale.py) runs each measurement once; on a shared machine one run of a
30-second refresh varies by several seconds. This one measures the target that matters day to
day, the refresh after one agreement changed, at the smallest and the largest size, with the
floor of each, in interleaved rounds (so that the machine's slow and fast moments fall on both
sizes), and compares the medians: one period changed at the largest size <= 2 x its floor + the
start-up (the smallest size's refresh minus its floor). SYNTHETIC registers, one file per
period (orchestration/lib/synthetic_register.py). Writes benchmarks/everyday-results.md. Not a test.

    python benchmarks/scale_everyday.py [--sizes 1000,10000000] [--rounds 5] [--periods 20]
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import machine
from scale import ROOT, change_one_title, measured, target_row

from orchestration.lib.synthetic_register import write_scale_seeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--periods", type=int, default=20)
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]

    refresh = [sys.executable, "-m", "orchestration.cli"]
    prepared = {}
    for rows in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"grants-everyday-{rows}-"))
        register = write_scale_seeds(
            ROOT / "seeds", work / "seeds", rows, arguments.periods, one_file_per_period=True
        )
        (work / "dagster_home").mkdir()
        shutil.copy(ROOT / "dagster_home" / "dagster.yaml", work / "dagster_home")
        env = {
            **os.environ,
            "GRANTS_SEEDS_DIR": str(work / "seeds"),
            "GRANTS_WAREHOUSE_DIR": str(work / "warehouse"),
            "DAGSTER_HOME": str(work / "dagster_home"),
        }
        measured(refresh, env)  # the cold refresh, not measured here (scale.py does)
        prepared[rows] = (work, register, env)

    times: dict[str, list[float]] = {}
    for round_number in range(arguments.rounds):
        for rows, (work, register, env) in prepared.items():
            change_one_title(register[0])
            times.setdefault(f"refresh {rows}", []).append(measured(refresh, env)[0])
            floor = [
                sys.executable,
                str(ROOT / "benchmarks" / "scale_floor.py"),
                str(work / "seeds"),
            ]
            times.setdefault(f"floor {rows}", []).append(measured(floor, env)[0])
        print(
            f"round {round_number + 1}: "
            + ", ".join(f"{name} {values[-1]:.1f} s" for name, values in times.items()),
            flush=True,
        )
    for work, _, _ in prepared.values():
        shutil.rmtree(work, ignore_errors=True)

    median = {name: statistics.median(values) for name, values in times.items()}
    smallest, largest = (
        (rows, median[f"refresh {rows}"], median[f"floor {rows}"]) for rows in (sizes[0], sizes[-1])
    )
    lines = [
        "# The everyday refresh at scale (SYNTHETIC registers)",
        "",
        f"Machine: {machine()}",
        "",
        (
            f"Medians of {arguments.rounds} interleaved rounds (`make bench-everyday`): in each,"
            " one agreement's title changes in the first period's file and the refresh runs"
            f" (`python -m orchestration.cli`), then the floor; {arguments.periods} periods, one"
            " file each."
        ),
        "",
        "| measurement | median (s) | all rounds (s) |",
        "|---|---:|---|",
        *[
            f"| {name} | {median[name]:.2f} | {', '.join(f'{v:.2f}' for v in values)} |"
            for name, values in times.items()
        ],
        "",
        "| target | value | limit | met |",
        "|---|---:|---:|---|",
        target_row("one period changed", smallest, largest),
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    (ROOT / "benchmarks" / "everyday-results.md").write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
