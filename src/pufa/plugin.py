"""The MkDocs adapter: a thin layer of event handlers over the content core.

Everything that decides what the site contains lives in the core; this module
only moves it into MkDocs' structures.

A build never damages the published site: ``on_config`` points MkDocs at a
fresh directory beside ``site_dir`` and the last ``on_post_build`` handler
swaps it in, only when nothing failed and strict mode counted no warning.
Any failure (content, rendering, our own writes, strict warnings) discards
the new directory and leaves the previous output byte-identical. ``mkdocs
serve`` builds into its own temporary directory and is left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.utils import CountHandler
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import atomic, citing, routes
from .checks import alias_collisions
from .catalog import catalog_files
from .collection import Collection
from .loader import load_collection
from .dates import build_today, chinese_date
from .errors import ContentErrors
from .feeds import companion_files, podcast_feed, site_feeds
from .htmlpolicy import sanitize
from .items import Episode, Item
from .offline import OfflineError, make_self_contained
from .redirects import redirect_files
from .report import report_csv
from .siteconfig import SiteConfig, load_site_config
from .transcript import format_time, to_markdown
from .text import lines_html, paragraphs_html
from .views import View, build_views, item_context, month_label

log = logging.getLogger("mkdocs.plugins.pufa")

ITEM_TEMPLATES = {"lesson": "pufa/lesson.html", "month": "pufa/month.html", "episode": "pufa/episode.html"}

#: The navigation lists sections, never every item: Material renders the whole
#: nav into every page, which made a 2,000-page build quadratic.
DEFAULT_NAV = [
    {"首页": routes.source_uri(routes.home())},
    {"普法课程": routes.source_uri(routes.lessons())},
    {"一月一主题": routes.source_uri(routes.months())},
    {"见事说法": routes.source_uri(routes.radio())},
    {"谁执法谁普法": routes.source_uri(routes.departments())},
]
#: Ordinary pages that join the default nav when the site has them.
OPTIONAL_NAV = [{"关于本站": "about.md"}]
LAWS_NAV = {"法律法规": routes.source_uri(routes.laws())}

#: Templates in pufa's theme directory that render with autoescaping; Material's own
#: templates print some values raw on purpose and keep autoescaping off.
PUFA_TEMPLATES = frozenset({"main.html", "partials/copyright.html", "partials/search.html", "partials/toc.html"})


def autoescape(template_name: str | None) -> bool:
    return template_name is not None and (template_name.startswith("pufa/") or template_name in PUFA_TEMPLATES)


def plain(text: str) -> Markup:
    """Plain text for a value that Material prints raw (``<title>``, the header, meta
    tags): escaped once here, and marked safe so that Material's own ``| e`` does not
    escape it twice. The search index receives it escaped, and its UI renders HTML."""
    return Markup(escape(text))


def _plain_meta(meta: dict[str, Any]) -> None:
    for key in ("title", "description"):
        value = meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            meta[key] = plain(value)


class PufaPluginConfig(base.Config):
    site_config = c.Type(str, default="site_config")
    """Directory of the site's YAML configuration, relative to ``mkdocs.yml``."""
    today = c.Optional(c.Type(str))
    """``YYYY-MM-DD`` used as the build date (this month's theme); for reproducible builds."""


def _strict_warnings() -> bool:
    """Whether the running build's strict-mode counter saw a warning.

    ``mkdocs.commands.build.build`` adds its ``CountHandler`` to the 'mkdocs'
    logger last, and raises ``Abort`` only after ``on_post_build``.
    """
    counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return bool(counters and counters[-1].get_counts())


