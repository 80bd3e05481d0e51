"""Citations are found and rendered in prose only, never in Markdown code (CommonMark's rules)."""

from __future__ import annotations

import pytest

from pufa.citing import render, scan
from pufa.laws import LawBook

BOOK = LawBook.model_validate({"laws": {"xianfa": {
    "title": "中华人民共和国宪法", "short": ["宪法"], "version": "2018年修正", "source": "测试用条文",
    "articles": {"33": ["中华人民共和国公民在法律面前一律平等。"]},
}}})
CITE = "【宪法第三十三条】"
#: Cited in code, this one would be an error if it were checked (article 999 is not in the book).
CODE = "【宪法第九百九十九条】"
PAGE = "lessons/xianfa/demo/"


def _text(*lines: str) -> str:
    return "\n".join(lines)


#: Markdown in which CODE sits in code and CITE in prose, the prose always on the last line.
IN_CODE = {
    "backtick fence": _text("```", CODE, "```", CITE),
    "tilde fence": _text("~~~", CODE, "~~~", CITE),
    "info string": _text("```markdown title=\"例\"", CODE, "```", CITE),
    "nested fence": _text("````markdown", "```", CODE, "```", CODE, "````", CITE),
    "tilde closes not backticks": _text("~~~", "```", CODE, "```", CODE, "~~~", CITE),
    "backticks close not tildes": _text("```", "~~~", CODE, "~~~", CODE, "```", CITE),
    "shorter fence does not close": _text("````", CODE, "```", CODE, "````", CITE),
    "indented fence": _text("   ```", CODE, "   ```", CITE),
    "fence in a list": _text("- 例子", "", "  ```", f"  {CODE}", "  ```", "", CITE),
    "fence in a blockquote": _text("> ```", f"> {CODE}", "> ```", "", CITE),
    "indented code block": _text("正文", "", f"    {CODE}", "", CITE),
    "inline code span": f"写作 `{CODE}` 即可引用，如 {CITE}",
    "double-backtick code span": f"写作 ``{CODE} ` `` 即可引用，如 {CITE}",
}


@pytest.mark.parametrize("markdown", IN_CODE.values(), ids=IN_CODE.keys())
def test_scan_skips_code(markdown: str) -> None:
    citations, errors = scan(markdown, BOOK, "content/a.md", 10)
    assert errors == []
    assert [c.article for c in citations] == ["33"]


@pytest.mark.parametrize("markdown", IN_CODE.values(), ids=IN_CODE.keys())
def test_render_leaves_code_alone(markdown: str) -> None:
    html = render(markdown, BOOK, PAGE, {})
    assert html.count(CODE) == markdown.count(CODE)
    assert CITE not in html
    assert html.splitlines()[-1].count('class="pufa-cite__link"') == 1
    assert html.splitlines()[:-1] == markdown.splitlines()[:-1]


NOT_CODE = {
    # Four spaces right after a paragraph line continue the paragraph: no indented code there.
    "lazy indentation": (_text("正文", f"    {CODE}"), 2),
    # An unclosed code span is literal backticks: the citation is prose.
    "unmatched backtick": (f"单个 ` 反引号 {CODE}", 1),
    # A fence after a closed one is a new fence; the text after it is prose again.
    "two fences": (_text("```", "x", "```", CODE, "~~~", "y", "~~~"), 4),
}


@pytest.mark.parametrize(("markdown", "line"), NOT_CODE.values(), ids=NOT_CODE.keys())
def test_scan_checks_prose_that_only_looks_like_code(markdown: str, line: int) -> None:
    citations, errors = scan(markdown, BOOK, "content/a.md", 1)
    assert citations == []
    assert [(e.line, CODE in e.message) for e in errors] == [(line, True)]


def test_render_keeps_columns_around_code_spans() -> None:
    line = f"{CITE} 与 `{CITE}` 与 {CITE}"
    html = render(line, BOOK, PAGE, {})
    assert html.count('class="pufa-cite__link"') == 2
    assert f" 与 `{CITE}` 与 " in html
