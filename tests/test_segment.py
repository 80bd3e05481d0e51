"""pufa.segment cuts as jieba does: heading anchors are URLs, and index words must match queries.

jieba-rs is compiled from jieba's algorithm and dictionary; these tests hold it to jieba
itself on the fixture counties' text, so that a new rjieba whose dictionary or cuts drift
fails here instead of silently moving every anchor on a county's site.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pufa import segment
from pufa.slugs import slugify

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _lines() -> list[str]:
    found = dict.fromkeys(
        line.strip()
        for path in sorted(FIXTURES.rglob("*"))
        if path.suffix in {".md", ".yml"}
        for line in path.read_text(encoding="utf-8").splitlines()
        if segment.has_han(line)
    )
    return [*found, "12月4日，国家宪法日", "未成年人保护法第三十九条", "拖欠工资找12348热线", "高空抛物致人损害"]


def test_fixture_text_is_cut_into_the_same_chinese_words_as_jieba(jieba) -> None:  # type: ignore[no-untyped-def]
    lines = _lines()
    assert len(lines) > 100
    for line in lines:
        ours = [word for word in segment.words(line) if segment.has_han(word)]
        assert ours == [word for word in jieba.lcut(line, HMM=True) if segment.has_han(word)], line
        assert "".join(segment.words(line)) == line


def test_search_parts_are_jiebas_search_mode_parts(jieba) -> None:  # type: ignore[no-untyped-def]
    for word in ("未成年人保护法", "未成年人", "劳动合同", "国家宪法日", "高空抛物"):
        expected = [part for part in dict.fromkeys(jieba.cut_for_search(word, HMM=False)) if part != word]
        assert list(segment.parts(word)) == expected, word
    assert {"未成年人", "保护法"} <= set(segment.parts("未成年人保护法"))


def test_anchors_are_the_same_as_with_jieba_also_where_ascii_runs_are_cut_differently(
    jieba, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """jieba-rs keeps 2026-06-01 whole where jieba cuts at each hyphen; the anchor is the same."""
    headings = [*_lines(), "2026-06-01 开学第一课", "class_minutes 班会", "C++ 与 Q&A：问答", "iPhone14 和 5G 网络"]
    assert segment.words("2026-06-01") != jieba.lcut("2026-06-01")  # the difference this is about
    ours = [slugify.__wrapped__(heading) for heading in headings]
    monkeypatch.setattr("pufa.slugs._segmenter", lambda: jieba.lcut)
    assert ours == [slugify.__wrapped__(heading) for heading in headings]