class PufaPlugin(BasePlugin[PufaPluginConfig]):
    def __init__(self) -> None:
        #: Set by ``on_startup`` (the CLI); in-process ``build()`` callers never call it.
        self.command: str | None = None
        self.dirty = False
        self.staging: Path | None = None
        self.target: Path | None = None
        self._config: MkDocsConfig | None = None
        self._reset()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a new directory beside ``site_dir``; ``_swap`` puts it in place."""
        self._discard()
        if self.command == "serve":
            return  # serve builds into its own temporary directory
        self.target = Path(config.site_dir)
        try:
            self.staging = atomic.staging_dir(self.target)
            if self.dirty:
                atomic.seed(self.staging, self.target)
        except OSError as exc:
            raise PluginError(f"mkdocs.yml: site_dir: 无法在 {self.target.parent} 中建立构建用的临时目录"
                              f"（{exc.strerror}），请检查该目录的写权限和磁盘空间") from None
        self._config = config
        config.site_dir = str(self.staging)

    def _discard(self) -> None:
        if self.staging is not None:
            atomic.discard(self.staging)
        if self._config is not None and self.target is not None:
            self._config.site_dir = str(self.target)
        self.staging = self.target = self._config = None

    @event_priority(-100)
    def _swap(self, config: MkDocsConfig) -> None:
        if self.staging is None or self.target is None:
            return
        if config.strict and _strict_warnings():
            return  # MkDocs aborts next; on_build_error discards the new directory
        atomic.swap(self.staging, self.target)
        log.info(f"pufa: 新构建已整体替换 {self.target}")
        self.staging = None
        self._discard()

    def on_build_error(self, *, error: Exception) -> None:
        self._discard()

    def on_shutdown(self) -> None:
        # MkDocs keeps one instance of a plugin with on_startup per process: forget this session.
        self._discard()
        self.command, self.dirty = None, False

    def _reset(self) -> None:
        # The plugin object survives `mkdocs serve` rebuilds: start clean each time.
        self.site_config: SiteConfig | None = None
        self.collection: Collection | None = None
        self.items: dict[str, Item] = {}
        self.views: dict[str, View] = {}
        self.rendered: dict[str, str] = {}  # src_uri -> page HTML, for full-content feeds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        site_config, errors = load_site_config(root / self.config.site_config, root)
        if site_config is None:
            raise PluginError(ContentErrors(errors).report())
        self.site_config = site_config
        # `mkdocs serve` watches docs_dir only; editors change site_config/ too.
        config.watch.append(str(root / self.config.site_config))
        site = site_config.site
        config.site_name = plain(site.title)
        if not config.site_url:
            config.site_url = site.site_url
        if config.nav is None:
            docs = Path(config.docs_dir)
            laws = [LAWS_NAV] if site_config.laws is not None else []
            pages = [entry for entry in OPTIONAL_NAV if (docs / next(iter(entry.values()))).is_file()]
            config.nav = DEFAULT_NAV + laws + pages
            # Items are reached through the indexes, not the nav: listing every
            # one of them as "not in nav" would only drown real messages.
            config.validation.nav.omitted_files = logging.DEBUG
        try:
            self.today = build_today(self.config.today)
        except ValueError:
            raise PluginError(f"mkdocs.yml: plugins.pufa.today: 日期 “{self.config.today}” 应写作 2026-03-15") from None
        self._stage(config)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        assert self.site_config is not None
        try:
            loaded = load_collection(Path(config.docs_dir), self.site_config)
        except ContentErrors as exc:
            raise PluginError(exc.report()) from None
        # `mkdocs serve` previews drafts and scheduled items; every other build leaves them out.
        self.collection = loaded.published(self.today, preview=self.command == "serve")
        self.items = self.collection.by_src_uri()
        self.views = {view.src_uri: view for view in build_views(self.collection, self.today)}

    def _withhold(self, files: Files) -> None:
        """Unpublished items' pages and their own audio and transcript files stay out of the build."""
        assert self.collection is not None
        for src_uri, entry in self.collection.unpublished.items():
            if src_uri in self.items:
                continue  # a preview shows it
            uris = [src_uri]
            if isinstance(entry.item, Episode):
                if entry.item.audio is not None and entry.item.audio.local:
                    uris.append(entry.item.audio.url)
                if entry.item.meta.transcript:
                    uris.append((Path(src_uri).parent / entry.item.meta.transcript).as_posix())
            for uri in uris:
                if (file := files.get_file_from_path(uri)) is not None:
                    file.inclusion = InclusionLevel.DRAFT

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self._withhold(files)
        for src_uri, item in self.items.items():
            if item.kind == "page":
                continue
            old = files.get_file_from_path(src_uri)
            if old is None:
                continue
            files.remove(old)
            files.append(
                File(
                    src_uri,
                    src_dir=old.src_dir,
                    dest_dir=old.dest_dir,
                    use_directory_urls=config.use_directory_urls,
                    dest_uri=routes.output_path(item.url),
                    inclusion=old.inclusion,
                )
            )
        for view in self.views.values():
            if files.get_file_from_path(view.src_uri) is None:
                files.append(File.generated(config, view.src_uri, content=""))
        # Check time knows pufa's own files; only now are theme assets known too.
        written = {file.dest_uri: file.src_uri for file in files if file.inclusion.is_included()}
        if collisions := alias_collisions(self.collection, written):  # type: ignore[arg-type]
            raise PluginError(ContentErrors(collisions).report())
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        src_uri = page.file.src_uri
        view = self.views.get(src_uri)
        if view is not None:
            page.meta.update(template=view.template, title=view.title)
            if view.description:
                page.meta.setdefault("description", view.description)
            _plain_meta(page.meta)
            return markdown if view.kind == "home" else ""
        item = self.items.get(src_uri)
        if item is None or item.kind == "page":
            _plain_meta(page.meta)
            return markdown
        page.meta = {
            "template": ITEM_TEMPLATES[item.kind],
            "title": plain(item.title),
            "description": plain(getattr(item.meta, "summary", "")),
        }
        body = to_markdown(item.transcript) if isinstance(item, Episode) else item.source.body
        assert self.site_config is not None
        return citing.render(body, self.site_config.laws, item.url)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        content = sanitize(html)
        if "title" not in page.meta:
            # A title from the page's `# heading` (HTML text) or its file name: as plain text,
            # so that Material never prints `page.title` raw.
            page.meta["title"] = plain(Markup(page.title or "").striptags())
        self.rendered[page.file.src_uri] = content
        return content

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        assert self.site_config is not None
        # Jinja decides autoescaping when it compiles a template; MkDocs made this
        # environment moments ago and has compiled none yet.
        env.autoescape = autoescape
        if env.cache is not None:
            env.cache.clear()
        env.filters["cn_date"] = chinese_date
        env.filters["cn_datetime"] = lambda moment: f"{chinese_date(moment.date())} {moment:%H:%M}"
        env.filters["timecode"] = format_time
        env.filters["paragraphs"] = paragraphs_html
        env.filters["lines"] = lines_html
        env.globals["pufa_site"] = self.site_config.site
        env.globals["pufa_taxonomy"] = self.site_config.taxonomy
        env.globals["route"] = routes
        env.globals["pufa_podcast"] = self.site_config.podcast
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        assert self.site_config is not None and self.collection is not None
        src_uri = page.file.src_uri
        item = self.items.get(src_uri)
        context["pufa"] = {
            "site": self.site_config.site,
            "taxonomy": self.site_config.taxonomy,
            "item": item,
            "view": self.views.get(src_uri),
            # The sanitised Markup: Material's search plugin turns page.content back into a str.
            "content": self.rendered.get(src_uri, Markup("")),
            "collection": self.collection,
            "month_label": lambda month: month_label(month, self.site_config.site.campaign),  # type: ignore[union-attr]
            "unpublished": self.collection.unpublished.get(src_uri),  # only a preview renders such a page
        }
        if item is not None:
            context["pufa"].update(item_context(self.collection, item))
        return context

    def _write_outputs(self, config: MkDocsConfig) -> None:
        assert self.collection is not None and self.site_config is not None
        site_dir = Path(config.site_dir)
        try:
            make_self_contained(site_dir)
        except OfflineError as exc:
            raise PluginError(str(exc)) from None
        outputs = {
            **companion_files(self.collection),
            **site_feeds(self.collection, self.rendered),
            **redirect_files(self.collection),
            **catalog_files(self.collection),
            routes.report_csv(): report_csv(self.collection),
        }
        if self.site_config.podcast is not None:
            outputs[routes.podcast_feed()] = podcast_feed(self.collection, self.site_config.podcast)
        for relative, data in outputs.items():
            target = site_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    on_post_build = CombinedEvent(_write_outputs, _swap)
