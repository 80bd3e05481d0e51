"""Links and images in bodies, static files in the way of generated ones, episode guids.

``CASES`` are located errors (``pufa check`` here, a real build in ``test_corpus_builds.py``);
the tests below cover what is not an error: a link to a scheduled item (a warning line,
plain text on the site), what the parser skips, and the helpers on their own.
"""

from __future__ import annotations

import pytest

from conftest import Site
from corpus import EPISODE, Case, check_case, lesson
from pufa.cli import main
from pufa.links import find_links, unlinked

NEW = "content/lessons/xianfa/links.md"


def body(text: str, **overrides: str | None) -> str:
    """A valid lesson whose body (line 10 onwards) is ``text``."""
    return lesson(**overrides).replace("正文。", text)


def guid_episode(number: int, guid: str) -> str:
    return (f"---\nnumber: {number}\ntitle: 第{number}期\nair: 2026-03-13 18:30\ntopic: xianfa\ndepartment: sifaju\n"
            f"summary: 一期节目。\nguid: {guid}\nhosts:\n  - name: 林晓\n---\n\n## 开场\n\n[00:00] 林晓：你好。\n")


CASES = [
    Case("links-missing-page", {NEW: body("见[另一课](quanli-x.md)。")}, NEW, 10, "正文",
         "链接 “quanli-x.md” 指向的页面或文件不存在，是否为 “quanli.md”？"),
    Case("links-missing-image", {NEW: body("第一段。\n\n![图](tu.png)")}, NEW, 12, "正文",
         "图片 “tu.png” 指向的页面或文件不存在"),
    Case("links-outside-content", {NEW: body("[配置](../../../site_config/site.yml)")}, NEW, 10, "正文",
         "指向的页面或文件不存在"),
    Case("links-missing-site-path", {NEW: body("[课程](/lessons/xianfaa/)")}, NEW, 10, "正文",
         "链接 “/lessons/xianfaa/” 指向的页面或文件不存在，是否为 “/lessons/xianfa/”？"),
    Case("links-missing-reference", {NEW: body("先看[这一课][r]。\n\n[r]: nope.md")}, NEW, 10, "正文",
         "链接 “nope.md” 指向的页面或文件不存在"),
    Case("links-to-draft", {NEW: body("[草稿](quanli.md)")}, NEW, 10, "正文", "链接到草稿/定时发布的内容",
         replace={"content/lessons/xianfa/quanli.md": ("summary:", "draft: true\nsummary:")}),
    Case("links-static-at-catalog", {"content/lessons/catalog.json": "{}\n"}, "content/lessons/catalog.json", 1, "",
         "与网站生成的文件 /lessons/catalog.json（课程目录）同名"),
    Case("links-duplicate-guid", {"content/radio/ep002.md": guid_episode(2, "same-guid-123"),
                                  "content/radio/ep003.md": guid_episode(3, "same-guid-123")},
         "content/radio/ep002.md", 8, "guid", "与 content/radio/ep003.md的相同"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def test_links_that_resolve_pass(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("[a](quanli.md) [b](../../about.md) [c](/lessons/xianfa/) [d](/feed.xml) [e](https://example.cn/x.md)\n"
            "[f](#top) [g](mailto:a@b.cn) ![h](../../radio/cover.png) [i][r] `[j](nope.md)`\n\n"
            "    [k](nope.md)\n\n```\n[l](nope.md)\n```\n\n[r]: /lessons/")
    minisite.write(NEW, body(text))
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_link_to_scheduled_lesson_is_a_warning_and_plain_text(minisite: Site) -> None:
    """A scheduled item publishes itself on its day: the link waits as text instead of blocking every build."""
    minisite.write(NEW, body("以后发布。", date="2027-01-01"))
    minisite.write("content/about.md", minisite.read("content/about.md") + "\n见[明年的课](lessons/xianfa/links.md)。\n")
    checked = minisite.check()
    assert checked.returncode == 0, checked.output
    assert f"  {NEW}: 定时发布：" in checked.stdout and "content/about.md:" in checked.stdout
    assert "链接到它，发布之前网站上只显示链接文字" in checked.stdout
    built = minisite.build()
    assert built.returncode == 0, built.output
    about = minisite.page("about")
    assert "见明年的课。" in about and "links" not in about


def test_find_links_lines_and_references() -> None:
    found = find_links("a\n[x](one.md) b\nc [y][r]\n\n```\n[z](two.md)\n```\n\n![i](p.png)\n\n[r]: three.md\n")
    assert [(link.line, link.dest, link.image) for link in found] == [
        (1, "one.md", False), (2, "three.md", False), (8, "p.png", True)]


def test_unlinked_keeps_other_links_and_code() -> None:
    text = "[a](dead.md) and [b](live.md) and [c][r]\n\n```\n[a](dead.md)\n```\n\n[r]: dead.md\n"
    assert unlinked(text, lambda dest: dest == "dead.md") == (
        "a and [b](live.md) and c\n\n```\n[a](dead.md)\n```\n\n[r]: dead.md\n")


def test_guid_of_a_draft_episode_counts_too(minisite: Site, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft published later would merge with the published one in every podcast app."""
    minisite.write("content/radio/ep002.md", guid_episode(2, "same-guid-123").replace("summary:", "draft: true\nsummary:"))
    minisite.write(EPISODE, minisite.read(EPISODE).replace("summary: 第一期节目。", "summary: 第一期节目。\nguid: same-guid-123"))
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 1
    assert f"{EPISODE}:8: guid: " in capsys.readouterr().err


def test_episode_transcript_at_its_own_caption_path_passes(minisite: Site, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """``ep001.vtt`` as ep001's own transcript is input the site publishes converted, not a file in the way."""
    front = minisite.read(EPISODE).split("---\n")[1].replace("summary: 第一期节目。", "summary: 第一期节目。\ntranscript: ep001.vtt")
    minisite.write(EPISODE, f"---\n{front}---\n")
    minisite.write("content/radio/ep001.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v 林晓>你好\n")
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 0, capsys.readouterr().err
