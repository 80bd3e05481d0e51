"""Precompressed copies for nginx's gzip_static (src/pufa/precompress.py)."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

from pufa.precompress import MIN_SIZE, precompress

TEXT = ("<p>宪法是国家的根本法，是治国安邦的总章程。</p>\n" * 200).encode("utf-8")


def _site(root: Path) -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "index.html").write_bytes(TEXT)
    (root / "lessons" / "feed.xml").write_bytes(TEXT)
    (root / "small.css").write_bytes(b"body{color:red}")
    (root / "audio.mp3").write_bytes(TEXT)  # not a text type, however well it would shrink
    (root / "bundle.min.js.map").write_bytes(TEXT)
    (root / "random.json").write_bytes(random.Random(1).randbytes(4096))  # does not shrink
    return root


def test_writes_gzip_beside_compressible_files(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    assert precompress(site) == 2
    for name in ("index.html", "lessons/feed.xml"):
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == (site / name).read_bytes()
        assert (site / f"{name}.gz").stat().st_mtime_ns == (site / name).stat().st_mtime_ns
    for name in ("small.css", "audio.mp3", "bundle.min.js.map", "random.json"):
        assert not (site / f"{name}.gz").exists(), name
    assert len((site / "index.html.gz").read_bytes()) < len(TEXT) // 5


def test_output_is_deterministic_and_level_9(tmp_path: Path) -> None:
    first, second = _site(tmp_path / "a"), _site(tmp_path / "b")
    precompress(first)
    precompress(second)
    packed = (first / "index.html.gz").read_bytes()
    assert packed == (second / "index.html.gz").read_bytes()
    assert packed[3] == 0, "no file name or other optional header fields"
    assert packed[4:8] == b"\0\0\0\0", "time stamp zero"
    assert packed[8] == 2, "XFL 2: maximum compression"


def test_stale_copies_are_removed(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    precompress(site)
    (site / "lessons" / "feed.xml").unlink()
    (site / "index.html").write_bytes(b"<p>short</p>")
    assert MIN_SIZE > len(b"<p>short</p>")
    assert precompress(site) == 0
    assert not (site / "lessons" / "feed.xml.gz").exists()
    assert not (site / "index.html.gz").exists(), "a copy of the old, longer page would be served"


def test_foreign_gzip_files_are_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    download = site / "data.csv.gz"
    with gzip.GzipFile(filename="data.csv", mode="wb", fileobj=download.open("wb"), mtime=1_700_000_000) as handle:
        handle.write(TEXT)
    archive = site / "backup.tar.gz"
    archive.write_bytes(gzip.compress(TEXT, mtime=0))
    precompress(site)
    assert download.exists() and archive.exists()


def test_changed_source_replaces_its_copy(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    precompress(site)
    (site / "index.html").write_bytes(TEXT + TEXT)
    precompress(site)
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == TEXT + TEXT
