"""How the live preview notices a save: from the kernel at once where it can, else by polling as MkDocs does.

MkDocs' preview polls every watched folder twice a second, for folders where the system reports no
changes (network and host-shared drives, WSL's Windows drives). On a local disk that costs an edit a
quarter of a second on average before its build even starts, and each poll walks every file of the
county (25 ms at a thousand lessons) while builds run. On Linux, when every watched folder is on a local
filesystem, the preview's watcher is swapped for watchdog's inotify one, which wakes the preview on the
save itself; anywhere else, or when the kernel refuses the watches (its limit reached), polling stays.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

#: Filesystems whose changes the Linux kernel reports to inotify, whoever makes them: local disks and
#: memory. Not nfs, cifs, 9p (WSL's Windows drives, a VM's shared folder) or fuse mounts, where changes
#: made elsewhere are not reported, and polling is the only way to see an edit.
LOCAL_FILESYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs", "zfs", "bcachefs",
                               "tmpfs", "overlay"})


def _unescape(field: str) -> str:
    """A path as /proc/self/mounts writes it (space, tab, newline and backslash as octal escapes)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def filesystem(path: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem ``path`` is on (the longest mount point it lies under; of several mounted on
    one point, the last, which hides the others), or None if unknown."""
    if mounts is None:
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    path = path.resolve()
    found: tuple[int, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(_unescape(fields[1]))
        if (path == point or point in path.parents) and (found is None or len(point.parts) >= found[0]):
            found = (len(point.parts), fields[2])
    return found[1] if found else None


class _PreviewObserver:
    """Mixed into watchdog's inotify observer, to act as MkDocs' poller did.

    It reports only changes: inotify also reports files being opened and read, which every build does,
    and MkDocs builds again on any event. It is started when the swap is made (so that a refused watch
    is known at once and polling can stay); MkDocs' own ``start()`` of its observer is then a no-op.
    """

    def schedule(self, handler: Any, path: str, *, recursive: bool = False, event_filter: Any = None) -> Any:
        from watchdog.events import (EventsLostEvent, FileAttribEvent, FileCreatedEvent, FileDeletedEvent,
                                     FileModifiedEvent, FileMovedEvent)

        changes = [FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent, FileAttribEvent, EventsLostEvent]
        return super().schedule(handler, path, recursive=recursive,  # type: ignore[misc]
                                event_filter=changes if event_filter is None else event_filter)

    def start(self) -> None:
        if not self.is_alive():  # type: ignore[attr-defined]
            super().start()  # type: ignore[misc]


def watch_by_events(server: Any, platform: str = sys.platform) -> bool:
    """Swap the preview server's polling watcher for inotify when every watched folder is on a local disk.

    Called from ``on_serve``, after MkDocs has chosen its watched paths and before its server starts
    (MkDocs' ``LiveReloadServer``: ``observer``, ``watch``, ``unwatch`` and ``_watched_paths``). Says
    whether the swap was made; a folder watched later (``watch:`` in mkdocs.yml) goes to the new watcher.
    """
    watched = dict(getattr(server, "_watched_paths", {}))
    if platform != "linux" or not watched or any(filesystem(Path(path)) not in LOCAL_FILESYSTEMS for path in watched):
        return False
    from watchdog.observers.inotify import InotifyObserver

    observer = type("InotifyPreviewObserver", (_PreviewObserver, InotifyObserver), {})()
    polling = server.observer
    try:
        for path, count in watched.items():  # MkDocs counts a path's watches: each is taken back, then made again
            for _ in range(count):
                server.unwatch(path)
        server.observer = observer
        for path, count in watched.items():
            for _ in range(count):
                server.watch(path)
        observer.start()
    except OSError:  # the kernel's inotify limits: keep polling
        observer.stop()
        server.observer = polling
        server._watched_paths.clear()
        server._watch_refs.clear()
        polling.unschedule_all()
        for path, count in watched.items():
            for _ in range(count):
                server.watch(path)
        return False
    return True
