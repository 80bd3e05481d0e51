"""Publishing safely: whole-site swaps, spreadsheet-safe CSV, `pufa new`, drafts and scheduling.

Builds run in-process (``mkdocs.commands.build.build``) on the minisite; the
CLI runs in-process through ``pufa.cli.main``.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from conftest import Site
from corpus import EPISODE, LESSON, MONTH, Case, check_case, lesson
from pufa.cli import main


def snapshot(directory: Path) -> dict[str, bytes]:
    from test_corpus_builds import snapshot  # lazily: that module imports this one's CASES

    return snapshot(directory)


def previous_output(site: Site) -> dict[str, bytes]:
    from test_corpus_builds import previous_output

    return previous_output(site)

# --- the bad-input corpus of this module --------------------------------------------------------

ALIAS_LINE = 9  # the line `aliases:` takes when inserted before `summary:` in LESSON


def _alias(value: str) -> dict[str, tuple[str, str]]:
    return {LESSON: ("summary:", f"aliases: [{value}]\nsummary:")}


CASES = [
    Case("publish-alias-site-feed", {}, LESSON, ALIAS_LINE, "aliases[0]", "/feed.xml（全站订阅）", replace=_alias("/feed.xml/")),
    Case("publish-alias-catalog", {}, LESSON, ALIAS_LINE, "aliases[0]", "/lessons/catalog.json",
         replace=_alias("/lessons/catalog.json/")),
    Case("publish-alias-podcast-feed", {}, LESSON, ALIAS_LINE, "aliases[0]", "/radio/feed.xml（播客订阅）",
         replace=_alias("/radio/feed.xml/")),
    Case("publish-alias-report", {}, LESSON, ALIAS_LINE, "aliases[0]", "/departments/report.csv",
         replace=_alias("/departments/report.csv/")),
    Case("publish-alias-topic-feed", {}, LESSON, ALIAS_LINE, "aliases[0]", "/lessons/xianfa/feed.xml",
         replace=_alias("/lessons/xianfa/feed.xml/")),
    Case("publish-alias-transcript", {}, LESSON, ALIAS_LINE, "aliases[0]", "/radio/ep001.vtt",
         replace=_alias("/radio/ep001.vtt/")),
    Case("publish-alias-static-file", {}, LESSON, ALIAS_LINE, "aliases[0]", "/radio/cover.png（content/radio/cover.png）",
         replace=_alias("/radio/cover.png/")),
    Case("publish-alias-below-a-file", {}, LESSON, ALIAS_LINE, "aliases[0]", "与网站生成的文件 /feed.xml",
         replace=_alias("/feed.xml/old/")),
    Case("publish-alias-sitemap", {}, LESSON, ALIAS_LINE, "aliases[0]", "/sitemap.xml（网站地图）",
         replace=_alias("/sitemap.xml/")),
    Case("publish-placeholder-summary", {"content/lessons/xianfa/new.md": lesson(summary="请用一两句话概括本课内容。")},
         "content/lessons/xianfa/new.md", 7, "summary", "是 pufa new 留下的占位文字"),
    Case("publish-placeholder-body", {}, LESSON, 18, "", "“请在这里写一个贴近生活的小故事。”是 pufa new 留下的占位文字",
         replace={LESSON: ("宪法是国家的根本法。", "请在这里写一个贴近生活的小故事。")}),
    Case("publish-placeholder-host", {}, EPISODE, 9, "hosts[0].name", "“主持人姓名”",
         replace={EPISODE: ("  - name: 林晓", "  - name: 主持人姓名")}),
    Case("publish-placeholder-month", {}, MONTH, 19, "", "“请介绍本月主题的由来和各部门的安排。”",
         replace={MONTH: ("三月的主题。", "请介绍本月主题的由来和各部门的安排。")}),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_is_reported(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


# --- never a damaged site ------------------------------------------------------------------------


def _config(site: Site, **options: object) -> MkDocsConfig:
    return load_config(str(site.root / "mkdocs.yml"), **options)


def _leftovers(site: Site) -> list[str]:
    """Staging or backup directories a build left beside site/."""
    return sorted(p.name for p in site.root.iterdir() if p.name.startswith(".site.pufa-"))


def _fails_and_keeps_output(site: Site, monkeypatch: pytest.MonkeyPatch, **options: object) -> str:
    before = previous_output(site)
    monkeypatch.chdir(site.root)
    config = _config(site, **options)
    with pytest.raises((MkDocsException, RuntimeError, OSError)) as failure:
        build(config)
    assert snapshot(site.out) == before
    assert _leftovers(site) == []
    assert Path(config.site_dir) == site.out
    return str(failure.value)


def test_successful_build_replaces_the_whole_output(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    previous_output(minisite)
    minisite.write("site/stale/index.html", "old page")
    monkeypatch.chdir(minisite.root)
    config = _config(minisite)
    build(config)
    assert not (minisite.out / "stale").exists()
    assert "上一次的输出" not in (minisite.out / "index.html").read_text(encoding="utf-8")
    assert (minisite.out / "departments" / "report.csv").is_file()
    assert (minisite.out / "search" / "search_index.json").is_file()
    assert _leftovers(minisite) == []
    assert Path(config.site_dir) == minisite.out


def test_first_build_creates_the_output(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minisite.root)
    build(_config(minisite))
    assert (minisite.out / "index.html").is_file()
    assert _leftovers(minisite) == []


def test_content_error_keeps_output(minisite: Site, monkeypatch: pytest.MonkeyPatch,
                                    caplog: pytest.LogCaptureFixture) -> None:
    minisite.write("content/lessons/xianfa/new.md", lesson(topic="nope"))
    _fails_and_keeps_output(minisite, monkeypatch)
    assert any("content/lessons/xianfa/new.md:3: topic" in message for message in caplog.messages)


def test_error_while_rendering_keeps_output(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("pufa.plugin.citing.render", broken)
    _fails_and_keeps_output(minisite, monkeypatch)


def test_error_in_post_build_write_keeps_output(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr("pufa.plugin.report_csv", broken)
    _fails_and_keeps_output(minisite, monkeypatch)


def test_strict_warning_keeps_output(minisite: Site, monkeypatch: pytest.MonkeyPatch,
                                     caplog: pytest.LogCaptureFixture) -> None:
    minisite.write("content/about.md", "# 关于\n\n见[不存在的页面](missing.md)。\n")
    caplog.set_level(logging.WARNING)
    assert "strict mode" in _fails_and_keeps_output(minisite, monkeypatch, strict=True)
    assert any("missing.md" in message for message in caplog.messages)


def test_warning_without_strict_still_publishes(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    previous_output(minisite)
    minisite.write("content/about.md", "# 关于\n\n见[不存在的页面](missing.md)。\n")
    monkeypatch.chdir(minisite.root)
    build(_config(minisite, strict=False))
    assert (minisite.out / "about" / "index.html").is_file()
    assert _leftovers(minisite) == []


def test_serve_builds_in_place(minisite: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`mkdocs serve` builds into its own temporary directory: no staging, no swap."""
    served = tmp_path / "mkdocs_serve"
    served.mkdir()
    monkeypatch.chdir(minisite.root)
    config = _config(minisite, site_dir=str(served))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    config.plugins.on_shutdown()
    assert (served / "index.html").is_file()
    assert Path(config.site_dir) == served
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minisite", "mkdocs_serve"]
    assert _leftovers(minisite) == []


