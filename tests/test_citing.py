"""Citations are found and rendered in prose only, never in Markdown code (CommonMark's rules)."""

from __future__ import annotations

import re

import pytest

from pufa.citing import fill, render, scan, stash
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


# --- rendering after Markdown: placeholders, then the citations' HTML ------------------------------

#: The demo's extensions: whatever Markdown the editors may write, the placeholders must pass through.
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
              "pymdownx.details", "pymdownx.superfences", "toc"]
LINK = '<a class="pufa-cite__link" href="../../../laws/xianfa/#article-33"'
#: Law text an editor pasted with Markdown and HTML in it: data, to be shown as it is.
HOSTILE = "平等 [点](https://evil.example/) *强调* _下划_ `代码` <b>粗</b> & \\* 1. # 末"
HOSTILE_BOOK = LawBook.model_validate({"laws": {"xianfa": {
    "title": "中华人民共和国宪法 *星* [链](https://evil.example/)", "short": ["宪法"], "version": "2018年修正",
    "source": "测试用条文", "articles": {"33": [HOSTILE, "第二款 **粗**"]},
}}})


def _page(markdown_text: str, book: LawBook = BOOK) -> tuple[str, list[dict]]:
    """The page's HTML as a renderer makes it (stash, Markdown, fill), and its table of contents."""
    import markdown

    from pufa.slugs import heading_slug

    converter = markdown.Markdown(extensions=EXTENSIONS,
                                  extension_configs={"toc": {"permalink": True, "slugify": heading_slug}})
    stashed, pieces = stash(markdown_text, book, PAGE, {})
    return fill(converter.convert(stashed), pieces), converter.toc_tokens  # type: ignore[attr-defined]


SURVIVES = {
    "paragraph start": f"{CITE}规定平等。",
    "emphasis": f"*强调{CITE}* 与 **加粗{CITE}**",
    "underscore emphasis": f"_强调{CITE}_",
    "link text": f"[见{CITE}](https://example.gov.cn/)",
    "table cell": f"| 条文 | 说明 |\n|---|---|\n| {CITE} | 平等 |",
    "list item": f"- {CITE}\n- 第二项 {CITE}",
    "ordered list": f"1. {CITE}规定",
    "blockquote": f"> 引文 {CITE} 之后",
    "admonition": f"!!! note \"注意\"\n    见 {CITE}。",
    "footnote": f"正文[^1]\n\n[^1]: 见 {CITE}",
    "heading": f"## 平等原则{CITE}",
    "setext heading": f"平等原则{CITE}\n--------",
}


@pytest.mark.parametrize("markdown_text", SURVIVES.values(), ids=SURVIVES.keys())
def test_citation_survives_markdown(markdown_text: str) -> None:
    html, _toc = _page(markdown_text)
    assert html.count(LINK) == markdown_text.count(CITE)
    cards = re.findall(r'<span class="pufa-cite__text" id="([^"]+)" aria-hidden="true">中华人民共和国公民', html)
    assert len(cards) == markdown_text.count(CITE)
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described == cards and len(set(cards)) == len(cards)  # each link described by its own card
    assert "\ue000" not in html and "<pufa-" not in html and CITE not in html


def test_heading_id_and_toc_leave_the_citation_out() -> None:
    html, toc = _page(f"## 平等原则{CITE}\n\n### {CITE}之后")
    _html, plain = _page("## 平等原则\n\n### 之后")
    assert toc == [{**plain[0], "html": toc[0]["html"], "children": [{**plain[0]["children"][0], "html": toc[0]["children"][0]["html"]}]}]
    assert [(entry["id"], entry["name"]) for entry in (toc[0], toc[0]["children"][0])] == [("pingdeng-yuanze", "平等原则"), ("zhihou", "之后")]
    assert f'<h2 id="pingdeng-yuanze">平等原则<span class="pufa-cite">{LINK}' in html


@pytest.mark.parametrize("markdown_text", [f"> {CITE}", f"前文\n\n> {CITE}\n\n后文", f"- 项目\n\n  > {CITE}"])
def test_quote_stays_a_block(markdown_text: str) -> None:
    html, _toc = _page(markdown_text)
    assert html.count('<blockquote class="pufa-quote">') == 1
    assert "<p><blockquote" not in html and "</blockquote></p>" not in html


def test_law_text_with_markdown_stays_text() -> None:
    html, _toc = _page(f"见{CITE}。\n\n> {CITE}\n\n## 标题{CITE}", HOSTILE_BOOK)
    escaped = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html.count(escaped) == 2 + 1  # the hover text of two inline citations, the quote: once each, escaped once
    assert f'title="{escaped}' not in html  # not as well in an attribute
    assert "《中华人民共和国宪法 *星* [链](https://evil.example/)》第三十三条" in html
    for markup in ("evil.example/\"", "<em>", "<strong>", "<code>", "<b>", "<li>", "<h1"):
        assert markup not in html


def test_placeholder_written_by_hand_is_not_filled() -> None:
    forged = "\ue000cite-000000000000-0\ue001 <pufa-cite-000000000000-0>"
    stashed, pieces = stash(f"{forged} {CITE}", BOOK, PAGE, {})
    assert len(pieces) == 1 and forged in fill(stashed, pieces)


def test_many_citations_render_in_linear_time() -> None:
    """6,000 citations took 30 s when their HTML went through Markdown's inline pass; 20,000 over two minutes."""
    import time

    started = time.process_time()  # CPU time: a loaded machine must not fail it
    html, _toc = _page(CITE * 20_000)
    assert html.count(LINK) == 20_000
    assert time.process_time() - started < 6


def test_error_shows_the_start_of_an_absurd_citation() -> None:
    absurd = "【宪法第5条之" + "9" * 5000 + "】"
    _citations, errors = scan(f"见{absurd}。", BOOK, "content/a.md", 10)
    (error,) = errors
    assert error.message.startswith(absurd[:40] + "…：") and len(error.message) < 200
    _citations, (without_book,) = scan(f"见{absurd}。", None, "content/a.md", 10)
    assert without_book.message.startswith(f"引用了 {absurd[:40]}…，") and len(without_book.message) < 200
