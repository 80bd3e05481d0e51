"""Unit tests of the content core: no MkDocs involved."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta

import pytest

from pufa.dates import TZ, build_today, localize
from pufa.reading import reading_minutes
from pufa.slugs import heading_slug, is_slug, slugify
from pufa.sources import read_source
from pufa.suggest import nearest, unknown_message
from pufa.dates import format_time
from pufa.transcript import parse_transcript, to_markdown
from pufa.yamlsource import parse_yaml


def test_core_does_not_import_mkdocs_and_the_command_loads_no_dictionary_before_it_needs_one() -> None:
    """In a fresh interpreter, so this test run's modules are never swapped out under other tests. The
    segmentation, pinyin and numeral dictionaries took most of a second before ``pufa --help`` answered."""
    import subprocess

    modules = ("pufa.pipeline", "pufa.checks", "pufa.views", "pufa.feeds", "pufa.catalog", "pufa.report",
               "pufa.cli", "pufa.scaffold", "pufa.offline", "pufa.site", "pufa.kinds", "pufa.routes")
    code = (
        "import importlib, sys\n"
        "import pufa.cli\n"
        "print(sorted(n for n in ('rjieba', 'pypinyin', 'cn2an') if n in sys.modules))\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(n for n in sys.modules if n == 'mkdocs' or n.startswith('mkdocs.')))\n"
        "from pufa.slugs import slugify\n"
        "print(slugify('国家宪法日'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "[]", "guojia-xianfa-ri"], done.stdout


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("12月4日，国家宪法日", "12-yue-4-ri-guojia-xianfa-ri"),
        ("民法典", "minfadian"),
        ("Hello, World", "hello-world"),
        ("女儿", "nver"),
        ("", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_cuts_long_titles_between_words() -> None:
    slug = slugify("中华人民共和国未成年人保护法关于家庭保护学校保护社会保护网络保护政府保护司法保护的规定")
    assert len(slug) <= 60 and is_slug(slug) and not slug.endswith("-")


def test_heading_slug_is_ascii_and_never_empty() -> None:
    assert heading_slug("法律怎么说") == "falv-zenme-shuo"
    assert heading_slug("！？") == "section"
    assert heading_slug("案例", "_") == "anli"


def test_reading_time_counts_characters() -> None:
    assert reading_minutes("字" * 300 + " word" * 50) == 1 and reading_minutes("字" * 300 + " word" * 51) == 2
    assert reading_minutes("**字**" * 400) == 1  # markup is not read
    assert reading_minutes("字" * 400) == 1
    assert reading_minutes("字" * 401) == 2
    assert reading_minutes("") == 1


def test_suggest_by_spelling_and_by_chinese_name() -> None:
    choices = {"xianfa": "宪法", "minfadian": "民法典"}
    assert nearest("xianfaa", choices) == "xianfa"
    assert nearest("民法典", choices) == "minfadian"
    assert nearest("zzz", choices) is None
    assert "可用的有：xianfa（宪法）" in unknown_message("主题", "zzz", choices)


def test_yaml_lines_point_at_keys_and_items() -> None:
    doc, errors = parse_yaml("a: 1\nlist:\n  - x\n  - y: 2\n    z: 3\n", "f.yml", first_line=2)
    assert not errors and doc is not None
    assert doc.key_line(("a",)) == 2
    assert doc.line_of(("list", 1)) == 5
    assert doc.key_line(("list", 1, "z")) == 6
    assert doc.key_line(("missing",)) == 2


def test_yaml_syntax_error_has_a_line() -> None:
    doc, errors = parse_yaml("a: [1\nb: 2\n", "f.yml", first_line=10)
    assert doc is None and errors[0].line >= 10 and "YAML 格式错误" in errors[0].message


def test_front_matter_lines_match_the_file(tmp_path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: 标题\ntopic: xianfa\n---\n\n## 正文\n", encoding="utf-8")
    source, errors = read_source(path, "x.md", "x.md", tmp_path)
    assert not errors and source is not None and source.front is not None
    assert source.front.key_line(("topic",)) == 3
    assert source.body.split("\n")[6 - source.body_line] == "## 正文"


def test_non_utf8_file_is_reported(tmp_path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes("---\ntitle: 标题\n---\n".encode("gbk"))
    source, errors = read_source(path, "x.md", "x.md", tmp_path)
    assert source is None and "UTF-8" in errors[0].message


def test_transcript_parse_chapters_and_cues() -> None:
    body = "\n## 开场\n\n[00:00] 林晓：大家好。\n\n[1:02:03] 王法官：你好。\n\n## 结束\n\n[1:02:10] 林晓：再见。\n"
    transcript, errors = parse_transcript(body, "e.md", 5)
    assert not errors
    assert [c.title for c in transcript.chapters] == ["开场", "结束"]
    assert [c.start for c in transcript.cues] == [0, 3723, 3730]
    assert transcript.chapters[1].start == 3730
    assert [c.speaker for c in transcript.cues] == ["林晓", "王法官", "林晓"]
    assert transcript.cues[1].line == 5 + 5
    assert format_time(3723) == "1:02:03" and format_time(65) == "01:05"
    html = to_markdown(transcript)
    assert '<p class="pufa-cue" id="t3723" data-start="3723">' in html and "## 结束" in html


def test_transcript_escapes_html() -> None:
    transcript, errors = parse_transcript("[00:01] A：<script>x</script>\n", "e.md", 1)
    assert not errors
    assert "<script>" not in to_markdown(transcript)


def test_transcript_errors() -> None:
    _, errors = parse_transcript("[00:10] 甲：一\n[00:05] 乙：二\n没有时间码的一行\n## 空章节\n", "e.md", 1)
    messages = {(e.line, e.message.split("，")[0]) for e in errors}
    assert (2, "时间码 00:05 没有晚于上一句的 00:10") in messages
    assert any(line == 3 for line, _ in messages)
    assert any(line == 4 for line, _ in messages)


def test_dates_are_beijing_time(monkeypatch: pytest.MonkeyPatch) -> None:
    assert localize(datetime(2026, 1, 1, 18, 30)).utcoffset() == timedelta(hours=8)
    assert build_today("2026-03-15") == date(2026, 3, 15)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767196800")  # 2025-12-31T16:00:00Z
    assert build_today() == date(2026, 1, 1)
    assert datetime.now(TZ).tzinfo is TZ
