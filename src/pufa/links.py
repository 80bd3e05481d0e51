"""Links and images in Markdown bodies: found by a real parser, resolved as the built site serves them.

MkDocs validates links only once it renders, in English and without a line,
and lets a link to a left-out page (a draft) through as a dead link. Resolving
every destination here, against the routes and the content files, lets
``pufa check`` point at the line; the build then knows which static files only
unpublished items use (held back with them) and which links to render as text.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from . import routes
from .errors import ContentError

if TYPE_CHECKING:
    from .campaign import Campaign
    from .kinds.base import Item

#: CommonMark with tables (as the site's Markdown has): code blocks and spans hold no links.
_PARSER = MarkdownIt("commonmark").enable("table")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Link:
    #: 0-based line in the body.
    line: int
    #: The destination as the parser read it (reference-style links resolved).
    dest: str
    image: bool


@dataclass(frozen=True)
class Structure:
    """What pufa needs to know of a body's Markdown, from one parse."""

    #: Every link and image destination, with its line.
    links: tuple[Link, ...]
    #: 0-based lines in fenced or indented code blocks, and lines of headings.
    code_lines: frozenset[int]
    heading_lines: frozenset[int]


@lru_cache(maxsize=16384)  # a county of many thousand items, still every body once
def structure(body: str) -> Structure:
    """The body's links, code blocks and headings, by CommonMark's rules (markdown-it).

    One parse serves the link checks and the citations (which must leave code alone
    and render differently in headings): parsing was a tenth of a rebuild, twice over.
    Cached: checks, the published campaign and the build each look.
    """
    found: list[Link] = []
    code: set[int] = set()
    headings: set[int] = set()
    for token in _PARSER.parse(body):
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(*token.map))
        elif token.type == "heading_open" and token.map:
            headings.update(range(*token.map))
        if token.type != "inline" or not token.map or not token.children:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("link_open", "image") and child.info != "auto":
                dest = str(child.attrGet("href" if child.type == "link_open" else "src") or "")
                found.append(Link(line, unquote(dest), child.type == "image"))
    return Structure(tuple(found), frozenset(code), frozenset(headings))


def find_links(body: str) -> tuple[Link, ...]:
    """Every link and image destination in ``body``, with its line."""
    return structure(body).links


@dataclass(frozen=True)
class Target:
    """What a site-internal destination points at; ``exists`` False: nothing."""

    exists: bool
    #: The item whose page (or redirect) it is.
    item: Item | None = None
    #: The content file (site-relative) it is.
    static: str | None = None


class LinkIndex:
    """Everything a body may link to: pages by URL and by source, built and content files."""

    def __init__(self, campaign: Campaign, items: Iterable[Item]) -> None:
        from .checks import built_files, project_theme_files, static_files
        from .views import site_views

        self.items = tuple(items)
        self.by_src: dict[str, Item] = {item.source.src_uri: item for item in self.items}
        views = site_views(campaign.config, campaign)  # no page for a law nothing cites
        self.generated_sources = {routes.source_uri(view.url) for view in views}
        self.urls: dict[str, Item | None] = {view.url: None for view in views}
        self.urls.update({routes.alias(alias): item for item in self.items for alias in item.aliases})
        self.urls.update({item.url: item for item in self.items})
        self.static = set(static_files(campaign))
        self.files = set(built_files(campaign)) | set(project_theme_files(campaign)) | self.static

    def resolve(self, item: Item, dest: str) -> Target | None:
        """The target of ``dest`` in ``item``'s body; None: external, or an anchor on the page."""
        parts = urlsplit(dest)
        if _SCHEME.match(dest) or parts.netloc or dest.startswith(("//", "\\")) or not parts.path:
            return None
        path = parts.path
        if path.startswith("/"):
            site = path.lstrip("/")
            page = next((url for url in (site, site + "/") if url in self.urls), None)
            if page is not None:
                return Target(True, self.urls[page])
            return Target(site in self.files, static=site if site in self.static else None)
        if not posixpath.splitext(path.rstrip("/"))[1]:  # left as is by MkDocs: the browser resolves it
            site = _joined(item.url, path)
            page = next((url for url in (site, site + "/") if site is not None and url in self.urls), None)
            return Target(True, self.urls[page]) if page is not None else Target(site is not None and site in self.files)
        content = _joined(posixpath.dirname(item.source.src_uri), path)
        if content is None:
            return Target(False)
        if content.endswith(".md"):
            return Target(content in self.by_src or content in self.generated_sources, self.by_src.get(content))
        return Target(content in self.static, static=content)

    def suggestion(self, item: Item, dest: str) -> str | None:
        """The existing destination closest to ``dest``, written the same way."""
        path = urlsplit(dest).path
        if path.startswith("/"):
            pool = [f"/{url}" for url in [*self.urls, *self.files]]
        elif not posixpath.splitext(path.rstrip("/"))[1]:
            pool = [routes.relative(url, item.url) for url in self.urls]
        else:
            base = posixpath.dirname(item.source.src_uri) or "."
            pool = [posixpath.relpath(target, base) for target in [*self.by_src, *self.static]]
        match = difflib.get_close_matches(path, pool, n=1, cutoff=0.7)
        return match[0] if match else None


