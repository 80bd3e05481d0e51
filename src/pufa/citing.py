"""Finding and rendering 【…】 citations in Markdown, renderer-neutral.

Citations are rendered *after* Markdown: :func:`stash` puts a short placeholder
in place of each citation (Markdown passes it through untouched, in emphasis,
headings, tables, lists and links alike), and :func:`fill` swaps in the
citation's HTML in one linear pass before the page is sanitised. Law texts are data: put into the Markdown, their
``*`` and ``[…](…)`` would become markup, and each long span made Python-Markdown's
inline pass quadratic. Links are relative to the citing page so sites under a
sub-path keep working.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping

from markupsafe import Markup, escape

from .errors import ContentError
from .htmlpolicy import without_code_spans
from .routes import relative
from .laws import CITATION, Citation, CitationError, LawBook, resolve
from .links import structure
from .text import lines_html

_QUOTE_ONLY = re.compile(r"^(?P<indent>\s*)>\s*(?P<cite>【[^】]*】)\s*$")
#: How much of a citation an error message repeats: a pasted 5,000-character one stays readable.
_SHOWN = 40


def _lines(text: str) -> Iterator[tuple[str, bool, bool]]:
    """Each line, whether it lies outside code blocks, and whether it is (part of) a heading."""
    if "【" in text:
        found = structure(text)
        code, headings = found.code_lines, found.heading_lines
    else:
        code, headings = frozenset(), frozenset()
    for index, line in enumerate(text.split("\n")):
        yield line, index not in code, index in headings


def _lines_outside_code(text: str) -> Iterator[tuple[int, str, bool]]:
    """Each line with its index and whether it lies outside code blocks."""
    for index, (line, live, _heading) in enumerate(_lines(text)):
        yield index, line, live


def _citations(line: str) -> Iterator[re.Match[str]]:
    """Citations on a line of prose, except those in inline code spans (`【…】`).

    The spans are blanked with spaces, so the matches' positions are the line's own.
    """
    return CITATION.finditer(without_code_spans(line))


def _shown(written: str) -> str:
    return written if len(written) <= _SHOWN else written[:_SHOWN] + "…"


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
                                           f"引用了 {_shown(match.group(0))}，但站点没有 site_config/laws.yml：请先录入所引法条"))
                continue
            try:
                citations.append(resolve(match, book))
            except CitationError as exc:
                errors.append(ContentError(shown, first_line + index, field, f"{_shown(match.group(0))}：{exc}"))
    return citations, errors


def inline_html(citation: Citation, book: LawBook, page_url: str, key: str) -> Markup:
    """A citation as a link with the article's text for the hover card; escaped here, once.

    The card is the link's description for screen readers (``aria-describedby``), and
    hidden from them as page text, so the article's text is in the page once: as a
    ``title`` as well it made a lesson's page twice the size of bare Material's.
    """
    label, text = _card(citation, book)
    return Markup(
        '<span class="pufa-cite"><a class="pufa-cite__link" href="%s" aria-describedby="pufa-%s">%s</a>'
        '<span class="pufa-cite__text" id="pufa-%s" aria-hidden="true">%s</span></span>'
    ) % (relative(citation.url, page_url), key, label, key, text)


#: The law book the cards below were made from, and its cards: a site cites the same articles
#: on many pages, and escaping an article's text for every citation was a quarter of a rebuild.
_cards: tuple[LawBook | None, dict[Citation, tuple[Markup, Markup]]] = (None, {})


def _card(citation: Citation, book: LawBook) -> tuple[Markup, Markup]:
    """The citation's label and its article's text, escaped, for the hover card."""
    global _cards
    if _cards[0] is not book:
        _cards = (book, {})
    cards = _cards[1]
    if (found := cards.get(citation)) is None:
        found = cards[citation] = (escape(citation.label(book)), lines_html("\n".join(citation.text(book))))
    return found


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


#: (Markdown, laws' digest, page URL) -> what :func:`stash_anew` made of them, for this process.
_stashed: dict[tuple[str, str, str], tuple[str, dict[str, Markup]]] = {}
_STASHED_MAX = 16384


def stash(markdown: str, book: LawBook | None, page_url: str, cited: Mapping[str, Citation]) -> tuple[str, dict[str, Markup]]:
    """:func:`stash_anew`, remembered for the same Markdown, laws and page: the live preview stashes
    every page's citations on every save, and nearly all are as they were. (What ``cited`` holds
    follows from the Markdown and the laws.)"""
    if book is None or "【" not in markdown:
        return markdown, {}
    key = (markdown, book.digest, page_url)
    if (found := _stashed.get(key)) is None:
        if len(_stashed) >= _STASHED_MAX:
            _stashed.clear()
        found = _stashed[key] = stash_anew(markdown, book, page_url, cited)
    return found[0], dict(found[1])


def stash_anew(markdown: str, book: LawBook | None, page_url: str,
               cited: Mapping[str, Citation]) -> tuple[str, dict[str, Markup]]:
    """The Markdown with a placeholder for each citation, and placeholder -> the citation's HTML.

    A placeholder is named by a hash of the Markdown, so no text in it can be one.
    In prose it is plain text between private-use characters, which no Markdown
    pattern looks at: Python-Markdown's inline pass costs time per *match* times
    the paragraph's length, so 20,000 tags in one paragraph still take seconds.
    In a heading it is an inline tag (``<pufa-cite-…>``), which the toc leaves out
    of the heading's id and its entry in the table of contents. A citation-only
    ``> 【…】`` line becomes a placeholder line of its own (``quote-``), which
    Markdown makes a paragraph; :func:`fill` replaces the paragraph whole, so the
    quote stays block-level.
    """
    pieces: dict[str, Markup] = {}
    if book is None or "【" not in markdown:
        return markdown, pieces
    name = hashlib.blake2b(markdown.encode("utf-8"), digest_size=6).hexdigest()

    def token(html: Callable[[str], Markup], kind: str = "cite", heading: bool = False) -> str:
        key = f"{kind}-{name}-{len(pieces)}"
        pieces[key] = html(key)
        return f"<pufa-{key}>" if heading else f"\ue000{key}\ue001"

    out: list[str] = []
    for line, live, heading in _lines(markdown):
        if not live:
            out.append(line)
            continue
        quote = _QUOTE_ONLY.match(line)
        if quote:
            match = CITATION.fullmatch(quote.group("cite"))
            if match and (citation := _cited(match, cited, book)) is not None:
                html = quote_html(citation, book, page_url)
                out.extend(["", quote.group("indent") + token(lambda _key: html, "quote"), ""])
                continue
        pieces_of_line: list[str] = []
        position = 0
        for match in _citations(line):
            citation = _cited(match, cited, book)
            shown = match.group(0) if citation is None else token(
                lambda key: inline_html(citation, book, page_url, key), heading=heading)  # noqa: B023 - called at once
            pieces_of_line += [line[position:match.start()], shown]
            position = match.end()
        out.append("".join(pieces_of_line) + line[position:])
    return "\n".join(out), pieces


#: A placeholder as Markdown left it: a quote's may stand alone in a paragraph.
_PLACEHOLDER = re.compile(r"(<p>)?(?:\ue000|<pufa-)((cite|quote)-[0-9a-f]{12}-\d+)(?:\ue001|>)(</p>)?")


def fill(html: str, pieces: Mapping[str, Markup]) -> str:
    """Put each citation's HTML in place of its placeholder, in one pass (before sanitising)."""
    if not pieces:
        return html

    def piece(match: re.Match[str]) -> str:
        opened, key, kind, closed = match.groups()
        if (found := pieces.get(key)) is None:
            return match.group(0)
        if kind == "quote" and opened and closed:
            return str(found)
        return f"{opened or ''}{found}{closed or ''}"  # not str + Markup: that would escape the <p>

    return _PLACEHOLDER.sub(piece, html)


def render(markdown: str, book: LawBook | None, page_url: str, cited: Mapping[str, Citation]) -> str:
    """The Markdown with citation-only blockquotes expanded into quotes, and inline citations into links.

    The HTML of each citation as it will stand in the page; pages themselves use
    :func:`stash` and :func:`fill` around their Markdown.
    """
    return fill(*stash(markdown, book, page_url, cited))
