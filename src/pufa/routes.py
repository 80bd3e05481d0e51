"""The site's URL scheme: every site-relative URL and output path, and nothing else.

URLs are site-relative: no leading slash, pages end with ``/``, files do not.
They derive from content keys, never from where a file lies, so moving a file
never breaks a printed link. Python reaches them through this module and
templates through the one Jinja global ``route`` (this module), so the scheme
can change in one place; ``tests/test_routes.py`` greps for literals elsewhere.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

_FEED = "feed.xml"
_INDEX = "index.html"
_PAGE = "page"


def home() -> str:
    return ""


def lessons() -> str:
    return "lessons/"


def topic(key: str) -> str:
    return f"{lessons()}{key}/"


def lesson(topic_key: str, slug: str) -> str:
    return f"{topic(topic_key)}{slug}/"


def audience(key: str) -> str:
    return f"{lessons()}audience/{key}/"


def grade(key: str) -> str:
    return f"{lessons()}grade/{key}/"


def term(vocabulary: str, key: str) -> str:
    """A lesson listing by ``audience`` or ``grade``: templates pick the vocabulary by name."""
    return {"audience": audience, "grade": grade}[vocabulary](key)


def topic_feed(key: str) -> str:
    return topic(key) + _FEED


def catalog() -> str:
    return f"{lessons()}catalog.json"


def catalog_schema() -> str:
    return f"{lessons()}catalog.schema.json"


def months() -> str:
    return "months/"


def month(key: str) -> str:
    return f"{months()}{key}/"


def radio() -> str:
    return "radio/"


def episode(slug: str) -> str:
    return f"{radio()}{slug}/"


@dataclass(frozen=True)
class EpisodeFiles:
    """Where an episode's transcript and chapters are published, beside its page."""

    vtt: str
    srt: str
    chapters: str


def episode_files(slug: str) -> EpisodeFiles:
    base = radio() + slug
    return EpisodeFiles(f"{base}.vtt", f"{base}.srt", f"{base}.chapters.json")


def podcast_feed() -> str:
    return radio() + _FEED


def events() -> str:
    return "events/"


def event(slug: str) -> str:
    return f"{events()}{slug}/"


def laws() -> str:
    return "laws/"


def law(key: str) -> str:
    return f"{laws()}{key}/"


def article_anchor(article: str) -> str:
    return f"article-{article}"


def article(law_key: str, article_key: str) -> str:
    return f"{law(law_key)}#{article_anchor(article_key)}"


def taught(law_key: str, article_key: str) -> str:
    """Everything that teaches one article, a page at a time: the law page lists the first few."""
    return f"{law(law_key)}{article_anchor(article_key)}/"


def departments() -> str:
    return "departments/"


def department(key: str) -> str:
    return f"{departments()}{key}/"


def report() -> str:
    return f"{departments()}report/"


def report_csv() -> str:
    return f"{departments()}report.csv"


def site_feed() -> str:
    return _FEED


def paged(url: str, number: int) -> str:
    """Page ``number`` of the index at ``url``: page 1 keeps the index's own URL, so links
    printed before the index grew still work; later pages are ``lessons/page/2/`` …"""
    if number < 1:
        raise ValueError(f"page {number}")
    return url if number == 1 else f"{url}{_PAGE}/{number}/"


def page(src_uri: str) -> str:
    """An ordinary page's URL from its file: ``about.md`` -> ``about/``, ``x/index.md`` -> ``x/``."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def source_uri(url: str) -> str:
    """Where a generated page pretends to live in the content tree (MkDocs needs a source name)."""
    return f"{url}index.md"


def alias(path: str) -> str:
    """An old URL as written in front matter (``/lessons/x/old/``), site-relative."""
    return path.strip("/") + "/"


def output_path(url: str) -> str:
    """The file a URL is written to: pages ``x/`` -> ``x/index.html``, files as they are."""
    path = url.partition("#")[0]
    return path + _INDEX if path == "" or path.endswith("/") else path


def relative(target: str, from_url: str) -> str:
    """``laws/xianfa/#article-33`` as seen from the page at ``lessons/xianfa/foo/``."""
    path, _, fragment = target.partition("#")
    base = posixpath.dirname(from_url.rstrip("/") + "/x") or "."
    result = posixpath.relpath(path or ".", base)
    if path.endswith("/") and not result.endswith("/"):
        result += "/"
    return result + (f"#{fragment}" if fragment else "")


def _segments_under(prefix: str, urls: list[str]) -> frozenset[str]:
    """The first path segment after ``prefix`` of each URL, without a file extension."""
    return frozenset(url.removeprefix(prefix).split("/", 1)[0].split(".", 1)[0] for url in urls)


_KEY = "x"
#: Path segments under /lessons/ that generated pages and files use; a topic cannot take them.
#: ``index`` and ``feed`` are the file stems a topic directory itself holds; ``all`` is kept
#: free for an all-lessons listing; ``page`` holds the later pages of /lessons/ itself.
RESERVED_TOPIC_KEYS = _segments_under(
    lessons(), [audience(_KEY), grade(_KEY), catalog(), catalog_schema(), _INDEX, _FEED, paged(lessons(), 2)]
) | {"all"}
#: Path segments under /departments/ that generated pages and files use.
RESERVED_DEPARTMENT_KEYS = _segments_under(departments(), [report(), report_csv(), paged(departments(), 2)])
