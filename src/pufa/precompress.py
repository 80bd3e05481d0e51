"""Gzip copies of the built site's text files, for nginx's ``gzip_static``.

Compressing once at build time at the highest level costs the server nothing
per request and cuts a cold lesson load from about 750 KB to about 150 KB.
The copies are deterministic (no time stamp, no file name in the header), so
two builds of the same content give byte-identical files and ``rsync`` copies
only what changed. We use the standard library's zlib at level 9 rather than
zopfli: zopfli saves a further 4-8 % but takes tens of times longer, and every
build (the daily rebuild, each test build) would pay for it.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

#: Suffixes of files that gzip shrinks well; media (mp3, png) is already compressed.
#: Source maps are left out on purpose: browsers only fetch them with the developer tools open.
COMPRESSIBLE = frozenset(
    {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".vtt", ".srt", ".csv"}
)
#: Below this size the gzip header and a second request for the file cost more than they save.
MIN_SIZE = 1024
_GZIP_MAGIC = b"\x1f\x8b"
_FNAME = 0x08


def _gzip(data: bytes) -> bytes:
    # gzip.compress writes no file name, and mtime=0 makes the header independent of the build time.
    return gzip.compress(data, compresslevel=9, mtime=0)


def _is_ours(path: Path) -> bool:
    """A ``.gz`` that precompress could have written: time stamp zero, no file name.

    Only such files are removed when their source is gone, so a ``data.csv.gz``
    an editor publishes as a download (made by ``gzip``, which records the name
    and time) is left alone.
    """
    with path.open("rb") as handle:
        header = handle.read(10)
    return (
        len(header) == 10
        and header[:2] == _GZIP_MAGIC
        and not header[3] & _FNAME
        and header[4:8] == b"\0\0\0\0"
    )


def precompress(site_dir: Path) -> int:
    """Write ``<file>.gz`` beside every compressible file of ``site_dir``; return how many the site has.

    A stale copy is worse than none (nginx would serve old text to every
    browser), so copies of files that are now too small or no longer shrink,
    and copies whose source is gone, are removed.
    """
    written = 0
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        if path.suffix == ".gz":
            source = path.with_suffix("")
            if source.suffix in COMPRESSIBLE and not source.exists() and _is_ours(path):
                path.unlink()
            continue
        if path.suffix not in COMPRESSIBLE:
            continue
        target = path.with_name(path.name + ".gz")
        data = path.read_bytes()
        packed = _gzip(data) if len(data) >= MIN_SIZE else b""
        if not packed or len(packed) >= len(data):
            target.unlink(missing_ok=True)
            continue
        if not (target.is_file() and target.read_bytes() == packed):
            target.write_bytes(packed)
        # The copy carries the source's time, so Last-Modified is the same whichever of the two nginx sends.
        stat = path.stat()
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        written += 1
    return written
