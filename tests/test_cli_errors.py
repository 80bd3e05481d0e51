"""The ``pufa`` command's own failures: files it cannot write, usage errors, its options.

Each ends in a Chinese message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import Site
from pufa.cli import USAGE_ERRORS, translate_usage_error
from test_redteam import run_cli as run


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


# --- usage errors ----------------------------------------------------------------------------------

NEW_LESSON = ["new", "lesson", "--title", "标题", "--topic", "xianfa", "--department", "sifaju"]


@pytest.mark.parametrize("args, expected", [
    (["frobnicate"], "参数 命令：没有 'frobnicate' 这一项，可选：'check', 'report', 'nginx', 'serve', 'new'"),
    (["new", "poem"], "参数 类型：没有 'poem' 这一项，可选："),
    ([], "缺少必填的参数：命令"),
    (["new"], "缺少必填的参数：类型"),
    (["new", "lesson", "--topic", "xianfa"], "缺少必填的参数：--title, --department"),
    (["check", "--bogus", "x"], "不认识的参数：--bogus x，请用 -h 查看用法"),
    (["report", "-o"], "参数 -o/--output：后面要跟一个值"),
    (["new", "episode", "--title", "t", "--topic", "xianfa", "--department", "sifaju", "--number", "七"],
     "参数 --number：'七' 不是整数"),
    (["new", "episode", "--titl", "t"], "缺少必填的参数"),
    (["nginx", "--s", "x"], "选项 --s 不明确，可能是 --site-dir, --served-from，请写全"),
    (["--help=x"], "参数 -h/--help：此选项后面不能跟值 'x'"),
])
def test_usage_errors_are_chinese(minisite: Site, args: list[str], expected: str, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = run(minisite, args, capsys, monkeypatch)
    assert status == 2 and "Traceback" not in out, out
    assert out.startswith("用法：") and "usage" not in out, out
    error = out.splitlines()[-1]
    assert error.startswith("pufa") and "错误：" in error and expected in error, out
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", error.split("错误：", 1)[1]), error  # no English phrase left


def test_every_usage_template_is_translated() -> None:
    """Each template, filled in, comes back Chinese with its values (a typo in a pattern would leave it English)."""
    for english in USAGE_ERRORS:
        filled = re.sub(r"%\((\w+)\)[sr]", "X", english).replace("%s", "Y").replace("%r", "'Z'")
        chinese = translate_usage_error(filled)
        assert chinese != filled and not re.search(r"[a-z]{4,}", chinese.replace("X", "")), (english, chinese)


def test_nested_argument_errors_are_translated() -> None:
    assert translate_usage_error("argument -o/--output: expected one argument") == "参数 -o/--output：后面要跟一个值"
    assert translate_usage_error("something new") == "something new"


# --- pufa new refuses what its own check would reject ----------------------------------------------

@pytest.mark.parametrize("title", ["a\x07b", "宪法\u202e日", "\u200b\u200d"])
def test_new_refuses_a_title_the_schema_refuses(minisite: Site, title: str, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for kind, extra in [("lesson", ["--topic", "xianfa", "--department", "sifaju", "--slug", "refused"]),
                        ("month", ["--month", "2026-09"]),
                        ("episode", ["--topic", "xianfa", "--department", "sifaju"]),
                        ("event", ["--date", "2026-05-01", "--place", "广场", "--department", "sifaju", "--slug", "refused"])]:
        before = sorted((minisite.root / "content").rglob("*"))
        status, out = run(minisite, ["new", kind, "--title", title, *extra], capsys, monkeypatch)
        assert status == 1 and "Traceback" not in out, out
        assert out.startswith("错误：--title: ") and re.search(r"[\u4e00-\u9fff]", out.split("--title: ", 1)[1]), out
        assert sorted((minisite.root / "content").rglob("*")) == before, kind


def test_new_refuses_a_place_the_schema_refuses(minisite: Site, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = run(minisite, ["new", "event", "--title", "普法", "--date", "2026-05-01", "--place", "广\x1b场",
                                 "--department", "sifaju"], capsys, monkeypatch)
    assert status == 1 and out.startswith("错误：--place: "), out


def test_new_lesson_refuses_a_taken_url(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = run(minisite, [*NEW_LESSON, "--slug", "guojia-xianfa-ri"], capsys, monkeypatch)
    assert status == 1, out
    assert out == ("错误：--slug: 网址 /lessons/xianfa/guojia-xianfa-ri/ 已被 content/lessons/xianfa/xianfa-ri.md 使用："
                   "请换一个不重复的值\n"), out
    assert not (minisite.root / "content/lessons/xianfa/guojia-xianfa-ri.md").exists()


def test_new_episode_refuses_a_taken_number(minisite: Site, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (minisite.root / "content/radio/ep001.md").rename(minisite.root / "content/radio/first.md")
    status, out = run(minisite, ["new", "episode", "--title", "又一期", "--topic", "xianfa", "--department", "sifaju",
                                 "--number", "1"], capsys, monkeypatch)
    assert status == 1 and out.startswith("错误：--number: 网址 ") and "content/radio/first.md" in out, out
    assert not (minisite.root / "content/radio/ep001.md").exists()
    status, out = run(minisite, ["new", "episode", "--title", "又一期", "--topic", "xianfa", "--department", "sifaju"],
                      capsys, monkeypatch)
    assert status == 0 and "已创建 content/radio/ep002.md" in out, out


def test_new_event_refuses_a_taken_slug(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    events = minisite.root / "content/events"
    (events / "2026-03-10-xianfa-jinxiaoyuan.md").rename(events / "renamed.md")
    status, out = run(minisite, ["new", "event", "--title", "宪法进校园", "--date", "2026-03-10", "--place", "一中",
                                 "--department", "sifaju"], capsys, monkeypatch)
    assert status == 1 and out.startswith("错误：--slug: 网址 ") and "content/events/renamed.md" in out, out
    assert sorted(path.name for path in events.iterdir()) == ["renamed.md"]


def test_new_files_pass_check(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What the vetting lets through is what check accepts, placeholders apart."""
    for args in [[*NEW_LESSON, "--slug", "xin-ke"], ["new", "month", "--month", "2026-09", "--title", "九月"],
                 ["new", "event", "--title", "普法", "--date", "2026-05-01", "--place", "广场", "--department", "sifaju"]]:
        status, out = run(minisite, args, capsys, monkeypatch)
        assert status == 0 and "已创建" in out, out
    status, out = run(minisite, ["check"], capsys, monkeypatch)
    assert "Traceback" not in out
    assert all("占位文字" in line for line in out.splitlines() if line.startswith("content/")), out
