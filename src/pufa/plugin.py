"""The MkDocs adapter: hands the core's site (:func:`pufa.site.build_site`) to MkDocs.

It decides nothing about content. A build never damages the published site:
``on_config`` points MkDocs at a fresh directory beside ``site_dir`` and the
last ``on_post_build`` handler swaps it in only when nothing failed and strict
mode counted no warning (:mod:`pufa.atomic`); ``mkdocs serve`` is left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from . import atomic
from .dates import build_today
from .errors import ContentErrors
from .htmlpolicy import sanitize
from .offline import OfflineError, make_self_contained
from .pipeline import load_campaign
from .site import SiteBuild, build_site, template_filters, template_globals
from .siteconfig import load_site_config

log = logging.getLogger("mkdocs.plugins.pufa")
#: Material's own templates print some values raw on purpose and keep autoescaping off.
PUFA_TEMPLATES = frozenset({"main.html", "partials/copyright.html", "partials/search.html", "partials/toc.html"})


def autoescape(name: str | None) -> bool:
    return name is not None and (name.startswith("pufa/") or name in PUFA_TEMPLATES)


def plain(text: str) -> Markup:
    """Text for a value Material prints raw (``<title>``, meta tags): escaped once, marked safe."""
    return text if isinstance(text, Markup) else Markup(escape(text))


class PufaPluginConfig(base.Config):
    site_config = c.Type(str, default="site_config")
    today = c.Optional(c.Type((str, __import__("datetime").date)))  # YAML reads 2026-03-15 as a date


class PufaPlugin(BasePlugin[PufaPluginConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.dirty, self.staging, self.target, self._config = False, None, None, None
        self.site: SiteBuild | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.site_config, errors = load_site_config(root / self.config.site_config, root)
        if self.site_config is None:
            raise PluginError(ContentErrors(errors).report())
        config.watch.append(str(root / self.config.site_config))  # serve watches docs_dir only
        config.site_name = plain(self.site_config.site.title)
        config.site_url = config.site_url or self.site_config.site.site_url
        try:
            self.today = build_today(self.config.today)
        except ValueError:
            raise PluginError(f"mkdocs.yml: plugins.pufa.today: 日期 “{self.config.today}” 应写作 2026-03-15") from None
        self.own_nav = config.nav is None
        self._stage(config)
        return config

    def on_pre_build(self, config: Any) -> None:
        try:
            campaign = load_campaign(Path(config.docs_dir), self.site_config)
        except ContentErrors as exc:
            raise PluginError(exc.report()) from None
        # `mkdocs serve` previews drafts and scheduled items; every other build leaves them out.
        self.site = build_site(campaign.published(self.today, preview=self.command == "serve"), self.today)
        self.pages = {page.src_uri: page for page in self.site.pages}
        self.rendered: dict[str, str] = {}
        if self.own_nav:
            by_url = {page.url: page.src_uri for page in self.site.pages}
            config.nav = [{title: by_url[url]} for title, url in self.site.nav]

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.site is not None
        for uri in self.site.withheld:
            if (file := files.get_file_from_path(uri)) is not None:
                file.inclusion = InclusionLevel.DRAFT
        for page in sorted(self.site.pages, key=lambda page: not page.from_file):  # content files first
            if (old := files.get_file_from_path(page.src_uri)) is not None:
                if page.item is None and old.dest_uri == page.output:
                    continue  # an ordinary page, or index.md, where MkDocs puts it already
                files.remove(old)
            # Items and indexes are reached through the indexes, not the nav: no "not in nav" line each.
            file = File(page.src_uri, old.src_dir if old else None, config.site_dir, config.use_directory_urls,
                        dest_uri=page.output, inclusion=InclusionLevel.NOT_IN_NAV if page.template else InclusionLevel.UNDEFINED)
            if old is None:
                file.content_string = ""  # generated: its Markdown comes from on_page_read_source
            files.append(file)
        written = {f.dest_uri: f.src_uri for f in files if f.inclusion.is_included()}
        if collisions := self.site.collisions(written):
            raise PluginError(ContentErrors(collisions).report())
        return files

    def on_page_read_source(self, page: Any, config: Any) -> str | None:
        site_page = self.pages.get(page.file.src_uri)
        # The body pufa already read: MkDocs reads and parses no file twice.
        return None if site_page is None else ("\n" if site_page.markdown.startswith("---") else "") + site_page.markdown

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is not None:
            page.meta = {**site_page.options, **({"template": site_page.template} if site_page.template else {})}
            for key, value in (("title", site_page.title), ("description", site_page.description)):
                if value:
                    page.meta[key] = plain(value)
        return markdown

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        content = sanitize(html)
        if "title" not in page.meta:  # from the `# heading`, as plain text Material never prints raw
            page.meta["title"] = plain(Markup(page.title or "").striptags())
        if (site_page := self.pages.get(page.file.src_uri)) is not None:
            self.rendered[site_page.url] = content
        return content

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        env.autoescape = autoescape  # decided at compile time: MkDocs compiled nothing yet
        if env.cache is not None:
            env.cache.clear()
        env.filters.update(template_filters())
        env.globals.update(template_globals(self.site_config))
        return env

    def on_page_context(self, context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
        if (site_page := self.pages.get(page.file.src_uri)) is not None:
            # The sanitised Markup: Material's search plugin turns page.content back into a str.
            context["pufa"] = {**site_page.context, "content": self.rendered.get(site_page.url, Markup(""))}
        return context

    def _write_outputs(self, config: Any) -> None:
        assert self.site is not None
        site_dir = Path(config.site_dir)
        try:
            make_self_contained(site_dir)
        except OfflineError as exc:
            raise PluginError(str(exc)) from None
        for relative, data in self.site.files(self.rendered).items():
            (site_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / relative).write_bytes(data)

    # -- atomic output ----------------------------------------------------------------------
    def _stage(self, config: Any) -> None:
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
        self._config, config.site_dir = config, str(self.staging)

    def _discard(self) -> None:
        if self.staging is not None:
            atomic.discard(self.staging)
        if self._config is not None and self.target is not None:
            self._config.site_dir = str(self.target)
        self.staging = self.target = self._config = None

    @event_priority(-100)
    def _swap(self, config: Any) -> None:
        if self.staging is None or self.target is None:
            return
        counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
        if config.strict and counters and counters[-1].get_counts():
            return  # strict mode aborts next; on_build_error discards the new directory
        atomic.swap(self.staging, self.target)
        log.info(f"pufa: 新构建已整体替换 {self.target}")
        self.staging = None
        self._discard()

    def on_build_error(self, *, error: Exception) -> None:
        self._discard()

    def on_shutdown(self) -> None:
        self._discard()  # one plugin instance per process: forget this session
        self.command, self.dirty = None, False

    on_post_build = CombinedEvent(_write_outputs, _swap)
