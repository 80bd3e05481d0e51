"""How files are named in messages: relative to the project, with forward slashes."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path, root: Path) -> str:
    """The path as the editor sees it: a symlink is named by its own place, not its target's."""
    lexical = Path(os.path.normpath(path.absolute()))
    for candidate, base in ((lexical, Path(os.path.normpath(root.absolute()))), (path.resolve(), root.resolve())):
        try:
            return candidate.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()
