"""``pufa serve``: MkDocs' live preview on a port the editor chooses, under the site's sub-path.

``mkdocs serve`` alone mounts the preview at the path of ``mkdocs.yml``'s ``site_url``,
which a county leaves empty (its address lives in ``site_config/site.yml``), so a site
published under ``/pufa/`` was previewed at ``/``; and a busy port ended in a raw
``OSError``. This wrapper hands MkDocs the configured address and explains a port it
cannot use, in Chinese, before building and again if binding fails after all (another
program may take the port meanwhile).

Like :mod:`pufa.plugin`, an adapter: MkDocs is imported only when a preview starts,
so the content core and ``pufa check`` never load it.
"""

from __future__ import annotations

import errno
import gc
import ipaddress
import logging
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .preview_errors import Preview
from .ranges import with_ranges
from .watcher import watch_by_events

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: What binding a port can fail with, besides a host name that does not resolve.
BIND_ERRORS = {errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL}


class PreviewError(Exception):
    """The preview cannot start; the message is Chinese and says what to do."""


def port_problem(host: str, port: int) -> str | None:
    """Why a preview cannot listen on ``host:port``, or None when it can.

    Binds the way MkDocs' server does (``SO_REUSEADDR``, so a port a previous preview
    has just left is not called busy) and lets go at once.
    """
    family = socket.AF_INET
    try:
        if isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address):
            family = socket.AF_INET6
    except ValueError:
        pass  # a host name: resolved by bind, like MkDocs does
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return explain(exc, host, port)
    return None


def preview_server(server: Any, host: str, port: int) -> Any:
    """MkDocs' preview server (``on_serve``), checked and wrapped before it binds its port after the first build.

    A port taken meanwhile raises :class:`PreviewError`; the application answers byte ranges, so a tap on a
    transcript time seeks the audio as on nginx (:mod:`pufa.ranges`); a failed rebuild shows its errors in the
    browser (:mod:`pufa.preview_errors`); a save on a local disk is noticed at once (:mod:`pufa.watcher`)."""
    if (problem := port_problem(host, port)) is not None:
        raise PreviewError(problem)
    watch_by_events(server)
    server.set_app(with_ranges(server.get_app()))
    return Preview().guard(server)  # content errors shown in the browser page, not a page that hangs


def explain(exc: OSError, host: str, port: int) -> str:
    """A failed bind, said in Chinese with what to do."""
    other = port + 1 if port < 65535 else 8000
    if exc.errno == errno.EADDRINUSE:
        return (f"端口 {port} 已被占用（也许另一个预览还开着）：请先关掉它（在它的窗口按 Ctrl+C），"
                f"或换一个端口，如 make serve PORT={other} 或 pufa serve --port {other}")
    if exc.errno == errno.EACCES:
        return f"没有权限使用端口 {port}（1024 以下的端口要管理员权限）：请换一个 1024 以上的端口，如 --port 8000"
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return (f"本机没有地址 {host}：只在本机预览请用 127.0.0.1（默认），"
                "要让局域网里别的电脑也能打开请用 0.0.0.0")
    return f"无法在 {host}:{port} 上启动预览（系统错误 {exc.errno}）：请换一个端口，如 --port {other}"


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns, in English, that a dirty build may leave pages stale: pufa decides which pages
    to render again (:mod:`pufa.incremental`), so none is. Dropped where it is logged, so that no
    handler sees it: ``strict: true`` (every pufa site has it) counts warnings, and this one stopped
    the preview before it started."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextmanager
def _mkdocs_logging() -> Iterator[None]:
    """What the ``mkdocs`` command sets up before running one: its messages, our errors among
    them, on the terminal. Undone afterwards, for whoever called us in the same process."""
    from mkdocs.__main__ import ColorFormatter

    logger = logging.getLogger("mkdocs")
    saved = logger.level, logger.propagate
    stream = logging.StreamHandler()
    stream.setFormatter(ColorFormatter())
    building = logging.getLogger("mkdocs.commands.build")
    building.addFilter(_not_dirty_warning)
    logger.addHandler(stream)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        building.removeFilter(_not_dirty_warning)
        logger.removeHandler(stream)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


@contextmanager
def _stopped_like_ctrl_c() -> Iterator[None]:
    """A preview told to stop (``kill``, a closed terminal window) stops as on Ctrl+C: MkDocs then
    removes the site it built in the system's temporary folder (a hundred megabytes at a thousand
    lessons), which a preview ended by the default handlers left behind, once per preview."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    saved = {number: signal.signal(number, stop) for number in wanted}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def serve(config_file: Path, site_url: str, host: str, port: int, *, open_browser: bool = False) -> None:
    """Build and serve the site with live reload until Ctrl+C; raises :class:`PreviewError`."""
    if (problem := port_problem(host, port)) is not None:
        raise PreviewError(problem)
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, MkDocsException

    # This process keeps a county's items and pages from one save to the next: a heap of millions of
    # objects, which a full collection walks for half a second. Collecting young objects less often
    # (Python's default is every 700 allocations) makes the full collections, and their pauses in a
    # save's build, rare (measured at a thousand lessons: 0.05 s of collection a save, from up to 1 s).
    gc.set_threshold(100_000, 50, 100)
    try:
        with _mkdocs_logging(), _stopped_like_ctrl_c():
            # site_url sets the path MkDocs mounts the preview under (and the links of its 404 page);
            # a dirty build keeps the pages whose inputs did not change (pufa.incremental).
            mkdocs_serve(str(config_file), open_in_browser=open_browser, dev_addr=f"{host}:{port}", site_url=site_url,
                         build_type="dirty")
    except OSError as exc:
        if exc.errno in BIND_ERRORS or isinstance(exc, socket.gaierror):  # the port was taken after the check
            raise PreviewError(explain(exc, host, port)) from None
        raise PreviewError(f"预览中止：{exc.strerror or exc}（系统错误 {exc.errno}），请检查磁盘和文件权限后重试") from None
    except KeyboardInterrupt:
        return  # stopped during the first build: MkDocs has removed what it built, as after serving
    except Abort:
        raise PreviewError("预览没有启动：请先改正上面列出的问题") from None
    except MkDocsException as exc:
        raise PreviewError(f"{config_file.name} 有误，预览没有启动：{exc.format_message()}") from None
