"""`make docs`: dbt's documentation site builds offline from the working file, and every mart
and column in it is described."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT, PUBLISHED_MARTS


def test_dbt_docs_generate_offline_describes_every_mart_column(refreshed, tmp_path):
    target = tmp_path / "docs"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "docs",
            "generate",
            "--static",
            "--project-dir",
            "dbt_project",
            "--profiles-dir",
            ".",
            "--target-path",
            str(target),
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "GRANTS_BUILD_DATABASE": str(refreshed.settings.build_database)},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (target / "static_index.html").stat().st_size > 100_000
    catalog = json.loads((target / "catalog.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    marts = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    assert len(marts) == PUBLISHED_MARTS
    for name, node in marts.items():
        assert node["description"].strip(), name
        built = catalog["nodes"][node["unique_id"]]["columns"]
        assert set(built) == set(node["columns"]), name
        for column, spec in node["columns"].items():
            assert spec["description"].strip(), f"{name}.{column}"
