"""How files are named in messages: relative to the project, with forward slashes."""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
