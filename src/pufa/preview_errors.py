"""The live preview when content is wrong: the error list in the browser, not a page that hangs.

MkDocs' development server, after a failed rebuild, prints a traceback and holds
every request until a build succeeds: the editor's browser spins with no word of
what is wrong. :func:`guard` wraps the server (by duck typing: MkDocs 1.6's
``LiveReloadServer``, whose ``builder``, ``_serve_request``, ``_epoch_cond``,
``_wanted_epoch``, ``_visible_epoch`` and ``_inject_js_into_html`` it uses) so that
a failed rebuild is reported once in Chinese in the terminal, every page then
shows the same list, and the page reloads by itself once a save fixes it.
"""

from __future__ import annotations

import logging
from typing import Any

from markupsafe import escape

log = logging.getLogger("mkdocs.plugins.pufa")

#: Said by MkDocs itself when a build fails for a reason no plugin reported.
_FALLBACK = "构建失败，请查看终端中的信息。"


class Preview:
    """What the last build in ``mkdocs serve`` found wrong; None while it is fine."""

    def __init__(self) -> None:
        self.error: str | None = None

    def guard(self, server: Any) -> Any:
        original_build = server.builder
        original_serve = server._serve_request

        def builder(*args: Any, **kwargs: Any) -> None:
            self.error, said = None, _Said()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(said)
            try:
                original_build(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - whatever failed, the preview must go on and say so
                self.error = "\n".join(said.messages) or str(exc) or _FALLBACK
                log.error("pufa: 预览未更新：浏览器中的页面显示上面的错误，修改并保存后自动刷新")
                with server._epoch_cond:  # release the requests MkDocs holds until a build succeeds
                    server._visible_epoch = server._wanted_epoch
                    server._epoch_cond.notify_all()
            finally:
                logger.removeHandler(said)

        def serve(environ: dict[str, Any], start_response: Any) -> Any:
            path = environ.get("PATH_INFO", "")
            if self.error is None or path.startswith("/livereload/") or not _is_page(path):
                return original_serve(environ, start_response)
            with server._epoch_cond:
                epoch = server._visible_epoch
            body = server._inject_js_into_html(error_page(self.error).encode("utf-8"), epoch)
            start_response("500 Internal Server Error",
                           [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
            return [body]

        server.builder = builder
        server._serve_request = serve
        return server


class _Said(logging.Handler):
    """What the build said at warning level or above: the Chinese error list a failed build logged
    (strict mode fails on warnings)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


def error_page(report: str) -> str:
    """A self-contained Chinese page listing ``report``'s lines (each ``文件:行号: 字段: 说明``)."""
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in report.splitlines() if line.strip())
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>内容有误，预览未更新</title>'
        "<style>body{font:16px/1.6 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}"
        "h1{color:#b71c1c;font-size:1.4rem}li{margin:.4rem 0}code{white-space:pre-wrap;word-break:break-all}</style>"
        "</head><body><h1>内容有误，预览未更新</h1>"
        "<p>最近一次保存后，网站无法构建。请按下列提示修改（文件:行号: 字段: 说明），保存后此页会自动刷新。</p>"
        f'<ol id="pufa-preview-errors">{items}</ol></body></html>'
    )
