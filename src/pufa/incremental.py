"""Which pages the live preview must render again: those whose inputs changed since its last build.

``pufa serve`` rebuilds on every save. Rendering every page of a county of a thousand
lessons took over a minute, so an edit took that long to show. MkDocs' dirty builds skip
pages whose source file is older than their output; but in pufa one file shows on many
pages (a lesson on its topic's, audiences' and month's lists), and most pages are
generated, without a file at all. So pufa decides instead: each page gets a fingerprint
of everything its template reads (its Markdown, title, options, and every value in its
context, an item by all it holds), plus what every page depends on (the site's
configuration, the set of pages and their URLs, the theme's files). A page is rendered
when its fingerprint changed; a page no longer in the site has its output removed.

Anything the fingerprint cannot read stably (an object without a value of its own) is
taken by its identity, which changes every build: such a page is always rendered, never
left stale.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup
from pydantic import BaseModel

from . import routes
from .cache import digest, file_signature
from .kinds.base import Item
from .pipeline import owned_signature
from .search import abandon_background_index
from .yamlsource import YamlDocument

if TYPE_CHECKING:
    from .site import SiteBuild, SitePage

_PLAIN = (str, int, float, bool, type(None), date, datetime, Path)


@lru_cache(maxsize=16384)
def _text(text: str) -> str:
    """A long text (a page's Markdown) by its digest: mostly the same string object as in the previous
    build (an item's body), whose hash Python keeps, so that long transcripts are not hashed again on each save."""
    return digest(text)


class _Fingerprints:
    """Fingerprints of one build: an item's value is computed once however many pages show it, and
    kept for the next build as long as the item is the same object (:class:`pufa.pipeline.Reuse`)."""

    def __init__(self, items: weakref.WeakKeyDictionary[Item, str]) -> None:
        self._items = items

    def item(self, item: Item) -> str:
        """An item is what its file and the files it owns hold (an episode's audio and captions),
        read under the configuration (in the common part): no need to walk all it derived from them."""
        if (found := self._items.get(item)) is None:
            source = item.source
            content_dir = source.path.parents[len(PurePosixPath(source.src_uri).parts) - 1]
            owned = owned_signature(item, content_dir)
            found = self._items[item] = digest(type(item).__name__, source.src_uri, source.body,
                                                    repr(source.meta), repr(owned))
        return found

    def page(self, page: SitePage, common: str) -> str:
        parts = [common, page.url, repr(page.template), page.title, page.description, _text(page.markdown), repr(page.options),
                 *(f"{key}={value}" for key, value in sorted(page.citations.items()))]
        self._walk(page.context, parts)
        return digest(repr(parts))  # one string, unambiguous (each part quoted): a listing page has thousands

    def _walk(self, value: Any, out: list[str]) -> None:
        # What a value is depends on its type alone: decided once per type, not by a chain of isinstance checks
        # on each of the tens of thousands of values a save's pages hold.
        shape = _SHAPES.get(type(value)) or _shape(type(value))
        if shape is _ITEM:
            out.append(self.item(value))
        elif shape is _PLAIN_VALUE:
            if isinstance(value, str) and len(value) > 1024:  # a QR code, a rendered table: mostly kept objects
                out.append(f"{type(value).__name__}#{_text(value)}")
            else:
                out.append(f"{type(value).__name__}:{value}")
        elif shape is _SEQUENCE:
            out.append(f"[{len(value)}")
            for each in value:
                self._walk(each, out)
        elif shape is _MAPPING:
            for key in sorted(value, key=repr):
                out.append(repr(key))
                self._walk(value[key], out)
        elif shape is _MODEL:
            out.append(value.model_dump_json())
        elif shape is _SET:
            out.extend(sorted(map(repr, value)))
        elif shape is _DATACLASS:
            out.append(type(value).__name__)
            for field in dataclasses.fields(value):
                self._walk(getattr(value, field.name), out)
        elif shape is _CODE:
            out.append(getattr(value, "__qualname__", "") or repr(value))  # code does not change in a preview
        elif shape is _UNKNOWN:
            out.append(f"{type(value).__qualname__}@{id(value)}")  # unknown: rendered every time
        # _POSITION: where values stood in their file (for messages): the values themselves are walked


_ITEM, _POSITION, _PLAIN_VALUE, _MODEL, _MAPPING, _SEQUENCE, _SET, _DATACLASS, _CODE, _UNKNOWN = (
    "item", "position", "plain", "model", "mapping", "sequence", "set", "dataclass", "code", "unknown")
#: Type -> how :meth:`_Fingerprints._walk` reads its values.
_SHAPES: dict[type, str] = {}


def _shape(kind: type) -> str:
    if issubclass(kind, Item):
        shape = _ITEM
    elif issubclass(kind, yaml.Node | YamlDocument):
        shape = _POSITION
    elif issubclass(kind, (Markup, *_PLAIN)):
        shape = _PLAIN_VALUE
    elif issubclass(kind, BaseModel):
        shape = _MODEL
    elif issubclass(kind, Mapping):
        shape = _MAPPING
    elif issubclass(kind, list | tuple):
        shape = _SEQUENCE
    elif issubclass(kind, set | frozenset):
        shape = _SET
    elif dataclasses.is_dataclass(kind):
        shape = _DATACLASS
    elif any("__call__" in vars(base) for base in kind.__mro__):  # callable(value), from the type
        shape = _CODE
    else:
        shape = _UNKNOWN
    _SHAPES[kind] = shape
    return shape


class Changes:
    """What the preview renders again; kept by the plugin from one build of a preview to the next."""

    def __init__(self) -> None:
        self._previous: dict[str, str] = {}
        self._items: weakref.WeakKeyDictionary[Item, str] = weakref.WeakKeyDictionary()
        self.changed: set[str] = set()
        self.gone: set[str] = set()
        #: Deciding at all: only in a dirty build (``pufa serve``), which keeps the previous output.
        self.active = False
        #: A dirty build after an earlier one of this process: most of the site is as it was.
        self.again = False

    def plan(self, site: SiteBuild, dirty: bool, config_files: Iterable[Path], theme_dirs: Iterable[str]) -> None:
        """Fingerprint every page of ``site``; pages whose fingerprint is new are :attr:`changed`."""
        self.active = dirty
        self.again = dirty and bool(self._previous)
        if not dirty:
            return
        abandon_background_index()  # this build's index replaces it: do not start it while this build runs
        watched = [path for path in config_files if path.is_file()]
        root = watched[0].absolute().parent if watched else None  # mkdocs.yml's folder: the project
        # The county's own theme overrides: the installed themes (pufa's, Material's) do not change meanwhile.
        watched += [path for folder in theme_dirs if root and Path(folder).absolute().is_relative_to(root)
                    for path in Path(folder).rglob("*") if path.is_file()]
        fingerprints = _Fingerprints(self._items)
        parts = [str(site.today), repr(site.nav), repr(file_signature(watched)),
                 *sorted(f"{page.url} {page.src_uri}" for page in site.pages)]
        fingerprints._walk(site.campaign.config, parts)
        common = digest(*parts)
        current = {page.url: fingerprints.page(page, common) for page in site.pages}
        self.changed = {url for url, value in current.items() if self._previous.get(url) != value}
        self.gone = set(self._previous) - set(current)
        self._previous = current

    def mark(self, file: Any, url: str) -> None:
        """Tell MkDocs whether to render ``file`` (page ``url``) in a dirty build."""
        if self.active:
            file.is_modified = (lambda changed=url in self.changed: changed)

    def kept(self, rendered: dict[str, str]) -> dict[str, str]:
        """The rendered Markdown of the previous build, of pages still in the site: a dirty build renders
        only some pages again, and feeds need every page's."""
        return {url: html for url, html in rendered.items() if url not in self.gone} if self.active else {}

    def remove_gone(self, site_dir: Path) -> None:
        """Remove the outputs of pages the site no longer has (a deleted or withdrawn lesson)."""
        if not self.active:
            return
        for url in self.gone:
            for path in (site_dir / routes.output_path(url), site_dir / (routes.output_path(url) + ".gz")):
                path.unlink(missing_ok=True)

    def forget(self) -> None:
        """After a build that failed: render everything next time."""
        self._previous = {}
        self._items.clear()
