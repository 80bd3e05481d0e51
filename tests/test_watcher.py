"""The preview notices a save from the kernel on a local disk, and polls as MkDocs does anywhere else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.livereload import LiveReloadServer

from pufa.watcher import LOCAL_FILESYSTEMS, filesystem, watch_by_events

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
server:/export /srv/county nfs4 rw 0 0
drvfs /mnt/c 9p rw,noatime 0 0
/dev/vdb /mnt/c/My\\040Drive ext4 rw 0 0
/dev/vdc /srv/county xfs rw 0 0
"""


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/editor/county/content", "ext4"),
    ("/srv/county/content/lessons", "xfs"),  # mounted last on the same point: it hides the nfs share
    ("/srv/county", "xfs"),
    ("/srv/countyside", "ext4"),  # a mount point is a whole path segment, not a prefix of the name
    ("/mnt/c/Users/editor/county", "9p"),
    ("/mnt/c/My Drive/county", "ext4"),  # escaped spaces, and the longest mount point wins
])
def test_the_filesystem_of_a_path_is_its_longest_mount_point(path: str, expected: str) -> None:
    assert filesystem(Path(path), MOUNTS) == expected
    assert filesystem(Path(path), "") is None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    """MkDocs' preview server, not listening (nothing binds before ``serve``), watching a content folder."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "lesson.md").write_text("# 课\n", encoding="utf-8")
    made = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    made.watch(str(tmp_path / "content"))
    made.watch(str(tmp_path / "content"))  # MkDocs counts a path watched twice
    yield made
    made.observer.stop()
    made.server_close()


def _rebuild_wanted(server: Any, seconds: float) -> bool:
    with server._rebuild_cond:
        server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=seconds)
        wanted, server._want_rebuild = server._want_rebuild, False
    return wanted


def test_a_save_on_a_local_disk_wakes_the_preview_and_a_build_reading_files_does_not(server: Any, tmp_path: Path) -> None:
    if filesystem(tmp_path) not in LOCAL_FILESYSTEMS:
        pytest.skip(f"the test folder is on {filesystem(tmp_path)}, which inotify does not watch")
    polling = server.observer
    assert watch_by_events(server)
    assert server.observer is not polling and server.observer.is_alive() and not polling.is_alive()
    assert server._watched_paths == {str(tmp_path / "content"): 2}
    server.observer.start()  # what MkDocs' serve() does next: the watcher is already running
    lesson = tmp_path / "content" / "lesson.md"
    lesson.read_text(encoding="utf-8")  # a build reads every file: no reason to build again
    assert not _rebuild_wanted(server, 0.5)
    lesson.write_text("# 课\n\n改了。\n", encoding="utf-8")
    assert _rebuild_wanted(server, 5)
    (tmp_path / "content" / "new.md").write_text("# 新课\n", encoding="utf-8")
    assert _rebuild_wanted(server, 5)
    lesson.unlink()
    assert _rebuild_wanted(server, 5)
    server.unwatch(str(tmp_path / "content"))
    server.unwatch(str(tmp_path / "content"))
    assert not server._watched_paths


def test_elsewhere_the_preview_keeps_polling(server: Any) -> None:
    polling = server.observer
    assert not watch_by_events(server, platform="darwin")
    assert server.observer is polling


def test_refused_watches_leave_the_preview_polling(server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel's limit on inotify watches reached: the preview polls, watching the same folders."""
    from watchdog.observers.inotify import InotifyObserver

    if filesystem(tmp_path) not in LOCAL_FILESYSTEMS:
        pytest.skip(f"the test folder is on {filesystem(tmp_path)}, which inotify does not watch")

    def refused(self: Any) -> None:
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(InotifyObserver, "start", refused)
    polling = server.observer
    assert not watch_by_events(server)
    assert server.observer is polling and server._watched_paths == {str(tmp_path / "content"): 2}
    polling.start()
    time.sleep(0.1)
    (tmp_path / "content" / "lesson.md").write_text("# 课\n\n改了。\n", encoding="utf-8")
    assert _rebuild_wanted(server, 5)
