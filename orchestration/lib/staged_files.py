"""The files one publish writes into a folder (the Parquet exports, the open-data files): each
written beside its old one as a hidden `.tmp` file, renamed over it only once the published
DuckDB file is in place, so a failed or killed refresh leaves the previous files as they were
(its `.tmp` files are removed by the next one). Files no longer produced (a table or programme
period gone) are removed then."""

import os
from pathlib import Path
from typing import Any

import orjson


class StagedFiles:
    """The new files of one publish under `root`, staged as temporaries until replace_old_files."""

    def __init__(self, root: Path):
        self.root = root
        self.written: list[Path] = []  # final paths; each written as its temporary first
        self.kept: set[Path] = set()

    @staticmethod
    def temporary(path: Path) -> Path:
        return path.with_name(f".{path.name}.tmp")

    def remove_stale(self) -> None:
        """`.tmp` files a failed or killed refresh left behind."""
        if self.root.exists():
            for stale in self.root.rglob(".*.tmp*"):
                stale.unlink()

    def new(self, path: Path) -> Path:
        """The temporary file to write `path`'s new content into."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.written.append(path)  # first: a file stopped half-way is removed too
        return self.temporary(path)

    def write_json(self, path: Path, content: Any) -> None:
        self.new(path).write_bytes(orjson.dumps(content, option=orjson.OPT_INDENT_2) + b"\n")

    def keep(self, path: Path) -> None:
        self.kept.add(path)

    def discard(self) -> None:
        for path in self.written:
            self.temporary(path).unlink(missing_ok=True)

    def replace_old_files(self) -> None:
        for path in self.written:
            os.replace(self.temporary(path), path)
        current = {*self.written, *self.kept}
        for old in [path for path in self.root.rglob("*") if path.is_file()]:
            if old not in current:
                old.unlink()
        for directory in sorted(self.root.rglob("*"), reverse=True):  # the deepest first
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()