def test_dirty_build_starts_from_the_previous_output(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minisite.root)
    build(_config(minisite))
    minisite.write("site/kept.txt", "from the last build")
    config = _config(minisite)
    config.plugins.on_startup(command="build", dirty=True)
    build(config, dirty=True)
    config.plugins.on_shutdown()
    assert (minisite.out / "kept.txt").read_text(encoding="utf-8") == "from the last build"
    assert (minisite.out / "lessons" / "xianfa" / "guojia-xianfa-ri" / "index.html").is_file()
    assert _leftovers(minisite) == []


# --- spreadsheet-safe CSV ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+86 123", "'+86 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =HYPERLINK(\"http://x\")", "'  =HYPERLINK(\"http://x\")"),
        ("\u3000=1", "'\u3000=1"),
        ("宪法=根本法", "宪法=根本法"),
        ("2026-03-01", "2026-03-01"),
        ("", ""),
        ("'已经有引号", "'已经有引号"),
    ],
)
def test_spreadsheet_safe(cell: str, shown: str) -> None:
    from pufa.report import spreadsheet_safe

    assert spreadsheet_safe(cell) == shown


def test_report_csv_neutralises_formulas(minisite: Site, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    formula = '=HYPERLINK("https://evil.example/","点我")'
    minisite.write("content/lessons/xianfa/formula.md", lesson(title=yaml.safe_dump(formula).split("\n")[0], slug="formula"))
    monkeypatch.chdir(minisite.root)
    assert main(["report", "-o", "report.csv"]) == 0, capsys.readouterr().err
    data = (minisite.root / "report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    titles = [row[2] for row in rows[1:]]
    assert "'" + formula in titles
    assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- `pufa new` writes what `pufa check` accepts ----------------------------------------------------

NASTY_TITLES = [
    '他说: "不" #1',
    "it's 'quoted'",
    "标题 #后面的也要保留",
    "键: 值",
    "[数组] {映射}",
    "- 列表开头",
    "* 星号开头",
    "& 锚点开头",
    "! 标签开头",
    "% 指令开头",
    "@ at 开头",
    "`反引号` 开头",
    "---",
    "...",
    "? 问号开头",
    "| 竖线开头",
    "> 大于号开头",
    "true",
    "null",
    "2026-03-01",
    "12315",
    "~",
    "宪" * 400,
    "普法 😀 表情 👩‍⚖️",
    "全角：冒号和　空格",
    "反斜杠 \\ 和 \\n",
    "=公式开头",
    "制表\t中间",
    "<b>尖括号</b> & 符号",
]

NEW_COMMANDS = {
    "lesson": (["new", "lesson", "--topic", "xianfa", "--department", "sifaju", "--slug", "nasty-title"],
               "content/lessons/xianfa/nasty-title.md"),
    "month": (["new", "month", "--month", "2026-05"], "content/months/2026-05.md"),
    "episode": (["new", "episode", "--topic", "xianfa", "--department", "sifaju"], "content/radio/ep002.md"),
}


def fill_placeholders(path: Path) -> None:
    """What an editor does after `pufa new`: write real text over every placeholder."""
    from pufa.scaffold import HOST_NAME, PLACEHOLDERS

    text = path.read_text(encoding="utf-8").replace(HOST_NAME, "林晓")
    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, "实际内容")
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("kind", list(NEW_COMMANDS))
@pytest.mark.parametrize("title", NASTY_TITLES, ids=[f"title{index}" for index in range(len(NASTY_TITLES))])
def test_new_keeps_any_title_and_reports_only_placeholders(
    minisite: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str, title: str
) -> None:
    from pufa.loader import load_collection
    from pufa.project import Project
    from pufa.siteconfig import load_site_config

    args, written = NEW_COMMANDS[kind]
    monkeypatch.chdir(minisite.root)
    assert main([*args, f"--title={title}"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    located = [line for line in err.splitlines() if line.startswith("content/")]
    assert located and all(line.startswith(f"{written}:") and "占位文字" in line for line in located), err
    assert "Traceback" not in err

    fill_placeholders(minisite.root / written)
    assert main(["check"]) == 0, capsys.readouterr().err
    project = Project.from_mkdocs_yml(Path("mkdocs.yml"))
    config, _ = load_site_config(project.site_config_dir, project.root)
    assert config is not None
    items = {item.source.shown: item for item in load_collection(project.content_dir, config).items}
    assert items[written].title == title


@pytest.mark.parametrize("kind", list(NEW_COMMANDS))
def test_new_reports_every_placeholder_where_it_is(
    minisite: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    args, written = NEW_COMMANDS[kind]
    monkeypatch.chdir(minisite.root)
    assert main([*args, "--title", "普通标题"]) == 0
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    lines = (minisite.root / written).read_text(encoding="utf-8").splitlines()
    from pufa.scaffold import PLACEHOLDERS

    expected = {number for number, line in enumerate(lines, 1) if any(p in line for p in PLACEHOLDERS)}
    reported = {int(line.split(":")[1]) for line in err.splitlines() if line.startswith(f"{written}:")}
    assert expected and reported == expected, err


def test_new_refuses_an_empty_title(minisite: Site, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(minisite.root)
    assert main(["new", "month", "--month", "2026-05", "--title", "   "]) == 1
    assert "--title: 标题不能为空" in capsys.readouterr().err
    assert not (minisite.root / "content/months/2026-05.md").exists()
