"""Replace a whole output directory at once, or not at all.

A county site must never be served half-built: a build writes into a fresh
directory beside the output (same filesystem, so renames are atomic) and
swaps it in only when everything succeeded. Whatever fails before the swap
leaves the previous output byte-identical.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

#: Middle part of the staging directory's name: ``.site.pufa-new-XXXX``.
STAGING = ".pufa-new-"
BACKUP = ".pufa-old-"


def staging_dir(target: Path) -> Path:
    """A new, empty, hidden directory beside ``target`` to build into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=target.parent))
    # mkdtemp makes it private (0700); as site/ it must be readable by the web server like any new directory.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def seed(staging: Path, target: Path) -> None:
    """Start from the previous output (``--dirty`` builds only rewrite what changed)."""
    if target.is_dir():
        shutil.copytree(target, staging, symlinks=True, dirs_exist_ok=True)


def swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target``; on failure ``target`` is as it was."""
    if not target.exists():
        staging.rename(target)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{target.name}{BACKUP}", dir=target.parent))
    backup.rmdir()  # only the unique name is wanted: rename needs a free path
    target.rename(backup)
    try:
        staging.rename(target)
    except OSError:
        backup.rename(target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
