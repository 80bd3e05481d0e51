"""Rendered Markdown of pages that did not change, from :mod:`pufa.cache`.

Python-Markdown is a fifth of a build, and a page's HTML depends only on its
Markdown, on where it and every other file are published (links are rewritten
relative to the page), on the Markdown configuration and on the code: all of it
goes into the key. The renderer's page object is used by duck typing (``markdown``,
``file``, ``render``, ``content``, ``toc`` …, as MkDocs 1.6 names them), so the
core imports no renderer. A render that logged a warning is not cached: the
warning (an unknown link, which strict mode turns into a failure) must come again.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.bccache import BytecodeCache, Bucket

from .cache import Cache, cache_for, code_version, digest

#: Cache namespace of rendered pages.
PAGES = "pages"


def _stable(value: Any) -> str:
    """Configuration as text that is the same in every process (a slugify function by its name, not its address)."""
    def plain(obj: Any) -> Any:
        if isinstance(obj, Mapping):
            return dict(obj)
        if isinstance(obj, enum.Enum | set | frozenset):
            return obj.name if isinstance(obj, enum.Enum) else sorted(map(str, obj))
        return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', type(obj).__qualname__)}"

    return json.dumps(value, sort_keys=True, default=plain, ensure_ascii=False)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process: MkDocs makes a new Jinja environment for every build,
    and compiling the theme again was a second of every rebuild in ``pufa serve``.

    Jinja's own bytecode cache hands out the compiled code only for the same source (its
    checksum) and, keyed here, the same compile-time settings (autoescape, extensions,
    syntax), so what renders is what a fresh compile would render.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        settings = (name, filename, environment.autoescape, environment.finalize, sorted(environment.extensions),
                    environment.block_start_string, environment.block_end_string, environment.variable_start_string,
                    environment.variable_end_string, environment.comment_start_string, environment.comment_end_string,
                    environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
                    environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
                    environment.optimized, getattr(environment, "newstyle_gettext", None))
        named = tuple(f"{getattr(setting, '__module__', '')}.{setting.__qualname__}"
                      if callable(setting) and hasattr(setting, "__qualname__") else setting
                      for setting in settings)  # a function by its name: the same in the next process
        bucket = Bucket(environment, hashlib.sha1(repr(named).encode("utf-8")).hexdigest(),
                        self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class _StoredTemplates(BytecodeCache):
    """The process's compiled templates, and the build cache's for the next process: a
    ``mkdocs build`` compiles the theme's templates once, not on every build."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = COMPILED_TEMPLATES.get_bucket(environment, name, filename, source)
        if bucket.code is None and (code := self.cache.get(TEMPLATES, bucket.key)) is not None:
            bucket.bytecode_from_string(code)  # checks the source's checksum and Python's magic number
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        COMPILED_TEMPLATES.set_bucket(bucket)
        self.cache.put(TEMPLATES, bucket.key, bucket.bytecode_to_string())


#: For every build in this process (:meth:`pufa.plugin.PufaPlugin.on_env`).
COMPILED_TEMPLATES = CompiledTemplates()
#: The cache's namespace for compiled templates.
TEMPLATES = "templates"


class PageRenders:
    """Attach to each page before it renders: the renderer's one handle on the cache."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self._files: tuple[weakref.ref[Any], str] | None = None  # (the build's file list, its digest)

    @classmethod
    def of(cls, option: str, config_file: str | None, docs_dir: str) -> PageRenders:
        """For the plugin's ``cache_dir`` option (see :func:`pufa.cache.cache_for`)."""
        return cls(cache_for(option, Path(config_file or "mkdocs.yml"), docs_dir))

    @property
    def templates(self) -> BytecodeCache:
        """Where Jinja finds the theme's templates compiled (MkDocs makes a new environment every build)."""
        return _StoredTemplates(self.cache) if self.cache.directory is not None else COMPILED_TEMPLATES

    def _context(self, config: Any, files: Any) -> str:
        """Digest of the Markdown configuration and of where every file is published, once per build."""
        if self._files is None or self._files[0]() is not files:
            keys = ("markdown_extensions", "mdx_configs", "use_directory_urls", "validation")
            settings = {key: config.get(key) for key in keys}
            published = sorted((file.src_uri, file.url, file.inclusion.name) for file in files)
            self._files = (weakref.ref(files), digest(code_version(), _stable(settings), _stable(published)))
        return self._files[1]

    def attach(self, page: Any, config: Any, files: Any) -> None:
        """Make ``page.render`` take the cached result when there is one, and store a fresh one."""
        original: Callable[[Any, Any], None] = page.render
        context = self._context(config, files)

        def render(config: Any, files: Any) -> None:
            key = digest(context, page.file.src_uri, page.markdown)
            if (entry := self.cache.get(PAGES, key)) is not None and _restore(page, entry, files):
                return
            counter = _Warnings()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(counter)
            try:
                original(config, files)
            finally:
                logger.removeHandler(counter)
            if not counter.count:
                self.cache.put(PAGES, key, _snapshot(page))

        page.render = render

    def finish(self, prune: bool = True) -> str:
        """After a build: prune the cache, and say in the log how much it saved. (A walk of every entry:
        the live preview prunes after its first build only, and each save adds few entries.)"""
        if prune:
            self.cache.prune()
        summary = self.cache.summary()
        self.cache.stats.clear()
        return summary


def _snapshot(page: Any) -> dict[str, Any]:
    links = page.links_to_anchors
    return {
        "content": page.content, "toc": page.toc, "title": page._title_from_render,
        "anchors": page.present_anchor_ids,
        "links": None if links is None else {file.src_uri: dict(targets) for file, targets in links.items()},
    }


def _restore(page: Any, entry: Any, files: Any) -> bool:
    try:
        links = entry["links"]
        if links is not None:
            targets = {uri: files.get_file_from_path(uri) for uri in links}
            if None in targets.values():
                return False
            links = {targets[uri]: anchors for uri, anchors in links.items()}
        page.content, page.toc, page._title_from_render = entry["content"], entry["toc"], entry["title"]
        page.present_anchor_ids, page.links_to_anchors = entry["anchors"], links
    except (KeyError, TypeError, AttributeError):
        return False
    return True
