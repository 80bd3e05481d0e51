"""Finding and rendering 【…】 citations in Markdown, renderer-neutral.

Rendering produces inline HTML inside the Markdown, with links relative to
the citing page so sites under a sub-path keep working.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .errors import ContentError
from .htmlpolicy import without_code_spans
from .routes import relative
from .laws import CITATION, Citation, CitationError, LawBook, resolve
from .text import lines_html

#: Block structure only: which lines are code is all citations need to know.
_COMMONMARK = MarkdownIt("commonmark").disable("inline")
_QUOTE_ONLY = re.compile(r"^(?P<indent>\s*)>\s*(?P<cite>【[^】]*】)\s*$")


def _code_lines(text: str) -> set[int]:
    """Indexes of the lines in fenced or indented code blocks, by CommonMark's rules.

    markdown-it knows what hand-written fence tracking gets wrong: a fence closes
    only with the same character at least as long, fences may sit in lists and
    blockquotes, and indented code needs a blank line before it.
    """
    lines: set[int] = set()
    for token in _COMMONMARK.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def _lines_outside_code(text: str) -> Iterator[tuple[int, str, bool]]:
    """Each line with its index and whether it lies outside code blocks."""
    code = _code_lines(text) if "【" in text else set()
    for index, line in enumerate(text.split("\n")):
        yield index, line, index not in code


def _citations(line: str) -> Iterator[re.Match[str]]:
    """Citations on a line of prose, except those in inline code spans (`【…】`).

    The spans are blanked with spaces, so the matches' positions are the line's own.
    """
    return CITATION.finditer(without_code_spans(line))


def scan(text: str, book: LawBook | None, shown: str, first_line: int, field: str = "正文") -> tuple[list[Citation], list[ContentError]]:
    """Resolve every citation in ``text``; errors carry the file line of each."""
    citations: list[Citation] = []
    errors: list[ContentError] = []
    for index, line, live in _lines_outside_code(text):
        if not live:
            continue
        for match in _citations(line):
            if book is None:
                errors.append(ContentError(shown, first_line + index, field,
                                           f"引用了 {match.group(0)}，但站点没有 site_config/laws.yml：请先录入所引法条"))
                continue
            try:
                citations.append(resolve(match, book))
            except CitationError as exc:
                errors.append(ContentError(shown, first_line + index, field, f"{match.group(0)}：{exc}"))
    return citations, errors


def inline_html(citation: Citation, book: LawBook, page_url: str) -> Markup:
    """A citation as a link with the article's text for the hover card; escaped here, once."""
    text = "\n".join(citation.text(book))
    return Markup(
        '<span class="pufa-cite"><a class="pufa-cite__link" href="%s" title="%s">%s</a>'
        '<span class="pufa-cite__text" aria-hidden="true">%s</span></span>'
    ) % (relative(citation.url, page_url), text, citation.label(book), lines_html(text))


def quote_html(citation: Citation, book: LawBook, page_url: str) -> Markup:
    paragraphs = Markup("").join(Markup("<p>%s</p>") % lines_html(p) for p in citation.text(book))
    return Markup(
        '<blockquote class="pufa-quote"><p class="pufa-quote__source">'
        '<a class="pufa-cite__link" href="%s">%s</a></p>%s</blockquote>'
    ) % (relative(citation.url, page_url), citation.label(book), paragraphs)


def by_text(text: str, citations: list[Citation]) -> dict[str, Citation]:
    """Each citation as written (``【宪法第三十三条】``) -> what :func:`scan` resolved it to,
    so that rendering never resolves again. Empty when scanning found errors (nothing is rendered then)."""
    written = [match.group(0) for _index, line, live in _lines_outside_code(text) if live
               for match in CITATION.finditer(line)]
    return dict(zip(written, citations, strict=True)) if len(written) == len(citations) else {}


def _cited(match: re.Match[str], cited: Mapping[str, Citation], book: LawBook) -> Citation | None:
    """The resolved citation; text the checks never scanned (a caption file's cues) is resolved here."""
    if (found := cited.get(match.group(0))) is not None:
        return found
    try:
        return resolve(match, book)
    except CitationError:
        return None


def render(markdown: str, book: LawBook | None, page_url: str, cited: Mapping[str, Citation]) -> str:
    """Expand citation-only blockquotes into quotes, and inline citations into links."""
    if book is None or "【" not in markdown:
        return markdown

    def inline(match: re.Match[str]) -> str:
        citation = _cited(match, cited, book)
        return match.group(0) if citation is None else inline_html(citation, book, page_url)

    out: list[str] = []
    for _index, line, live in _lines_outside_code(markdown):
        if not live:
            out.append(line)
            continue
        quote = _QUOTE_ONLY.match(line)
        if quote:
            match = CITATION.fullmatch(quote.group("cite"))
            if match and (citation := _cited(match, cited, book)) is not None:
                out.extend(["", quote_html(citation, book, page_url), ""])
                continue
        pieces: list[str] = []
        position = 0
        for match in _citations(line):
            pieces += [line[position:match.start()], inline(match)]
            position = match.end()
        out.append("".join(pieces) + line[position:])
    return "\n".join(out)
