"""One build's staged output: where the renderer writes, and whether it replaces the site.

The renderer builds into a fresh directory beside the target (:mod:`pufa.atomic`)
and commits it only when everything succeeded; a renderer needs nothing but
:meth:`StagedOutput.begin`, :meth:`commit` and :meth:`abandon`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import atomic


class StagingError(Exception):
    """The staging directory cannot be made; the message is for the user, in Chinese."""


class StagedOutput:
    def __init__(self) -> None:
        self.staging: Path | None = None
        self.target: Path | None = None
        self._restore: Callable[[], None] | None = None

    def begin(self, target: Path, dirty: bool, restore: Callable[[], None] = lambda: None) -> Path:
        """A new directory to build into, seeded with the previous output for ``dirty`` builds.

        ``restore`` runs when the build ends either way (the renderer points itself back at ``target``).
        """
        self.abandon()
        self.target, self._restore = target, restore
        try:
            self.staging = atomic.staging_dir(target)
            if dirty:
                atomic.seed(self.staging, target)
        except OSError as exc:
            raise StagingError(f"mkdocs.yml: site_dir: 无法在 {target.parent} 中建立构建用的临时目录"
                               f"（{exc.strerror}），请检查该目录的写权限和磁盘空间") from None
        return self.staging

    def commit(self) -> bool:
        """Put the new output in place of the old; False when nothing was staged."""
        if self.staging is None or self.target is None:
            return False
        atomic.swap(self.staging, self.target)
        self.staging = None
        self.abandon()
        return True

    def abandon(self) -> None:
        """Drop the new output (if any); the previous one stays byte-identical."""
        if self.staging is not None:
            atomic.discard(self.staging)
        if self._restore is not None:
            self._restore()
        self.staging = self._restore = None
