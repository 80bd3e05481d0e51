"""The MkDocs adapter: hands the core's site (:func:`pufa.site.build_site`) to MkDocs and decides nothing. Values Material
prints raw are escaped once here; a build writes beside ``site_dir`` (:mod:`pufa.staging`), swapped in if all went well."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import base, config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.utils import CountHandler

from . import pagecache
from .errors import ContentErrors, reraised_as
from .htmlpolicy import sanitize
from .incremental import Changes
from .mkdocs_files import site_files
from .offline import OfflineError, make_self_contained
from .pipeline import Reuse, campaign_warnings, load_campaign
from .preview import PreviewError, preview_server
from .project import attach_theme, today_option
from .site import SearchIndexError, abandon_background_index, autoescaped, build_site, template_filters, template_globals
from .siteconfig import load_site_config
from .staging import StagedOutput, StagingError

log = logging.getLogger("mkdocs.plugins.pufa")


class PufaPluginConfig(base.Config):
    site_config = c.Type(str, default="site_config")
    today = c.Optional(c.Type(object))  # 2026-03-15, quoted or not; checked by parse_today
    cache_dir = c.Type(str, default=".cache/pufa")  # beside mkdocs.yml; "" caches nothing


class PufaPlugin(BasePlugin[PufaPluginConfig]):
    def __init__(self) -> None:
        self.command, self.dirty, self.output, self.site, self.changes = None, False, StagedOutput(), None, Changes()
        self.reuse = Reuse()  # the items of the previous build, for the next one of this process (pufa serve)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.site_config, errors = load_site_config(root / self.config.site_config, root)
        if self.site_config is None:
            raise PluginError(ContentErrors(errors).report())
        config.watch += [str(root / self.config.site_config), *filter(None, [config.theme.custom_dir])]  # and docs_dir
        attach_theme(config.theme, config.extra_css, config.extra_javascript, config.mdx_configs)
        config.site_name = escape(self.site_config.site.title)
        config.site_url = config.site_url or self.site_config.site.site_url
        self.own_nav = config.nav is None
        with reraised_as(PluginError, ValueError, StagingError):
            self.today = today_option(self.config.today, Path(config.config_file_path or "mkdocs.yml"))
            self.renders = pagecache.PageRenders.of(self.config.cache_dir, config.config_file_path, config.docs_dir)
            if self.command != "serve":  # serve builds into its own temporary directory
                target = config.site_dir
                config.site_dir = str(self.output.begin(Path(target), self.dirty, lambda: setattr(config, "site_dir", target)))
        return config

    def on_pre_build(self, config: Any) -> None:
        with reraised_as(PluginError, ContentErrors):
            campaign = load_campaign(Path(config.docs_dir), self.site_config, cache=self.renders.cache, reuse=self.reuse)
        for warning in campaign_warnings(campaign):  # info, not warning: --strict must not fail on them
            log.info(f"提示：{warning}")
        # `mkdocs serve` previews drafts and scheduled items; every other build leaves them out.
        self.site = build_site(campaign.published(self.today, preview=self.command == "serve"), self.today)
        # A dirty build (pufa serve) renders only the pages whose inputs changed; feeds need the others' too.
        self.changes.plan(self.site, self.dirty, [Path(config.config_file_path or "mkdocs.yml")], config.theme.dirs)
        self.pages = {page.src_uri: page for page in self.site.pages}
        self.rendered = self.changes.kept(getattr(self, "rendered", {}))
        if self.own_nav:
            by_url = {page.url: page.src_uri for page in self.site.pages}
            config.nav = [{escape(title): by_url[url]} for title, url in self.site.nav]  # Material prints nav titles raw

    def on_files(self, files: Files, config: Any) -> Files:
        files = site_files(self.site, files, config, self.changes)
        included = {f.dest_uri: f.src_uri for f in files if f.inclusion.is_included()}
        if collisions := self.site.collisions(included, config.theme.dirs):  # theme files: known only here
            raise PluginError(ContentErrors(collisions).report())
        return files

    def on_page_read_source(self, page: Any, config: Any) -> str | None:
        site_page = self.pages.get(page.file.src_uri)  # the body pufa read; a leading --- is no front matter
        return None if site_page is None else ("\n" if site_page.markdown.startswith("---") else "") + site_page.markdown

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        self.renders.attach(page, config, files)
        if (site_page := self.pages.get(page.file.src_uri)) is not None:
            page.meta = {key: escape(v) if key in ("title", "description") else v for key, v in site_page.meta.items()}
        return markdown

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        site_page = self.pages.get(page.file.src_uri)
        content = sanitize(site_page.fill(html) if site_page else html)  # citations go in before the sanitiser
        page.meta.setdefault("title", escape(Markup(page.title or "").striptags()))  # the `# heading`, as plain text
        if site_page is not None:
            self.rendered[site_page.url] = content
        return content

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        env.autoescape = autoescaped  # decided at compile time: MkDocs compiled nothing yet
        if env.cache is not None:
            env.cache.clear()
        env.bytecode_cache = self.renders.templates
        env.filters.update(template_filters())
        env.globals.update(template_globals(self.site_config))
        return env

    def on_page_context(self, context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
        if (site_page := self.pages.get(page.file.src_uri)) is not None:  # content: the sanitised Markup
            context["pufa"] = {**site_page.context, "content": self.rendered.get(site_page.url, Markup(""))}
        return context

    def _write_outputs(self, config: Any) -> None:
        with reraised_as(PluginError, OfflineError, SearchIndexError):
            make_self_contained(Path(config.site_dir))
            self.changes.remove_gone(Path(config.site_dir))
            self.site.write(Path(config.site_dir), self.rendered, self.renders.cache, self.command == "serve")  # type: ignore[union-attr]
        log.info(self.renders.finish(prune=not self.changes.again))

    @event_priority(-100)
    def _swap(self, config: Any) -> None:
        counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
        if config.strict and counters and counters[-1].get_counts():
            return  # strict mode aborts next; on_build_error discards the new directory
        if (target := self.output.target) and self.output.commit():
            log.info(f"pufa: 新构建已整体替换 {target}")

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        with reraised_as(PluginError, PreviewError):  # a busy port said in Chinese; byte ranges so that audio can seek
            return preview_server(server, config.dev_addr.host, config.dev_addr.port)

    def on_build_error(self, *, error: Exception) -> None:
        self.output.abandon()
        self.changes.forget()  # render every page next time

    def on_shutdown(self) -> None:
        self.output.abandon()  # one plugin instance per process: forget this session
        self.command, self.dirty = None, False
        self.changes.forget()
        self.reuse.forget()
        abandon_background_index()

    on_post_build = CombinedEvent(_write_outputs, _swap)
