"""What a build produces, renderer-neutral: pages (with template and context), files, navigation.

:func:`build_site` is the one core call a renderer makes. It decides which pages
and files make the site; the MkDocs plugin (or any other renderer) only renders
each :class:`SitePage` with its template and writes what :meth:`SiteBuild.files`
returns, given the rendered HTML of the pages (the feeds carry it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from . import citing, links, routes
from .cache import Cache, file_status
from .checks import alias_collisions, shadowed_files, theme_files
from .campaign import Campaign
from .dates import chinese_date, chinese_datetime, format_time
from .errors import ContentError
from .feeds import site_feed
from .kinds import KINDS
from .kinds.base import Item
from .pagination import paginate
from .precompress import precompress
from .redirects import redirect_files
from .report import report_csv
from .search import SearchIndexError as SearchIndexError, write_index  # re-exported: what write() raises
from .search import abandon_background_index as abandon_background_index  # re-exported: for a preview's renderer
from .siteconfig import SiteConfig
from .text import lines_html, paragraphs_html
from .views import site_views

#: Templates of pufa's theme that render with autoescaping; Material's own templates print
#: some values raw on purpose and keep autoescaping off.
PUFA_TEMPLATES = frozenset({"main.html", "404.html", "partials/copyright.html", "partials/header.html", "partials/search.html",
                            "partials/toc.html", "partials/nav.html", "partials/tabs.html", "partials/pufa-section.html"})
#: Ordinary pages that join the navigation when the site has them: src_uri -> title.
OPTIONAL_NAV = {"about.md": "关于本站"}


@dataclass(frozen=True)
class SitePage:
    """One page of the site, ready for a renderer."""

    url: str
    #: Where the page's source lives (or, for a generated page, pretends to) in the content tree.
    src_uri: str
    #: Template name; None: the renderer's default page template (ordinary pages).
    template: str | None
    title: str
    description: str
    #: The Markdown to render into ``pufa.content``, with placeholders for its citations.
    markdown: str
    #: What the template reads as ``pufa``; the renderer adds ``content`` (the rendered Markdown).
    context: Mapping[str, Any]
    #: Front-matter options the renderer understands (``hide`` …).
    options: Mapping[str, Any] = field(default_factory=dict)
    #: A content item's own page (reached through indexes, not the navigation).
    item: Item | None = None
    #: The page's source is a content file (False: generated).
    from_file: bool = False
    #: Placeholder in :attr:`markdown` -> its citation's HTML (:func:`pufa.citing.stash`).
    citations: Mapping[str, Markup] = field(default_factory=dict)

    def fill(self, html: str) -> str:
        """The rendered Markdown with its citations in place: the renderer calls this before sanitising."""
        return citing.fill(html, self.citations)

    @property
    def output(self) -> str:
        return routes.output_path(self.url)

    @property
    def meta(self) -> dict[str, Any]:
        """The page's options, template, title and description, as a renderer's page metadata."""
        meta = {**self.options, **({"template": self.template} if self.template else {})}
        meta.update({key: value for key, value in (("title", self.title), ("description", self.description)) if value})
        return meta


@dataclass(frozen=True)
class SiteBuild:
    campaign: Campaign
    today: date
    pages: tuple[SitePage, ...]
    #: (title, url) of each navigation entry: sections, never every item.
    nav: tuple[tuple[str, str], ...]
    #: Content files (pages and their own media) an unpublished item keeps out of the site.
    withheld: tuple[str, ...]

    def files(self, rendered: Mapping[str, str]) -> dict[str, bytes]:
        """Site path -> bytes of every file besides pages, given each page's rendered HTML by URL."""
        campaign = self.campaign
        files = {routes.site_feed(): site_feed(campaign, rendered)}
        for kind in KINDS:
            files.update(kind.files(campaign, rendered))
        files.update(redirect_files(campaign))
        files[routes.report_csv()] = report_csv(campaign)
        return files

    def write(self, site_dir: Path, rendered: Mapping[str, str], cache: Cache | None = None, preview: bool = False) -> None:
        """Write :meth:`files` under ``site_dir``, index the pages for search, then precompress the finished site.

        Called last, once the renderer has written its pages and assets, so that the
        search index reads the pages as readers get them and the ``.gz`` files that
        nginx's ``gzip_static`` serves cover the whole site.
        """
        _WRITTEN.write_all(site_dir, self.files(rendered))
        write_index(site_dir, self.pages, self.campaign.config, cache, background=preview)
        if not preview:  # the preview server sends no .gz files
            precompress(site_dir)

    def collisions(self, written: dict[str, str], theme_dirs: Iterable[str]) -> list[ContentError]:
        """Aliases whose redirect page would overwrite a file the renderer writes (path -> source),
        and content files in the place of a file the theme ships (known to the renderer only)."""
        return alias_collisions(self.campaign, written) + shadowed_files(self.campaign, theme_files(theme_dirs))


