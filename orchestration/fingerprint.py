"""What a refresh was made from: one hash over the seeds and the code that turns them into the
warehouse. A refresh whose inputs are the same as the published one's has nothing to do."""

import hashlib

from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, Settings

# Everything besides the seeds whose change can change the published warehouse.
CODE_GLOBS = (
    (DBT_PROJECT_DIR, ("dbt_project.yml", "models/**/*", "macros/**/*", "tests/**/*")),
    (PROJECT_ROOT, ("profiles.yml", "uv.lock", "orchestration/**/*.py")),
)


def inputs_fingerprint(settings: Settings) -> str:
    """SHA-256 over every seed CSV and every code file, names and contents, in a stable order."""
    digest = hashlib.sha256()
    files = [(f"seeds/{p.name}", p) for p in sorted(settings.seeds_dir.glob("*.csv"))]
    for root, patterns in CODE_GLOBS:
        for pattern in patterns:
            files.extend(
                (str(p.relative_to(PROJECT_ROOT)), p)
                for p in sorted(root.glob(pattern))
                if p.is_file()
            )
    for name, path in files:
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def published_fingerprint(settings: Settings) -> str | None:
    """The inputs of the published warehouse, or None if there is none (or no record of them)."""
    record = settings.published_inputs
    if not (record.exists() and settings.published_database.exists()):
        return None
    return record.read_text().strip() or None
