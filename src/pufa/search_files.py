"""Make Pagefind's bundle byte-identical from one build to the next.

Pagefind writes its filter chunks and the list of filters in its metadata in the
order of a hash map seeded at random in each run, so two builds of the same site
differed in those files, their content-derived names and ``pagefind-entry.json``.
A daily build that changes nothing must change no file (nginx caches, rsync,
reproducible builds), so the lists are put in one order here and the three kinds
of file renamed and rewritten to match.

The files are gzip-compressed CBOR after a signature; only what Pagefind writes is
handled (integers, byte and text strings, arrays, maps), and a file this module
cannot read back exactly is left as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

_SIGNATURE = b"pagefind_dcd"


class _Unsupported(Exception):
    """Something in a file that this small reader does not handle: leave the file alone."""


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """Major type, argument and the offset after the head of the item at ``at``."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise _Unsupported("indefinite length")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    major, value, at = _head(data, at)
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at : at + value]
        return (raw if major == 2 else raw.decode("utf-8")), at + value
    if major in (4, 5):
        items = []
        for _ in range(value * (2 if major == 5 else 1)):
            item, at = _decode(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    raise _Unsupported(f"major type {major}")


def _encode_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise _Unsupported("integer too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise _Unsupported("simple value")
    if isinstance(value, int):
        return _encode_head(0, value) if value >= 0 else _encode_head(1, -1 - value)
    if isinstance(value, bytes):
        return _encode_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    if isinstance(value, list):
        return _encode_head(4, len(value)) + b"".join(map(_encode, value))
    if isinstance(value, dict):
        return _encode_head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise _Unsupported(type(value).__name__)


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise _Unsupported("signature")
    value, end = _decode(data, len(_SIGNATURE))
    if end != len(data) or _SIGNATURE + _encode(value) != data:
        raise _Unsupported("does not read back exactly")
    return value


def _write(path: Path, value: Any) -> None:
    path.write_bytes(gzip.compress(_SIGNATURE + _encode(value), mtime=0))


def _named(old: str, value: Any) -> str:
    """A name derived from ``value``, as long as Pagefind's ``old`` one (``und_3d94c56d327``)."""
    digest = hashlib.sha256(_encode(value)).hexdigest()
    prefix, _, tail = old.rpartition("_")
    return f"{prefix}_{digest[: len(tail)]}"


def _sort_pairs(items: list[Any]) -> list[Any]:
    return sorted(items, key=_encode)


#: Where Pagefind's metadata keeps its filters: [version, pages, index chunks, filters, sorts, meta fields].
_FILTERS = 3


def make_reproducible(bundle: Path) -> None:
    """Put Pagefind's filter lists in a fixed order and rename the files that change with it.

    Everything is read and checked before anything is written, so that a bundle this
    cannot handle stays exactly as Pagefind wrote it.
    """
    entry_path = bundle / "pagefind-entry.json"
    writes: dict[Path, Any] = {}
    stale: set[Path] = set()
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language in entry["languages"].values():
            meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
            meta = _read(meta_path)
            filters = meta[_FILTERS]
            if not all(isinstance(f, list) and len(f) == 2 and isinstance(f[1], str) for f in filters):
                return
            for pair in filters:
                chunk_path = bundle / "filter" / f"{pair[1]}.pf_filter"
                chunk = _read(chunk_path)
                chunk[1] = _sort_pairs(chunk[1])
                pair[1] = _named(pair[1], chunk)
                writes[chunk_path.with_name(f"{pair[1]}.pf_filter")] = chunk
                stale.add(chunk_path)
            meta[_FILTERS] = _sort_pairs(filters)
            language["hash"] = _named(language["hash"], meta)
            writes[meta_path.with_name(f"pagefind.{language['hash']}.pf_meta")] = meta
            stale.add(meta_path)
    except (_Unsupported, OSError, ValueError, KeyError, IndexError, TypeError):
        return
    for path, value in writes.items():
        _write(path, value)
    for path in stale - set(writes):
        path.unlink()
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
