"""An independent red-team corpus (issue 7): attacks written from outside, against the built checkout.

``CASES`` are attacks whose right outcome is a located Chinese error (``pufa check``
here, a real build in ``test_corpus_builds.py``); the plain tests below are attacks
whose right outcome is a clean build with the hostile text shown as text, or
behaviour of one function under a pathological input. Attacks whose fix belongs to
a module outside this corpus' remit are ``xfail(strict=True)`` with the module named.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import signal
import struct
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import pytest

from conftest import Site
from corpus import EPISODE, HANG_SECONDS, MONTH, Case, check_case, lesson
from pufa.audio import parse_duration
from pufa.cli import main
from pufa.htmlpolicy import body_problems
from pufa.laws import CITATION
from pufa.transcript import markdown_text, parse_transcript

NEW = "content/lessons/xianfa/red.md"
SITE = "site_config/site.yml"
TAXONOMY = "site_config/taxonomy.yml"
PODCAST = "site_config/podcast.yml"
LAWS = "site_config/laws.yml"
MINISITE = Path(__file__).resolve().parent / "fixtures" / "minisite"

#: An alias bomb: nine levels of nine aliases, 9**9 nodes once expanded.
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)


def fixture(relative: str) -> str:
    return (MINISITE / relative).read_text(encoding="utf-8")


def body(text: str, **overrides: str | None) -> str:
    """A valid lesson whose body (line 10 onwards) is ``text``."""
    return lesson(**overrides).replace("正文。", text)


def episode_front(extra: str) -> str:
    """ep001's front matter with ``extra`` lines after ``summary`` (line 7), and no body transcript."""
    front = fixture(EPISODE).split("---\n")[1]
    return "---\n" + front.replace("summary: 第一期节目。\n", "summary: 第一期节目。\n" + extra) + "---\n"


def with_transcript(name: str, text: str | bytes, extra: str = "") -> dict[str, str | bytes]:
    return {EPISODE: episode_front(f"transcript: {name}\n{extra}"), f"content/radio/{name}": text}


def symlink_outside(link: str, name: str = "outside.txt") -> object:
    """A symlink at ``link`` (relative to the site) to a file beside the site, outside content/."""

    def setup(root: Path) -> None:
        target = root.parent / name
        target.write_text("SECRET-OUTSIDE\n", encoding="utf-8")
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)

    return setup


VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v 林晓>你好\n"


