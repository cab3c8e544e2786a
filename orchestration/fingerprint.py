"""What a refresh was made from: one hash over the seeds and the code that turns them into the
warehouse. A refresh whose inputs are the same as the published one's has nothing to do."""

import hashlib
from collections.abc import Mapping
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


def seed_fingerprints(seeds_dir: Path) -> dict[str, str]:
    """The SHA-256 of every CSV file in the seeds folder, by file name."""
    return {path.name: file_sha256(path) for path in sorted(seeds_dir.glob("*.csv"))}


def inputs_fingerprint(settings: Settings) -> str:
    """SHA-256 over every seed CSV and every code file, names and contents, in a stable order,
    and the engine the models run on."""
    hashes = {f"seeds/{name}": sha for name, sha in seed_fingerprints(settings.seeds_dir).items()}
    hashes["engine"] = settings.engine
    for root, patterns in CODE_GLOBS:
        for pattern in patterns:
            hashes.update(
                (str(path.relative_to(PROJECT_ROOT)), file_sha256(path))
                for path in sorted(root.glob(pattern))
                if path.is_file()
            )
    return files_sha256(hashes)


def published_fingerprint(settings: Settings) -> str | None:
    """The inputs of the published warehouse, or None if there is none (or no record of them)."""
    record = settings.published_inputs
    if not (record.exists() and settings.published_database.exists()):
        return None
    return record.read_text().strip() or None
