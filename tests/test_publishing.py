"""Publishing safely: whole-site swaps, spreadsheet-safe CSV, `pufa new`, drafts and scheduling.

Builds run in-process (``mkdocs.commands.build.build``) on the minisite; the
CLI runs in-process through ``pufa.cli.main``.
"""

from __future__ import annotations

import csv
import io
import json
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
from pufa.search import BUNDLE_DIR, read_fragments, shown


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
    Case("publish-draft-not-boolean", {"content/lessons/xianfa/new.md": lesson(draft='"true"')},
         "content/lessons/xianfa/new.md", 8, "draft", "应为 true 或 false"),
    Case("publish-draft-chinese", {"content/months/2026-05.md": "---\nmonth: 2026-05\ntitle: 五月\nsummary: 五月。\ndraft: 是\n---\n"},
         "content/months/2026-05.md", 5, "draft", "应为 true 或 false"),
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


def _serve(config: MkDocsConfig) -> None:
    """What `mkdocs serve` does around a build (its own site_dir is set by the caller)."""
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:  # MkDocs keeps the plugin instance for the whole process
        config.plugins.on_shutdown()


def test_alias_onto_a_theme_asset_fails_the_build_at_its_line(
    minisite: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Only MkDocs knows the theme's files: the build refuses the alias before writing anything."""
    text = minisite.read(LESSON).replace("summary:", "aliases: [/assets/pufa.css/]\nsummary:")
    minisite.write(LESSON, text)
    _fails_and_keeps_output(minisite, monkeypatch)
    assert any(message.startswith(f"{LESSON}:{ALIAS_LINE}: aliases[0]: 旧网址 /assets/pufa.css/ 与网站生成的文件")
               for message in caplog.messages), caplog.messages


def test_successful_build_replaces_the_whole_output(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    previous_output(minisite)
    minisite.write("site/stale/index.html", "old page")
    monkeypatch.chdir(minisite.root)
    config = _config(minisite)
    build(config)
    assert not (minisite.out / "stale").exists()
    assert "上一次的输出" not in (minisite.out / "index.html").read_text(encoding="utf-8")
    assert (minisite.out / "departments" / "report.csv").is_file()
    assert (minisite.out / "pagefind" / "pagefind-entry.json").is_file()
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

    monkeypatch.setattr("pufa.plugin.sanitize", broken)
    _fails_and_keeps_output(minisite, monkeypatch)


def test_error_in_post_build_write_keeps_output(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr("pufa.site.report_csv", broken)
    _fails_and_keeps_output(minisite, monkeypatch)


def test_no_room_for_the_new_directory_is_a_chinese_error(minisite: Site, monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    def full(target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pufa.atomic.staging_dir", full)
    _fails_and_keeps_output(minisite, monkeypatch)
    assert any(message.startswith("mkdocs.yml: site_dir: 无法在") for message in caplog.messages)


def test_a_failed_swap_puts_the_old_output_back(tmp_path: Path) -> None:
    from pufa import atomic

    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")
    staging = atomic.staging_dir(target)
    atomic.discard(staging)  # the rename of the new directory will fail
    with pytest.raises(OSError):
        atomic.swap(staging, target)
    assert (target / "index.html").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_strict_warning_keeps_output(minisite: Site, monkeypatch: pytest.MonkeyPatch,
                                     caplog: pytest.LogCaptureFixture) -> None:
    # pufa check reports a Markdown link to nothing; an attr_list href is what only MkDocs' own net catches.
    minisite.write("content/about.md", "# 关于\n\n见[不存在的页面](index.md){: href=\"missing.md\" }。\n")
    caplog.set_level(logging.WARNING)
    assert "strict mode" in _fails_and_keeps_output(minisite, monkeypatch, strict=True)
    assert any("missing.md" in message for message in caplog.messages)


def test_warning_without_strict_still_publishes(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    previous_output(minisite)
    minisite.write("content/about.md", "# 关于\n\n见[不存在的页面](index.md){: href=\"missing.md\" }。\n")
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
    _serve(config)
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
    try:
        build(config, dirty=True)
    finally:  # MkDocs keeps the plugin instance for the whole process
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
    "event": (["new", "event", "--date", "2026-03-25", "--place", "礼堂", "--department", "sifaju", "--slug", "nasty-event"],
              "content/events/nasty-event.md"),
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
    from pufa.pipeline import load_campaign
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
    items = {item.source.shown: item for item in load_campaign(project.content_dir, config).items}
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


# --- drafts and scheduled publishing ------------------------------------------------------------

DRAFT_LESSON = "content/lessons/xianfa/draft.md"
LATER_LESSON = "content/lessons/xianfa/later.md"
DRAFT_EPISODE = "content/radio/ep002.md"
LATER_EPISODE = "content/radio/ep003.md"
DRAFT_MONTH = "content/months/2026-05.md"


def _episode(number: int, title: str, air: str, extra: str = "") -> str:
    return (f"---\nnumber: {number}\ntitle: {title}\nair: {air}\ntopic: xianfa\ndepartment: sifaju\n"
            f"summary: {title}的简介。\nhosts:\n  - name: 林晓\n    role: 主持人\n{extra}---\n\n"
            f"## 开场\n\n[00:00] 林晓：{title}【宪法第三十三条】。\n")


def _unpublished_site(site: Site) -> None:
    """The minisite (built on 2026-03-20) plus a draft and a scheduled item of each kind."""
    site.write(DRAFT_LESSON, lesson(title="草稿课程甲", slug="draft-lesson", draft="true").replace(
        "正文。", "正文【宪法第三十三条】。"))
    site.write(LATER_LESSON, lesson(title="四月课程乙", slug="later-lesson", date="2026-04-01", articles="[宪法第三十三条]"))
    site.write(DRAFT_EPISODE, _episode(2, "草稿节目丙", "2026-03-06 18:30", "draft: true\n"))
    # A scheduled episode whose transcript is a caption file beside it: that file waits too.
    later = _episode(3, "四月节目丁", "2026-04-03 18:30", "transcript: ep003.vtt\n")
    site.write(LATER_EPISODE, later.split("## 开场")[0])
    site.write("content/radio/ep003.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v 林晓>四月节目丁【宪法第三十三条】\n")
    site.write(DRAFT_MONTH, "---\nmonth: 2026-05\ntitle: 草稿月份戊\nsummary: 五月。\ndraft: true\n---\n")
    month = site.read(MONTH).replace("lessons: [xianfa/guojia-xianfa-ri]",
                                     "lessons: [xianfa/guojia-xianfa-ri, xianfa/later-lesson]")
    site.write(MONTH, month.replace("episodes: [1]", "episodes: [1, 3]"))


HIDDEN = ("草稿课程甲", "四月课程乙", "草稿节目丙", "四月节目丁", "草稿月份戊", "draft-lesson", "later-lesson", "ep002", "ep003",
          "2026-05")


def _build_on(site: Site, day: str, monkeypatch: pytest.MonkeyPatch) -> None:
    site.write("mkdocs.yml", site.read("mkdocs.yml").replace('today: "2026-03-20"', f'today: "{day}"'))
    monkeypatch.chdir(site.root)
    build(_config(site, strict=True))


def _texts(directory: Path) -> dict[str, str]:
    """Every output file as text, JSON re-serialised so that no escape or word break hides a word."""
    texts = {path: data.decode("utf-8", "replace") for path, data in snapshot(directory).items()}
    for path in [path for path in texts if path.endswith(".json")]:
        texts[path] = json.dumps(json.loads(texts[path]), ensure_ascii=False)
    if (directory / BUNDLE_DIR).is_dir():  # the search index: what readers are shown of each page
        texts["search"] = json.dumps({url: shown(str(fragment["content"])) for url, fragment
                                      in read_fragments(directory / BUNDLE_DIR).items()}, ensure_ascii=False)
    return texts


def test_drafts_and_future_items_are_left_out_everywhere(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    _unpublished_site(minisite)
    _build_on(minisite, "2026-03-20", monkeypatch)
    texts = _texts(minisite.out)
    leaks = {(path, word) for path, text in texts.items() for word in HIDDEN if word in text or word in path}
    assert leaks == set()
    # The published month simply does not list what is not published yet.
    month = minisite.page("months/2026-03")
    assert "国家宪法日" in month
    # A month's theme is announced ahead on the site, but no feed carries it before its first day.
    assert (minisite.out / "months/2026-04/index.html").is_file()
    assert "months/2026-04/" not in texts["feed.xml"]
    assert "months/2026-03/" in texts["feed.xml"]


def test_a_build_on_the_day_publishes_scheduled_items(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    _unpublished_site(minisite)
    _build_on(minisite, "2026-04-03", monkeypatch)
    texts = _texts(minisite.out)
    everywhere = ("feed.xml", "departments/report.csv", "search", "months/2026-03/index.html")
    for word, paths in (("四月课程乙", (*everywhere, "lessons/catalog.json", "laws/xianfa/index.html")),
                        ("四月节目丁", (*everywhere, "radio/ep003.vtt"))):
        for path in paths:
            assert word in texts[path], (word, path)
    assert "months/2026-04/" in texts["feed.xml"]
    for word in ("草稿课程甲", "草稿节目丙", "草稿月份戊"):
        assert not any(word in text for text in texts.values()), word


def test_serve_previews_drafts_with_a_banner(minisite: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _unpublished_site(minisite)
    served = tmp_path / "served"
    served.mkdir()
    monkeypatch.chdir(minisite.root)
    config = _config(minisite, site_dir=str(served))
    _serve(config)
    draft = (served / "lessons/xianfa/draft-lesson/index.html").read_text(encoding="utf-8")
    assert "pufa-unpublished" in draft and "草稿" in draft and "草稿课程甲" in draft
    later = (served / "radio/ep003/index.html").read_text(encoding="utf-8")
    assert "pufa-unpublished" in later and "2026年4月3日" in later
    published = (served / "lessons/xianfa/guojia-xianfa-ri/index.html").read_text(encoding="utf-8")
    assert "pufa-unpublished" not in published
    assert "四月课程乙" in (served / "months/2026-03/index.html").read_text(encoding="utf-8")


def test_check_lists_and_report_leaves_out_unpublished_items(
    minisite: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _unpublished_site(minisite)
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"{DRAFT_LESSON}: 草稿" in out and f"{DRAFT_EPISODE}: 草稿" in out and f"{DRAFT_MONTH}: 草稿" in out
    assert f"{LATER_LESSON}: 定时发布：2026年4月1日" in out and f"{LATER_EPISODE}: 定时发布：2026年4月3日" in out
    assert "content/months/2026-04.md" not in out  # a month's theme is a plan, not a scheduled item
    assert main(["report"]) == 0
    report = capsys.readouterr().out
    assert "国家宪法日" in report
    assert not any(word in report for word in HIDDEN)


def test_source_date_epoch_sets_the_build_date(minisite: Site, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _unpublished_site(minisite)
    minisite.write("mkdocs.yml", minisite.read("mkdocs.yml").replace('      today: "2026-03-20"\n', ""))
    monkeypatch.chdir(minisite.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775145600")  # 2026-04-03 00:00 Beijing time
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert LATER_LESSON not in out and LATER_EPISODE not in out and DRAFT_LESSON in out
    assert main(["report"]) == 0
    report = capsys.readouterr().out
    assert "四月课程乙" in report and "草稿课程甲" not in report
