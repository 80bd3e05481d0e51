"""The ``pufa`` command's own failures: files it cannot write, usage errors, its options.

Each ends in a Chinese message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Site
from pufa.cli import main


def run(site: Site, args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(site.root)
    try:
        status = main(args)
    except SystemExit as exit:  # argparse
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


# --- writing files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["report"], ["nginx"]])
@pytest.mark.parametrize("target, reason", [("content", "目录"), ("nope/dir/out.txt", "不存在"),
                                            ("site_config/site.yml/out.txt", "不是目录")])
def test_output_to_an_impossible_place(minisite: Site, command: list[str], target: str, reason: str,
                                       capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    minisite.write("site/index.html", "<!doctype html><html><head><title>t</title></head><body>t</body></html>")  # what nginx needs to find
    status, out = run(minisite, [*command, "-o", target], capsys, monkeypatch)
    assert status == 1 and "Traceback" not in out, out
    assert out.startswith(f"错误：{target}: ") and reason in out, out
    assert not (minisite.root / "nope").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_to_a_full_disk(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = run(minisite, ["report", "-o", "/dev/full"], capsys, monkeypatch)
    assert status == 1 and "/dev/full: 磁盘空间已满" in out, out


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_output_without_permission(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    locked = minisite.root / "locked"
    locked.mkdir(mode=0o500)
    status, out = run(minisite, ["report", "-o", "locked/r.csv"], capsys, monkeypatch)
    assert status == 1 and "locked/r.csv: 没有写入权限" in out, out


def test_output_is_written(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = run(minisite, ["report", "-o", "r.csv"], capsys, monkeypatch)
    assert status == 0 and "已导出 r.csv" in out, out
    assert (minisite.root / "r.csv").read_bytes().startswith("\ufeff".encode())


def test_new_where_a_file_blocks_the_directory(minisite: Site, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (minisite.root / "content/events").mkdir(exist_ok=True)
    (minisite.root / "content/events").rename(minisite.root / "content/events.bak")
    (minisite.root / "content/events").write_text("x", encoding="utf-8")
    status, out = run(minisite, ["new", "event", "--title", "宪法宣传", "--date", "2026-03-10", "--place", "广场",
                                 "--department", "sifaju"], capsys, monkeypatch)
    assert status == 1 and "Traceback" not in out and "不是目录" in out, out
