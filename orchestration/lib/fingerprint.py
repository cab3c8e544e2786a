"""What a refresh was made from: one hash over the seeds and the code that turns them into the
warehouse. A refresh whose inputs are the same as the published one's has nothing to do."""

import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, Settings

# Everything besides the seeds whose change can change the published warehouse.
CODE_GLOBS = (
    (DBT_PROJECT_DIR, ("dbt_project.yml", "models/**/*", "macros/**/*", "tests/**/*")),
    (PROJECT_ROOT, ("profiles.yml", "uv.lock", "orchestration/**/*.py")),
)


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks (a register of agreements can be gigabytes)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def files_sha256(hashes: Mapping[str, str]) -> str:
    """One SHA-256 over files' names and SHA-256s (`hashes`), in name order."""
    digest = hashlib.sha256()
    for name, sha in sorted(hashes.items()):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()


# A file modified this recently is read every time: its time may not yet tell a later write
# apart (file times advance by clock ticks), as git treats "racily clean" index entries.
RECENT_SECONDS = 2


def cached_sha256(paths: Iterable[Path], cache_file: Path) -> dict[str, str]:
    """The SHA-256 of each of `paths`, by file name, reusing the hash `cache_file` recorded for
    a file whose size and modification time (in nanoseconds) are still those recorded, as git's
    index does; the others are read, and recorded. A register of agreements can be gigabytes,
    and the sensor looks at it every 30 seconds."""
    try:
        cache = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    hashes, changed = {}, False
    now = time.time_ns()
    for path in paths:
        stat = path.stat()
        key, seen = str(path.resolve()), [stat.st_size, stat.st_mtime_ns]
        entry = cache.get(key)
        if entry is not None and entry[:2] == seen:
            hashes[path.name] = entry[2]
            continue
        hashes[path.name] = file_sha256(path)
        if now - stat.st_mtime_ns > RECENT_SECONDS * 10**9:
            cache[key] = [*seen, hashes[path.name]]
            changed = True
    if changed:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(cache, sort_keys=True))
        os.replace(temporary, cache_file)
    return hashes


def seed_fingerprints(seeds_dir: Path, cache_file: Path) -> dict[str, str]:
    """The SHA-256 of every CSV file in the seeds folder, by file name (`cached_sha256`)."""
    return cached_sha256(sorted(seeds_dir.glob("*.csv")), cache_file)


@dataclass(frozen=True)
class Inputs:
    """What a refresh is made from: the hash over seeds, code and engine (`inputs`), and each
    seed file's own hash (`seeds`), which tells the seed sensor what changed."""

    inputs: str
    seeds: dict[str, str]


def current_inputs(settings: Settings) -> Inputs:
    """The seeds' and the code's hashes now: SHA-256 over every seed CSV and every code file,
    names and contents, in a stable order, and the engine the models run on."""
    seeds = seed_fingerprints(settings.seeds_dir, settings.seed_hashes)
    hashes = {f"seeds/{name}": sha for name, sha in seeds.items()}
    hashes["engine"] = settings.engine
    for root, patterns in CODE_GLOBS:
        for pattern in patterns:
            hashes.update(
                (str(path.relative_to(PROJECT_ROOT)), file_sha256(path))
                for path in sorted(root.glob(pattern))
                if path.is_file()
            )
    return Inputs(files_sha256(hashes), seeds)


def inputs_fingerprint(settings: Settings) -> str:
    return current_inputs(settings).inputs


def record_published_inputs(settings: Settings, inputs: Inputs, run_id: str) -> None:
    """Record, atomically, what the published file and its charts were built from (by the charts
    step, the run's last)."""
    record = {"inputs": inputs.inputs, "seeds": inputs.seeds, "run_id": run_id}
    temporary = settings.published_inputs.with_name(settings.published_inputs.name + ".tmp")
    temporary.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    os.replace(temporary, settings.published_inputs)


def published_inputs(settings: Settings) -> Inputs | None:
    """What the published warehouse was built from, or None if there is none (or no record of
    it, or a record this version cannot read: the next refresh then rebuilds everything)."""
    if not (settings.published_inputs.exists() and settings.published_database.exists()):
        return None
    try:
        record = json.loads(settings.published_inputs.read_text())
        return Inputs(str(record["inputs"]), dict(record["seeds"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def published_fingerprint(settings: Settings) -> str | None:
    """The inputs hash of the published warehouse, or None (`published_inputs`)."""
    published = published_inputs(settings)
    return published.inputs if published else None