def png_header(width: int, height: int) -> bytes:
    """A well-formed PNG that claims ``width``×``height`` pixels in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def config_symlink_outside(root: Path) -> None:
    (root / PODCAST).unlink()
    (root.parent / "outside.yml").write_text("title: 外面\n", encoding="utf-8")
    os.symlink(root.parent / "outside.yml", root / PODCAST)

CASES: list[Case] = [
    # --- site_config: hostile YAML and values ---------------------------------------------------
    Case("red-taxonomy-alias-bomb", {TAXONOMY: fixture(TAXONOMY) + BOMB}, TAXONOMY, 29, "", "YAML 炸弹"),
    Case("red-laws-alias-bomb", {LAWS: fixture(LAWS) + BOMB}, LAWS, 47, "", "YAML 炸弹"),
    Case("red-podcast-deep-flow", {PODCAST: fixture(PODCAST) + "x: " + "[" * 200 + "]" * 200 + "\n"},
         PODCAST, 11, "", "嵌套超过"),
    Case("red-site-utf16", {SITE: fixture(SITE).encode("utf-16")}, SITE, 1, "", "UTF-8"),
    Case("red-site-url-userinfo", {}, SITE, 6, "site_url", "格式不对",
         replace={SITE: ("site_url: https://test.example.gov.cn/", "site_url: https://evil.example@test.example.gov.cn/")}),
    Case("red-site-title-control-escape", {}, SITE, 3, "title", "控制字符",
         replace={SITE: ("title: 法治示例", 'title: "法治\\x07示例"')}),
    Case("red-taxonomy-key-reserved", {}, TAXONOMY, 8, "topics.feed", "已被网站目录占用",
         replace={TAXONOMY: ("  weibaofa:", "  feed:")}),
    Case("red-taxonomy-name-empty", {}, TAXONOMY, 22, "venues.xuexiao", "不能为空",
         replace={TAXONOMY: ("  xuexiao: 进学校", '  xuexiao: ""')}),
    Case("red-taxonomy-name-bidi", {}, TAXONOMY, 22, "venues.xuexiao", "改变文字方向",
         replace={TAXONOMY: ("  xuexiao: 进学校", '  xuexiao: "进\\u202e校学"')}),
    Case("red-podcast-image-symlink-out", {}, "content/radio/evil.png", 1, "", "符号链接",
         replace={PODCAST: ("image: radio/cover.png", "image: radio/evil.png")},
         setup=symlink_outside("content/radio/evil.png", "outside.png")),
    Case("red-podcast-yml-symlink-out", {}, PODCAST, 1, "", "符号链接", setup=config_symlink_outside),
    Case("red-podcast-image-pixel-bomb", {"content/radio/cover.png": png_header(60_000, 60_000)}, PODCAST, 7, "image", "像素数超过上限"),
    Case("red-podcast-image-not-png", {"content/radio/cover.png": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"},
         PODCAST, 7, "image", "封面"),
    Case("red-laws-paragraph-number", {}, LAWS, 18, "laws.xianfa.articles.33[2]", "应为文字",
         replace={LAWS: ("      - 国家尊重和保障人权。", "      - 42")}),
    Case("red-laws-short-name-shared", {}, LAWS, 2, "laws", "引用时无法区分",
         replace={LAWS: ("    - 民法典", "    - 宪法")}),
    # --- front matter: YAML the editor did not mean ---------------------------------------------
    Case("red-fm-deep-block-mapping", {NEW: "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(60)) + "---\n正文\n"},
         NEW, 33, "", "嵌套超过"),
    Case("red-fm-python-tag", {NEW: lesson(title='!!python/object/apply:os.system ["id"]')}, NEW, 2, "", "YAML 标签"),
    Case("red-fm-complex-key", {NEW: lesson().replace("title: 测试课程", "title: 测试课程\n? [a, b]\n: x")},
         NEW, 3, "", "键不能是列表"),
    Case("red-fm-number-key", {NEW: lesson().replace("title: 测试课程", "title: 测试课程\n1: x")}, NEW, 3, "", "不能作字段名"),
    Case("red-fm-vertical-tab", {NEW: lesson(title="a\x0bb")}, NEW, 2, "", "控制字符"),
    Case("red-fm-bom-in-middle", {NEW: lesson().replace("topic:", "\ufefftopic:")}, NEW, 3, "", "U+FEFF"),
    Case("red-fm-ideographic-space", {NEW: lesson().replace("topic: xianfa", "topic:\u3000xianfa")}, NEW, 3, "", "全角空格"),
    Case("red-fm-key-too-long", {NEW: lesson().replace("title: 测试课程", "title: 测试课程\n" + "k" * 2000 + ": x")},
         NEW, 3, "", "超过 1024 个字符"),
    Case("red-title-control-escape", {NEW: lesson(title='"课\\x1b[31m程"')}, NEW, 2, "title", "控制字符"),
    Case("red-title-nul-escape", {NEW: lesson(title='"课\\0程"')}, NEW, 2, "title", "控制字符"),
    Case("red-title-bidi-override", {NEW: lesson(title='"课程\\u202e反转"')}, NEW, 2, "title", "改变文字方向"),
    Case("red-title-zero-width-only", {NEW: lesson(title='"\\u200b\\u200b"', slug="ceshi")}, NEW, 2, "title", "看不见的字符"),
    Case("red-title-spaces-only", {NEW: lesson(title='"   "', slug="ceshi")}, NEW, 2, "title", "不能为空"),
    Case("red-summary-noncharacter", {NEW: lesson(summary='"简介\\uffff"')}, NEW, 7, "summary", "控制字符"),
    Case("red-quiz-control", {NEW: lesson(quiz='[{question: "问\\a", answer: a}]')}, NEW, 8, "quiz[0].question", "控制字符"),
    Case("red-episode-number-bool", {}, EPISODE, 2, "number", "应为整数", replace={EPISODE: ("number: 1", "number: true")}),
    Case("red-episode-air-impossible", {}, EPISODE, 4, "air", "北京时间",
         replace={EPISODE: ("air: 2026-03-13 18:30", 'air: "2026-03-13 25:99"')}),
    Case("red-month-13", {"content/months/2026-13.md": "---\nmonth: 2026-13\ntitle: 六\nsummary: 六。\n---\n"},
         "content/months/2026-13.md", 2, "month", "格式不对"),
    Case("red-month-name-mismatch", {"content/months/march.md": "---\nmonth: 2026-06\ntitle: 六\nsummary: 六。\n---\n"},
         "content/months/march.md", 2, "month", "不一致"),
    Case("red-month-lesson-dangling", {}, MONTH, 15, "lessons[0]", "找不到课程",
         replace={MONTH: ("lessons: [xianfa/guojia-xianfa-ri]", "lessons: [xianfa/nope]")}),
    Case("red-page-template-key", {"content/about.md": "---\ntitle: 关于\ntemplate: ../../etc/passwd\n---\n\n正文\n"},
         "content/about.md", 3, "template", "不认识的字段"),
    # --- Markdown bodies: control characters and HTML the policy refuses ------------------------
    Case("red-body-nul", {NEW: body("正文\x00后")}, NEW, 10, "", "控制字符"),
    Case("red-body-escape-sequence", {NEW: body("第一段\n\n\x1b[31m红字")}, NEW, 12, "", "控制字符"),
    Case("red-page-without-front-script", {"content/x.md": "<script>alert(1)</script>\n"}, "content/x.md", 1, "正文", "<script>"),
    Case("red-body-svg-onload", {NEW: body("<svg onload=alert(1)>")}, NEW, 10, "正文", "<svg>"),
    Case("red-body-img-onerror-unquoted", {NEW: body("<img src=x onerror=alert(1)>")}, NEW, 10, "正文", "onerror"),
    Case("red-body-tag-split-over-lines", {NEW: body("<img\nsrc=x\nonerror=alert(1)>")}, NEW, 10, "正文", "onerror"),
    Case("red-body-href-entity-javascript", {NEW: body('<a href="&#x6A;avascript:alert(1)">x</a>')}, NEW, 10, "正文", "javascript"),
    Case("red-body-href-tab-javascript", {NEW: body('<a href="jav&#x09;ascript:alert(1)">x</a>')}, NEW, 10, "正文", "执行代码"),
    Case("red-body-ref-javascript", {NEW: body("[x][1]\n\n[1]: javascript:alert(1)")}, NEW, 12, "正文", "javascript"),
    Case("red-body-link-javascript-next-line", {NEW: body("[x](\njavascript:alert(1))")}, NEW, 11, "正文", "javascript"),
    Case("red-body-autolink-javascript", {NEW: body("<javascript:alert(1)>")}, NEW, 10, "正文", "javascript"),
    Case("red-body-attr-list-href", {NEW: body('[x](a.md){: href="javascript:alert(1)" }')}, NEW, 10, "正文", "javascript"),
    Case("red-body-attr-list-external-src", {NEW: body('![i](x.png){: src="https://evil.example/t.png" }')},
         NEW, 10, "正文", "来自其他网站"),
    Case("red-body-image-ref-protocol-relative", {NEW: body("![x][p]\n\n[p]: //evil.example/t.png")}, NEW, 12, "正文", "来自其他网站"),
    Case("red-body-base", {NEW: body('<base href="https://evil.example/">')}, NEW, 10, "正文", "<base>"),
    Case("red-body-meta-refresh", {NEW: body('<meta http-equiv="refresh" content="0;url=https://evil.example">')},
         NEW, 10, "正文", "<meta>"),
    Case("red-body-unclosed-comment", {NEW: body("<!-- x\n<script>alert(1)</script>")}, NEW, 11, "正文", "<script>"),
    Case("red-body-cdata", {NEW: body("<![CDATA[<script>alert(1)</script>]]>")}, NEW, 10, "正文", "<script>"),
    Case("red-body-details-script", {NEW: body('<details markdown="1">\n<summary>s</summary>\n<script>alert(1)</script>\n</details>')},
         NEW, 12, "正文", "<script>"),
    Case("red-body-md-in-html-iframe", {NEW: body('<div markdown="1">\n\n<iframe src="https://evil.example"></iframe>\n\n</div>')},
         NEW, 12, "正文", "<iframe>"),
    Case("red-cite-mixed-numerals", {NEW: body("见【宪法第3十3条】。")}, NEW, 10, "正文", "无法识别"),
    Case("red-cite-absurd-sub-article", {NEW: body("见【宪法第5条之" + "9" * 5000 + "】。")}, NEW, 10, "正文", "超出范围"),
    Case("red-cite-fullwidth-paragraph", {NEW: body("见【宪法第３３条第９９９９款】。")}, NEW, 10, "正文", "只有 4 款"),
    Case("red-cite-item-without-items", {NEW: body("见【宪法第5条第一项】。")}, NEW, 10, "正文", "没有分项"),
    # --- files: what lies outside content/, what a browser would run ------------------------------
    Case("red-markdown-symlink-out", {}, "content/lessons/xianfa/s.md", 1, "", "符号链接",
         setup=symlink_outside("content/lessons/xianfa/s.md")),
    Case("red-static-file-symlink-out", {}, "content/d/x.txt", 1, "", "符号链接", setup=symlink_outside("content/d/x.txt")),
    Case("red-static-html-script", {"content/evil.html": "<script>alert(1)</script>"}, "content/evil.html", 1, "", "执行代码"),
    Case("red-static-svg-onload", {"content/img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"},
         "content/img/logo.svg", 1, "", "执行代码"),
    Case("red-static-js", {"content/evil.js": "alert(1)"}, "content/evil.js", 1, "", "执行代码"),
    Case("red-static-xml-shadows-feed", {"content/feed.xml": "<rss/>"}, "content/feed.xml", 1, "", "执行代码"),
    Case("red-markdown-upper-case-ext", {"content/lessons/xianfa/x.MD": lesson()}, "content/lessons/xianfa/x.MD", 1, "", ".MD"),
    Case("red-name-looks-like-url", {"content/http:/evil.example/x.md": "---\ntitle: x\n---\n\n正文\n"},
         "content/http:/evil.example/x.md", 1, "", "文件名"),
    Case("red-name-case", {"content/About.md": "---\ntitle: 关于2\n---\n\n正文\n"}, "content/About.md", 1, "", "文件名"),
    Case("red-page-shadows-laws", {"content/laws/xianfa.md": "---\ntitle: 法\n---\n\n正文\n"},
         "content/laws/xianfa.md", 1, "", "自动生成"),
    Case("red-page-shadows-topic-index", {"content/lessons/xianfa/index.md": "---\ntitle: x\n---\n\nx\n"},
         "content/lessons/xianfa/index.md", 1, "", "自动生成"),
    Case("red-alias-404", {NEW: lesson(aliases="[/404.html/]")}, NEW, 8, "aliases[0]", "冲突"),
    Case("red-alias-shadows-page", {NEW: lesson(aliases="[/about/]")}, NEW, 8, "aliases[0]", "content/about.md"),
    Case("red-alias-taken-by-other-alias", {NEW: lesson(slug="red", aliases="[/old/x/]"), "content/lessons/xianfa/red2.md": lesson(slug="red2", aliases="[/old/x/]")},
         NEW, 9, "aliases[0]", "red2.md"),
    Case("red-alias-shadows-month", {NEW: lesson(aliases="[/months/2026-03/]")}, NEW, 8, "aliases[0]", "2026-03.md"),
    Case("red-alias-shadows-lessons-index", {NEW: lesson(aliases="[/lessons/]")}, NEW, 8, "aliases[0]", "系统生成"),
    Case("red-alias-shadows-topic-feed", {NEW: lesson(aliases="[/lessons/xianfa/feed.xml/]")}, NEW, 8, "aliases[0]", "feed.xml"),
    Case("red-month-key-date-other-year", {}, MONTH, 7, "key_dates[0].date", "不在本月",
         replace={MONTH: ("  - date: 2026-03-15", "  - date: 2031-03-15")}),
    Case("red-episode-slug-shadows", {"content/radio/ep002.md": fixture(EPISODE).replace("number: 1", "number: 2\nslug: ep001")},
         "content/radio/ep002.md", 3, "slug", "重复"),
    # --- transcripts and audio ------------------------------------------------------------------
    Case("red-transcript-symlink-out", {EPISODE: episode_front("transcript: t.vtt\n")}, EPISODE, 8, "transcript", "符号链接",
         setup=symlink_outside("content/radio/t.vtt")),
    Case("red-vtt-chapter-infinite", with_transcript("t.vtt", VTT, "chapters:\n  - start: .inf\n    title: 章\n"),
         EPISODE, 10, "chapters[0].start", "时长"),
    Case("red-vtt-chapter-nan", with_transcript("t.vtt", VTT, "chapters:\n  - start: .nan\n    title: 章\n"),
         EPISODE, 10, "chapters[0].start", "时长"),
    Case("red-vtt-chapter-huge-int", with_transcript("t.vtt", VTT, "chapters:\n  - start: " + "9" * 400 + "\n    title: 章\n"),
         EPISODE, 10, "chapters[0].start", "时长"),
    Case("red-vtt-end-before-start", with_transcript("t.vtt", "WEBVTT\n\n00:05.000 --> 00:02.000\n<v 林晓>你好\n"),
         EPISODE, 8, "transcript", "结束时间"),
    Case("red-vtt-out-of-order", with_transcript("t.vtt", "WEBVTT\n\n00:05.000 --> 00:06.000\n<v 林晓>你好\n\n00:01.000 --> 00:02.000\n<v 林晓>早\n"),
         EPISODE, 8, "transcript", "早于上一条"),
    Case("red-vtt-gbk", with_transcript("t.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n你好\n".encode("gbk")),
         EPISODE, 8, "transcript", "UTF-8"),
    Case("red-vtt-control", with_transcript("t.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v 林晓>你\x00好\n"),
         EPISODE, 8, "transcript", "控制字符"),
    Case("red-srt-negative-time", with_transcript("t.srt", "1\n-00:00:01,000 --> 00:00:02,000\n林晓：你好\n"),
         EPISODE, 8, "transcript", "没有任何字幕"),
    Case("red-body-cue-speaker-too-long", {}, EPISODE, 27, "正文", "说话人",
         replace={EPISODE: ("[01:20] 王法官：", "[01:20] " + "王" * 25 + "：")}),
    Case("red-audio-fifo", {}, "content/radio/a.mp3", 1, "", "不是普通文件",
         replace={EPISODE: ("summary: 第一期节目。", "summary: 第一期节目。\naudio: a.mp3")},
         setup=lambda root: os.mkfifo(root / "content/radio/a.mp3")),
    Case("red-audio-garbage", {"content/radio/a.mp3": b"\xff\xfb" + b"\x00" * 2000}, EPISODE, 8, "audio", "无法识别",
         replace={EPISODE: ("summary: 第一期节目。", "summary: 第一期节目。\naudio: a.mp3")}),
    Case("red-audio-directory", {"content/radio/a.mp3/x": b""}, EPISODE, 8, "audio", "不是普通文件",
         replace={EPISODE: ("summary: 第一期节目。", "summary: 第一期节目。\naudio: a.mp3")}),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_red_case_is_reported(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


# --- hostile but valid text: must come out as text -------------------------------------------------

HOSTILE = "X<x-red>'\" x-red=\"1 [点](https://evil.example/) **粗** &amp; {{ 7*7 }} {% raw %}"


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def outputs(site: Site, suffixes: tuple[str, ...]) -> dict[str, str]:
    return {
        path.relative_to(site.out).as_posix(): path.read_text(encoding="utf-8", errors="replace")
        for path in site.out.rglob("*")
        if path.is_file() and path.suffix in suffixes and "assets" not in path.parts
    }


def attributes(page: str) -> tuple[set[str], set[str]]:
    """Every attribute name on the page, and every id, as a browser would parse them."""
    names: set[str] = set()
    ids: set[str] = set()

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names.update(name for name, _ in attrs)
            ids.update(value or "" for name, value in attrs if name == "id")

    Parser().feed(page)
    return names, ids


def test_hostile_text_everywhere_is_shown_as_text(minisite: Site) -> None:
    """Every text field of every kind and of site_config holds markup, Markdown and template syntax."""
    h = lambda prefix: quoted(prefix + HOSTILE)  # noqa: E731
    minisite.write(NEW, f"""---
