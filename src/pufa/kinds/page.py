"""Ordinary pages (about, contact …): Markdown that MkDocs renders as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import routes
from ..dates import TZ
from ..models import PageMeta
from .base import Item, Kind, LoadContext

_URI_OK = set("abcdefghijklmnopqrstuvwxyz0123456789-_/.")


@dataclass(frozen=True, eq=False)
class Page(Item):
    @property
    def url(self) -> str:
        return routes.page(self.source.src_uri)

    @property
    def published(self) -> datetime:
        return datetime(2000, 1, 1, tzinfo=TZ)


class PageKind(Kind):
    """Every Markdown file outside the other kinds' sections, and each section's own index.md."""

    name = "page"
    label = "页面"
    section = ""
    schema = PageMeta

    def make(self, meta: Any, source: Any, context: LoadContext) -> Page | None:
        if not set(source.src_uri) <= _URI_OK:
            context.errors.add(source.shown, 1, "", "文件名只能用小写英文字母、数字、- 和 _，以保证网址稳定（如 about.md）")
            return None
        return Page(meta if meta is not None else PageMeta(), source)

    def declared_at(self, item: Any) -> tuple[int, str] | None:
        return (1, "")  # a page's file name is its URL


KIND = PageKind()
Page.kind = KIND
