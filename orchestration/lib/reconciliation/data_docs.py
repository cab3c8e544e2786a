"""The validation report a reviewer reads without the Dagster UI: Great Expectations' Data Docs
(static HTML) of the suites a refresh ran, with `checks.json`, each check's outcome as the UI
shows it (PASSED, WARN or ERROR, and its summary).

The checks step writes it into the working folder (`warehouse/build/validation/`), whatever the
outcome; once the warehouse is published, the charts step copies it beside the charts
(`warehouse/reports/validation/`), so that the published report always describes the published
data, and a failed refresh's report stays where `make refresh` says.
"""

import html
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext

SITE_NAME = "validation_report"
OUTCOMES_FILE = "checks.json"
INDEX_FILE = "index.html"


@dataclass(frozen=True)
class CheckSummary:
    """One check's outcome as the report lists it."""

    name: str
    mart: str
    outcome: str  # PASSED, WARN or ERROR
    summary: str


def write_validation_report(
    context: "AbstractDataContext", checks: Sequence[CheckSummary], directory: Path
) -> Path:
    """Build the Data Docs of every suite `context` validated, with `checks.json`, into
    `directory` (replaced whole); returns its index page."""
    staging = _staging(directory)
    try:
        context.add_data_docs_site(
            site_name=SITE_NAME,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(staging),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        context.build_data_docs(site_names=[SITE_NAME])
        (staging / OUTCOMES_FILE).write_text(
            json.dumps([check.__dict__ for check in checks], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        _swap(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory / INDEX_FILE


def copy_validation_report(source: Path, destination: Path) -> Path | None:
    """Copy the report in `source` over `destination` (replaced whole); None when there is no
    report to copy (a warehouse published before reports existed)."""
    if not (source / OUTCOMES_FILE).exists():
        return None
    staging = _staging(destination)
    try:
        shutil.copytree(source, staging)
        _swap(staging, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination / INDEX_FILE


def read_check_summaries(directory: Path) -> list[CheckSummary]:
    return [
        CheckSummary(**check)
        for check in json.loads((directory / OUTCOMES_FILE).read_text(encoding="utf-8"))
    ]


def checks_section_html(directory: Path, link: Path) -> str:
    """An HTML section listing the checks in the report in `directory`, linking to its Data
    Docs at `link` (relative to the page the section goes into)."""
    rows = "".join(
        f"<tr><td>{html.escape(check.name)}</td><td>{html.escape(check.mart)}</td>"
        f"<td class='{check.outcome.lower()}'>{check.outcome}</td>"
        f"<td>{html.escape(check.summary)}</td></tr>"
        for check in read_check_summaries(directory)
    )
    return (
        "<section lang='en' dir='ltr'><h2>Checks of this refresh</h2>"
        f"<p><a href='{html.escape(link.as_posix())}'>Validation report</a> (Great Expectations"
        " Data Docs): every expectation of every suite, what it found, and the registered gaps.</p>"
        "<table><tr><th>Check</th><th>Mart</th><th>Outcome</th><th>Summary</th></tr>"
        f"{rows}</table></section>"
    )


def _staging(directory: Path) -> Path:
    directory.parent.mkdir(parents=True, exist_ok=True)
    return directory.with_name(f".{directory.name}.{uuid.uuid4().hex}.tmp")


def _swap(new: Path, directory: Path) -> None:
    """Put `new` in place of `directory`: a reader sees the old report or the new one, each
    whole (two renames; only the instant between them shows none)."""
    old = directory.with_name(f".{directory.name}.{uuid.uuid4().hex}.old")
    if directory.exists():
        os.replace(directory, old)
    os.replace(new, directory)
    shutil.rmtree(old, ignore_errors=True)
