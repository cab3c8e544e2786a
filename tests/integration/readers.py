"""BI readers in a test: processes that each hold a read-only connection to the published file
and run one query in a loop, keeping every answer and every error, until told to stop."""

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

READER = """
import duckdb, json, pathlib, sys, time
database, stop, out = sys.argv[1:4]
connection = duckdb.connect(database, read_only=True)
seen, errors, answers = set(), [], 0
pathlib.Path(out + ".ready").touch()
while not pathlib.Path(stop).exists():
    try:
        seen.add(connection.execute(sys.argv[4]).fetchone()[0])
        answers += 1
    except Exception as error:
        errors.append(repr(error))
    time.sleep(0.05)
json.dump({"seen": sorted(seen), "errors": errors, "answers": answers}, open(out, "w"))
"""


@contextmanager
def readers_holding(database: Path, sql: str, count: int, folder: Path) -> Iterator[list[dict]]:
    """`count` readers of `database` running `sql` (one value) while the block runs; the list
    yielded holds, after the block, what each saw: {"seen": [values], "errors": [...],
    "answers": n}."""
    stop = folder / "stop-readers"
    outputs = [folder / f"reader{index}.json" for index in range(count)]
    processes = [
        subprocess.Popen([sys.executable, "-c", READER, str(database), str(stop), str(out), sql])
        for out in outputs
    ]
    results: list[dict] = []
    try:
        deadline = time.monotonic() + 60
        while not all(Path(f"{out}.ready").exists() for out in outputs):
            assert time.monotonic() < deadline, "readers did not start"
            assert all(process.poll() is None for process in processes), "a reader failed"
            time.sleep(0.1)
        yield results
    finally:
        stop.touch()
        for process in processes:
            process.wait(timeout=60)
    results.extend(json.loads(out.read_text()) for out in outputs)