class _Written:
    """What this process last wrote into a site folder, so that the next build of the same folder
    (the live preview, on every save) writes only the files whose bytes changed: writing every
    feed, transcript and caption file again cost a second at a thousand lessons. A file is only
    skipped while its status is the one it had right after it was written."""

    def __init__(self) -> None:
        self._site: Path | None = None
        self._files: dict[str, tuple[tuple[int, ...], bytes]] = {}

    def write_all(self, site_dir: Path, files: Mapping[str, bytes]) -> None:
        known = self._files if self._site == site_dir else {}
        written: dict[str, tuple[tuple[int, ...], bytes]] = {}
        for relative, data in files.items():
            path, fingerprint = site_dir / relative, hashlib.blake2b(data, digest_size=16).digest()
            before = known.get(relative)
            if before is None or before[1] != fingerprint or file_status(path) != before[0]:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            if (status := file_status(path)) is not None:
                written[relative] = (status, fingerprint)
        self._site, self._files = site_dir, written


_WRITTEN = _Written()


def generated_pages(config: SiteConfig) -> dict[str, str]:
    """URL -> title of every page the site generates itself: known without building any."""
    return {view.url: view.title for view in site_views(config)}


def autoescaped(template_name: str | None) -> bool:
    return template_name is not None and (template_name.startswith("pufa/") or template_name in PUFA_TEMPLATES)


def template_filters() -> dict[str, Callable[..., Any]]:
    return {
        "cn_date": chinese_date,
        "cn_datetime": chinese_datetime,
        "timecode": format_time,
        "paragraphs": paragraphs_html,
        "lines": lines_html,
    }


def template_globals(config: SiteConfig) -> dict[str, Any]:
    return {"pufa_site": config.site, "pufa_taxonomy": config.taxonomy, "pufa_podcast": config.podcast,
            "route": routes}


def _context(campaign: Campaign, src_uri: str, **values: Any) -> dict[str, Any]:
    return {"item": None, "view": None, "section": None, "unpublished": campaign.unpublished.get(src_uri),
            "content": Markup(""), **values}


def _item_page(campaign: Campaign, item: Item, dead: Callable[[str], bool] | None) -> SitePage:
    """The item's page; links for which ``dead`` holds (to what this build leaves out) become plain text."""
    src_uri = item.source.src_uri
    kind = item.kind
    body = item.body if dead is None else links.unlinked(item.body, dead)
    if kind.template is None:  # an ordinary page: the renderer's own template, the front matter's options
        options = {key: value for key, value in item.source.meta.items() if key != "title"} if item.source.front else {}
        return SitePage(item.url, src_uri, None, item.title, options.get("description", "") or "", body,
                        _context(campaign, src_uri), options, from_file=True)
    markdown, citations = citing.stash(body, campaign.config.laws, item.url, item.cited)
    context = _context(campaign, src_uri, item=item, section=kind.nav_section(campaign.config),
                       **kind.page_context(item, campaign))
    return SitePage(item.url, src_uri, kind.template, item.title, item.summary, markdown, context, item=item,
                    from_file=True, citations=citations)


def build_site(campaign: Campaign, today: date) -> SiteBuild:
    """The whole site for ``campaign`` (already cut by :meth:`Campaign.published`), built on ``today``."""
    config = campaign.config
    sources = campaign.by_src_uri()
    left_out = [entry.item for src_uri, entry in campaign.unpublished.items() if src_uri not in sources]
    index = links.link_index(campaign, (*campaign.items, *left_out))
    refs = links.references(campaign, (*campaign.items, *left_out))
    to_left_out = {item for item, _link, target in refs if target.item in left_out}

    def dead(item: Item) -> Callable[[str], bool]:
        return lambda dest: (target := index.resolve(item, dest)) is not None and target.item in left_out

    item_pages = {item.url: _item_page(campaign, item, dead(item) if item in to_left_out else None) for item in campaign.items}
    pages: list[SitePage] = []
    views = [each for view in site_views(config, campaign) for each in paginate(replace(view, data=view.fill(campaign, today)))]
    for view in views:
        page = item_pages.pop(view.url, None)  # a file at a generated URL (index.md) gives its body
        src_uri = page.src_uri if page else routes.source_uri(view.url)
        pages.append(SitePage(view.url, src_uri, view.template, view.title, view.description,
                              page.markdown if page else "", _context(campaign, src_uri, view=view),
                              from_file=page is not None, citations=page.citations if page else {}))
    pages.extend(item_pages.values())
    nav = [("首页", routes.home())]
    for kind in KINDS:
        nav.extend(kind.nav(config))
    nav.append(("谁执法谁普法", routes.departments()))
    if config.laws is not None:
        nav.append(("法律法规", routes.laws()))
    nav.extend((title, sources[src_uri].url) for src_uri, title in OPTIONAL_NAV.items() if src_uri in sources)
    withheld = [uri for item in left_out for uri in (item.source.src_uri, *item.kind.own_files(item))]
    return SiteBuild(campaign, today, tuple(pages), tuple(nav), tuple(withheld + _only_left_out_use(campaign, refs, left_out)))


def _only_left_out_use(campaign: Campaign, refs: list[tuple[Item, Any, Any]], left_out: list[Item]) -> list[str]:
    """Content files (an image …) that only items this build leaves out link to: withheld with them.

    What published items own (an episode's audio) or the configuration names (the podcast cover) stays.
    """
    used = {uri for item in campaign.items for uri in item.kind.own_files(item)}
    if campaign.config.podcast is not None:
        used.add(campaign.config.podcast.image)
    only: set[str] = set()
    for item, _link, target in refs:
        if target.static is not None and target.exists:
            (only if item in left_out else used).add(target.static)
    return sorted(only - used)