def _joined(base: str, path: str) -> str | None:
    """``path`` relative to the directory ``base`` (site-relative, empty for the top); None outside the site."""
    joined = posixpath.normpath(posixpath.join(base or ".", path))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


def link_index(campaign: Campaign, items: Iterable[Item]) -> LinkIndex:
    """The index of ``items`` (all of them, published or not); memoized per campaign."""
    items = tuple(items)
    return campaign.memo(("link_index", tuple(map(id, items))), lambda: LinkIndex(campaign, items))  # type: ignore[no-any-return]


def references(campaign: Campaign, items: Iterable[Item]) -> list[tuple[Item, Link, Target]]:
    """Every site-internal link of every item's body, resolved; memoized per campaign."""
    items = tuple(items)

    def compute() -> list[tuple[Item, Link, Target]]:
        index = link_index(campaign, items)
        found = []
        for item in items:
            for link in find_links(item.kind.html_body(item)):
                if (target := index.resolve(item, link.dest)) is not None:
                    found.append((item, link, target))
        return found

    return campaign.memo(("links", tuple(map(id, items))), compute)  # type: ignore[no-any-return]


def link_problems(campaign: Campaign) -> list[ContentError]:
    """Links to nothing, and links from what will be published to a draft (dead on the site)."""
    index = link_index(campaign, campaign.items)
    problems = []
    for item, link, target in references(campaign, campaign.items):
        line = item.source.body_line + link.line
        if not target.exists:
            what = "图片" if link.image else "链接"
            guess = index.suggestion(item, link.dest)
            hint = f"，是否为 “{guess}”？" if guess else "，请改正或删除"
            problems.append(ContentError(item.source.shown, line, "正文", f"{what} “{link.dest}” 指向的页面或文件不存在{hint}"))
        elif target.item is not None and target.item.draft and not item.draft:
            problems.append(ContentError(
                item.source.shown, line, "正文",
                f"链接 “{link.dest}” 链接到草稿/定时发布的内容 {target.item.source.shown}（{target.item.title}），"
                "草稿不会发布，网站上的这个链接会失效：发布前请删除链接，或用 lessons:/episodes: 推荐"))
    return problems


_INLINE = re.compile(r"(?<!!)\[((?:[^\[\]\\]|\\.)*)\]\(\s*(<[^>]*>|[^\s)]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"(?<!!)\[((?:[^\[\]\\]|\\.)*)\](?:\[((?:[^\[\]\\]|\\.)*)\])?(?![(:])")
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:\s*(<[^>]*>|\S+)", re.M)


def unlinked(markdown: str, dead: Callable[[str], bool]) -> str:
    """``markdown`` with each link whose destination is ``dead`` rendered as its plain text.

    Only the lines the parser found such a link on change, so code blocks stay as written.
    """
    lines = {link.line for link in find_links(markdown) if not link.image and dead(link.dest)}
    if not lines:
        return markdown
    labels = {label.lower() for label, dest in _DEFINITION.findall(markdown) if dead(unquote(dest.strip("<>")))}

    def inline(match: re.Match[str]) -> str:
        return match.group(1) if dead(unquote(match.group(2).strip("<>"))) else match.group(0)

    def reference(match: re.Match[str]) -> str:
        label = (match.group(2) or match.group(1)).lower()
        return match.group(1) if label in labels else match.group(0)

    out = markdown.split("\n")
    for index in lines:
        out[index] = _REFERENCE.sub(reference, _INLINE.sub(inline, out[index]))
    return "\n".join(out)
