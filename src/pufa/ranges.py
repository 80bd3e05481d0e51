"""HTTP byte ranges for the preview server (``mkdocs serve``, ``make serve``).

A browser seeks in an audio file by asking for the bytes from that point on
(``Range: bytes=N-``). MkDocs' preview server always answers with the whole
file and no ``Accept-Ranges``, so Chromium cannot seek: a tap on a transcript
time starts the episode again from the beginning. This WSGI wrapper answers a
single byte range of any file the server sends whole, with ``206 Partial
Content``; everything else passes through unchanged. nginx (docs/deploy.md)
serves ranges itself. Plain WSGI, no MkDocs import: the plugin wraps the
server's application with it in ``on_serve``, which MkDocs calls only when
live reloading is on (its default; not with ``mkdocs serve --no-livereload``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

#: A single range; several ranges in one request (multipart answers) get the whole file.
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 64 * 1024

StartResponse = Callable[..., Any]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte positions, inclusive; None for no usable single range.

    Raises ValueError for a range that lies wholly past the end (the answer is 416).
    """
    match = _RANGE.fullmatch(header.strip())
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None  # malformed: ignored, as RFC 9110 allows
    else:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or size == 0:
        raise ValueError(header)
    return start, end


def _slice(handle: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def with_ranges(app: App) -> App:
    """``app`` that also answers ``Range`` requests for the files it sends whole."""

    def ranged(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.update(status=status, headers=headers)
            return lambda data: None  # the write() callable; MkDocs' server never uses it

        body = app(environ, capture)
        status, headers = captured["status"], captured["headers"]
        names = {name.lower(): value for name, value in headers}
        handle = getattr(body, "filelike", None)  # wsgiref's FileWrapper around the open file
        if not status.startswith("200") or handle is None or "content-length" not in names:
            start_response(status, headers)
            return body
        size = int(names["content-length"])
        headers = [*headers, ("Accept-Ranges", "bytes")]
        try:
            span = parse_range(environ.get("HTTP_RANGE", ""), size)
        except ValueError:
            handle.close()
            start_response("416 Range Not Satisfiable", [("Content-Range", f"bytes */{size}"), ("Content-Length", "0")])
            return []
        if span is None:
            start_response(status, headers)
            return body
        start, end = span
        kept = [(name, value) for name, value in headers if name.lower() != "content-length"]
        kept += [("Content-Range", f"bytes {start}-{end}/{size}"), ("Content-Length", str(end - start + 1))]
        start_response("206 Partial Content", kept)
        return _slice(handle, start, end - start + 1)

    return ranged