title: {h("课")}
slug: hostile
aliases: [/old/hostile/]
topic: xianfa
audiences: [qingshaonian]
department: sifaju
date: 2026-03-02
summary: {h("简")}
tags: [{h("签")}]
objectives: [{h("目")}]
questions: [{h("问")}]
case: {h("案")}
quiz:
  - question: {h("题")}
    options: [{h("甲")}, 乙]
    answer: {h("甲")}
    explanation: {h("解")}
---

正文。
""")
    minisite.write("content/radio/ep002.md", f"""---
number: 2
title: {h("期")}
air: 2026-03-14 18:30
topic: xianfa
department: sifaju
summary: {h("概")}
hosts:
  - name: {h("主")}
    role: {h("角")}
guests:
  - name: {h("客")}
    role: {h("职")}
tags: [{h("标")}]
---

## 章<x-red>节 [链](https://evil.example/) {{: #hijack onclick="alert(1)" }}

[00:00] 林晓：你好<x-red>世界 [链](https://evil.example/)

[00:05] 王<x-red>：好
""")
    month = fixture(MONTH)
    for old, prefix in (("title: 宪法学习月", "月"), ("name: 国际消费者权益日", "日"), ("title: 宪法进校园", "活"),
                        ("place: 示例县第一中学", "地"), ("summary: 三月学宪法。", "月简")):
        key = old.split(":")[0]
        month = month.replace(old, f"{key}: {h(prefix)}")
    minisite.write(MONTH, month)
    site = fixture(SITE)
    for key in ("county", "county_short", "title", "campaign", "description", "organizer"):
        site = re.sub(rf"^{key}: (.*)$", lambda m, k=key: f"{k}: {h(m.group(1))}", site, flags=re.M)
    minisite.write(SITE, site + f"contact:\n  address: {h('址')}\n  phone: {h('话')}\n")
    taxonomy = fixture(TAXONOMY)
    for old, prefix in (("name: 宪法", "宪"), ("qingshaonian: 青少年和学生", "青"), ("sifaju: 县司法局", "司"),
                        ("xiaoxue: 小学", "小"), ("xuexiao: 进学校", "校")):
        taxonomy = taxonomy.replace(old, f"{old.split(':')[0]}: {h(prefix)}")
    minisite.write(TAXONOMY, taxonomy)
    podcast = fixture(PODCAST)
    for old, prefix in (("title: 示例电台", "台"), ("description: 测试用播客。", "播"), ("author: 示例县广播电视台", "作")):
        podcast = podcast.replace(old, f"{old.split(':')[0]}: {h(prefix)}")
    minisite.write(PODCAST, podcast + f"copyright: {h('版')}\n")

    result = minisite.build()
    assert result.returncode == 0, result.output
    files = outputs(minisite, (".html", ".xml", ".json", ".vtt", ".srt"))
    assert any("x-red" in text for text in files.values())  # the hostile text did reach the output
    assert "{{ 7*7 }} {% raw %}" in minisite.page("lessons/xianfa/hostile")
    assert "old/hostile/index.html" in files  # the redirect page is among the files checked
    for name, text in files.items():
        assert "<x-red" not in text, name
        assert 'href="https://evil.example' not in text, name
        if name.endswith(".html"):
            names, ids = attributes(text)
            assert not names & {"x-red", "onclick"}, name  # no attribute broken out of, none added
            assert "hijack" not in ids, name


def test_citation_of_law_text_with_markdown_stays_text(minisite: Site) -> None:
    laws = fixture(LAWS).replace("- 国家维护社会主义法制的统一和尊严。", "- " + quoted("国家维护 [点](https://evil.example/) *强调*"))
    minisite.write(LAWS, laws)
    minisite.write(NEW, body("见【宪法第五条第二款】。\n\n> 【宪法第五条】"))
    result = minisite.build()
    assert result.returncode == 0, result.output
    page = (minisite.out / "lessons/xianfa/ceshi-kecheng/index.html").read_text(encoding="utf-8")
    assert 'href="https://evil.example' not in page
    assert "<em>强调</em>" not in page


def test_chapter_titles_from_front_matter_stay_text(minisite: Site) -> None:
    for relative, text in with_transcript(
        "t.vtt", VTT, "chapters:\n  - start: 0\n    title: " + quoted("章<x-red>[链](https://evil.example/) {: #hijack }") + "\n"
    ).items():
        minisite.write(relative, text if isinstance(text, str) else text.decode())
    result = minisite.build()
    assert result.returncode == 0, result.output
    for name, text in outputs(minisite, (".html", ".xml", ".json")).items():
        assert 'href="https://evil.example' not in text, name
        assert 'id="hijack"' not in text, name
    page = minisite.page("radio/ep001")
    assert "[链](https://evil.example/) {: #hijack }" in page


def test_markdown_text_is_literal() -> None:
    import markdown

    title = "章<x>[链](https://e/) {: #x } *a* 1. &amp; # \\"
    html = markdown.markdown("## " + markdown_text(title), extensions=["attr_list", "toc"])
    assert "<a " not in html and "<em>" not in html and 'id="x"' not in html
    assert "[链](https://e/) {: #x } *a* 1. &amp;amp; # \\" in html


# --- durations: no number YAML can write may crash a later int() ------------------------------------

@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 10**400, "9" * 400, "9" * 400 + ":00"])
def test_absurd_durations_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)  # type: ignore[arg-type]


# --- pathological inputs to the scanners: linear, not quadratic -----------------------------------

N = 200_000
BLOWUPS = {
    "tag-open-quotes": '<a "' * N,
    "tag-mixed-quotes": "<a\"'" * N,
    "brackets": "![[" * N,
    "link-destinations": "](" + "(a)" * N,
    "autolink": "<a:" + "b" * N,
    "attr-list": "{:" + " on" * N,
    "backticks": "` ``" * N,
    "comments": "<!--" * N,
    "fences": "```\n" * N,
    "link-next-line": "](\n" * N,
    "citations": "【宪法第" * N,
    "cue-brackets": "[" + "0:" * N,
}


@pytest.mark.parametrize("text", BLOWUPS.values(), ids=BLOWUPS.keys())
def test_scanners_are_linear(text: str) -> None:
    started = time.process_time()
    body_problems(text, NEW, 1)
    list(CITATION.finditer(text))
    parse_transcript(text, EPISODE, 1)
    assert time.process_time() - started < HANG_SECONDS


# --- files and builds ----------------------------------------------------------------------------

def test_lone_cr_line_endings_are_read(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Old Mac editors end lines with CR alone; the file must read as the lines the editor sees."""
    minisite.write(NEW, lesson().replace("\n", "\r"))
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_second_build_is_identical(minisite: Site) -> None:
    def snapshot() -> dict[str, str]:
        return {p.relative_to(minisite.out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(minisite.out.rglob("*")) if p.is_file()}

    assert minisite.build().returncode == 0
    first = snapshot()
    assert minisite.build().returncode == 0
    assert snapshot() == first
    assert not [p.name for p in minisite.root.iterdir() if ".pufa-" in p.name]


@pytest.mark.parametrize("relative", ["content/lessons/catalog.json", "content/radio/ep001.vtt", "content/pagefind/pagefind-entry.json",
                                      "content/departments/report.csv", "content/radio/ep001.chapters.json", "content/assets/pufa.css"])
def test_static_file_shadowing_generated_file_is_reported(
    minisite: Site, relative: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A static file where the site writes one is dropped, or replaces a theme asset site-wide (body{display:none})."""
    minisite.write(relative, "WEBVTT\n" if relative.endswith(".vtt") else "{}\n")
    monkeypatch.chdir(minisite.root)
    status = main(["check"])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith(f"{relative}:1: 与网站生成的文件 /{relative.removeprefix('content/')}"), err


def test_static_file_shadowing_a_material_asset_fails_the_build(minisite: Site) -> None:
    """Material's assets are known only to the build, which reports them as pufa check does the theme's own."""
    minisite.write("content/assets/images/favicon.png", "x")
    result = minisite.build()
    assert result.returncode == 1
    assert "content/assets/images/favicon.png:1: 与网站生成的文件 /assets/images/favicon.png（网站主题的文件）" in result.output


# --- the CLI ---------------------------------------------------------------------------------------

def run_cli(site: Site, args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(site.root)
    try:
        status = main(args)
    except SystemExit as exit:  # argparse
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def new_lesson(site: Site, title: str, slug: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    args = ["new", "lesson", "--title", title, "--topic", "xianfa", "--department", "sifaju", "--slug", slug]
    return run_cli(site, args, capsys, monkeypatch)


@pytest.mark.parametrize("title", ['他说: "不" #1', "[a] {b} &c *d | > e", "<script>alert(1)</script>", "- 列表？", "'单引号' `反引号`"])
def test_new_keeps_any_title(minisite: Site, title: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = new_lesson(minisite, title, "hostile-title", capsys, monkeypatch)
    assert status == 0, out
    written = minisite.root / "content/lessons/xianfa/hostile-title.md"
    assert frontmatter.loads(written.read_text(encoding="utf-8"))["title"] == title
    status, out = run_cli(minisite, ["check"], capsys, monkeypatch)
    assert "Traceback" not in out
    assert not [line for line in out.splitlines() if line.startswith("content/lessons/xianfa/hostile-title.md:2:")], out


def test_new_refuses_a_taken_slug(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = new_lesson(minisite, "国家宪法日", "guojia-xianfa-ri", capsys, monkeypatch)
    assert status == 1 and out.startswith("错误：--slug: 网址 /lessons/xianfa/guojia-xianfa-ri/ 已被 "
                                          "content/lessons/xianfa/xianfa-ri.md 使用"), out
    assert not (minisite.root / "content/lessons/xianfa/guojia-xianfa-ri.md").exists()


def test_new_refuses_control_characters(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = new_lesson(minisite, "a\x07b", "ctrl-title", capsys, monkeypatch)
    assert status == 1 and out.startswith("错误：--title: 含有看不见的控制字符 U+0007"), out
    assert not (minisite.root / "content/lessons/xianfa/ctrl-title.md").exists()


@pytest.mark.parametrize("target", ["content", "nope/dir/r.csv"])
def test_report_to_unwritable_place(minisite: Site, target: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        status, out = run_cli(minisite, ["report", "-o", target], capsys, monkeypatch)
    except OSError as exc:  # what happens today
        pytest.fail(f"traceback: {exc!r}")
    assert status == 1 and target in out and "Traceback" not in out, out


def test_unknown_command_is_explained_in_chinese(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, out = run_cli(minisite, ["frobnicate"], capsys, monkeypatch)
    assert status != 0
    assert "invalid choice" not in out and "choose from" not in out, out


@pytest.mark.parametrize("today", ['"<script>"', "[1]", "2026-13-45", "{a: 1}"])
@pytest.mark.parametrize("command", [["check"], ["report"], ["new", "month", "--month", "2026-09", "--title", "九月"]])
def test_bad_today_option_is_reported_by_check(minisite: Site, today: str, command: list[str], capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config = minisite.read("mkdocs.yml").replace('today: "2026-03-20"', f"today: {today}")
    line = config[:config.index("today:")].count("\n") + 1
    minisite.write("mkdocs.yml", config)
    try:
        status, out = run_cli(minisite, command, capsys, monkeypatch)
    except ValueError as exc:
        pytest.fail(f"traceback: {exc!r}")
    assert status == 1 and f"mkdocs.yml:{line}: plugins.pufa.today: 日期 " in out and "应写作 2026-03-15" in out, out
    assert not (minisite.root / "content/months/2026-09.md").exists()
    if command != ["check"] or today == "2026-13-45":  # MkDocs' own YAML loader refuses that one
        return
    build = minisite.build()  # the same message, from the same function
    assert build.returncode == 1 and out.strip().removeprefix("错误：") in build.output, build.output


# --- amplification, links and drafts ---------------------------------------------------------------

class BuildTooSlow(Exception):
    pass


def test_many_citations_build_in_linear_time(minisite: Site) -> None:
    minisite.write(NEW, body("【宪法第五条】" * 6000))
    # A hang guard for the whole build (a CPU-time timer interrupts it, so a blow-up costs the guard,
    # not the run); the quadratic Markdown behaviour itself is pinned by tests/test_citing.py's
    # 20,000-citation unit test. About 5 s of CPU; the guard leaves room for a slow CI runner.
    def too_slow(signum: int, frame: object) -> None:
        raise BuildTooSlow

    previous = signal.signal(signal.SIGPROF, too_slow)
    signal.setitimer(signal.ITIMER_PROF, 60)
    try:
        result = minisite.build()
    except BuildTooSlow:
        pytest.fail("the build took more than 60 s of CPU time")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    assert result.returncode == 0, result.output
    assert minisite.page("lessons/xianfa/ceshi-kecheng").count('class="pufa-cite"') >= 6000


@pytest.mark.parametrize("link", ["[x](nope.md)", "[x](../../../site_config/site.yml)"])
def test_broken_link_is_reported_by_check(minisite: Site, link: str, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Once MkDocs' English, unlocated warning (“Doc file … contains a link …”) in the build."""
    minisite.write(NEW, body(link))
    status, out = run_cli(minisite, ["check"], capsys, monkeypatch)
    assert status == 1 and out.startswith(f"{NEW}:10: 正文: 链接 “{link[4:-1]}” 指向的页面或文件不存在"), out


def test_draft_lesson_image_is_not_published(minisite: Site) -> None:
    """Once copied into site/ although only the draft lesson (left out) used it; one a published page shows stays."""
    minisite.write(NEW, body("![图](draft-only.png) ![图](shared.png)", draft="true"))
    minisite.write("content/about.md", fixture("content/about.md") + "\n![图](lessons/xianfa/shared.png)\n")
    for name in ("draft-only.png", "shared.png"):
        (minisite.root / "content/lessons/xianfa" / name).write_bytes((MINISITE / "content/radio/cover.png").read_bytes())
    result = minisite.build()
    assert result.returncode == 0, result.output
    assert not list(minisite.out.rglob("draft-only.png"))
    assert (minisite.out / "lessons/xianfa/shared.png").is_file()


def test_link_to_draft_is_reported(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a dead link on the built site that neither pufa check nor the strict build reported."""
    minisite.write(NEW, lesson(draft="true"))
    minisite.write("content/about.md", "---\ntitle: 关于\n---\n\n[草稿](lessons/xianfa/red.md)\n")
    status, out = run_cli(minisite, ["check"], capsys, monkeypatch)
    assert status == 1 and out.startswith(f"content/about.md:5: 正文: 链接 “lessons/xianfa/red.md” 链接到草稿/定时发布的内容 {NEW}"), out


@pytest.mark.parametrize("extra", ["draft: true\n", "air_in_future"])
def test_unpublished_episode_keeps_its_caption_file_back(minisite: Site, extra: str) -> None:
    front = episode_front("transcript: t.vtt\n" + ("" if extra == "air_in_future" else extra))
    if extra == "air_in_future":
        front = front.replace("air: 2026-03-13 18:30", "air: 2027-03-13 18:30")
    minisite.write(EPISODE, front)
    minisite.write("content/radio/t.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v 林晓>未发布的秘密\n")
    minisite.write(MONTH, fixture(MONTH).replace("episodes: [1]\n", ""))
    assert minisite.build().returncode == 0
    for path in minisite.out.rglob("*"):
        if path.is_file() and path.suffix in (".vtt", ".srt", ".json", ".xml", ".html"):
            assert "未发布的秘密" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_long_transcript_renders_in_linear_time() -> None:
    """40,000 cues (a 1.7 MB caption file) once took Python-Markdown over 20 s, quadratic in the cues:
    one raw HTML block per cue, and the rest of the document copied and rescanned at the end of each
    block (markdown.htmlparser's handle_endtag). That work is per raw HTML block, so the block count
    is what must not grow with the cues: one block per chapter, however many cues it holds. Counted,
    not timed: the quadratic version fails at any size (4,000 blocks here), on any machine."""
    import markdown

    from pufa.transcript import Chapter, Cue, Transcript, to_markdown

    chapters = [Chapter(title, first, number, [Cue(second, "林晓", f"第{second}句", 1) for second in range(first, first + 2_000)])
                for number, (title, first) in enumerate([("开场", 0), ("问答", 2_000)], start=1)]
    md = markdown.Markdown(extensions=["toc", "attr_list", "md_in_html"])
    html = md.convert(to_markdown(Transcript(chapters)))
    assert html.count('<p class="pufa-cue"') == 4_000
    assert len(md.htmlStash.rawHtmlBlocks) == len(chapters)


def test_duplicate_episode_guid_is_reported(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    episode = fixture(EPISODE).replace("summary: 第一期节目。", "summary: 第一期节目。\nguid: same-guid-123")
    minisite.write(EPISODE, episode)
    minisite.write("content/radio/ep002.md", episode.replace("number: 1", "number: 2"))
    status, out = run_cli(minisite, ["check"], capsys, monkeypatch)
    assert status == 1, out
    assert f"{EPISODE}:8: guid: guid “same-guid-123” 与 content/radio/ep002.md的相同" in out, out
    assert f"content/radio/ep002.md:8: guid: guid “same-guid-123” 与 {EPISODE}的相同" in out, out


def test_guid_equal_to_another_episodes_derived_guid_is_reported(
    minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uuid
    from types import SimpleNamespace

    from pufa.feeds import episode_guid

    channel = uuid.UUID("3b7e3f8e-0b4c-5b43-9f7e-1f5a0d7a4c11")  # the minisite's podcast.yml
    derived = episode_guid(channel, SimpleNamespace(meta=SimpleNamespace(guid=None, number=1)))  # type: ignore[arg-type]
    second = fixture(EPISODE).replace("number: 1", "number: 2").replace("summary: 第一期节目。", f"summary: 第一期节目。\nguid: {derived}")
    minisite.write("content/radio/ep002.md", second)
    status, out = run_cli(minisite, ["check"], capsys, monkeypatch)
    assert status == 1, out
    assert f"content/radio/ep002.md:8: guid: guid “{derived}” 与 {EPISODE}（由期号生成）的相同" in out, out
    assert not [line for line in out.splitlines() if line.startswith(f"{EPISODE}:")], out
