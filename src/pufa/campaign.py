"""The whole campaign, resolved and immutable: every item of every kind.

Built by :func:`pufa.pipeline.load_campaign`, which validates, resolves and
checks everything first; a :class:`Campaign` therefore only ever holds valid,
cross-referenced content. What a build publishes is :meth:`Campaign.published`:
the one place that leaves out drafts and items dated after the build date, so
that pages, feeds, search, catalogue, law pages and report all agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .dates import chinese_date
from .kinds import KINDS
from .kinds.base import Item
from .links import references
from .siteconfig import SiteConfig

if TYPE_CHECKING:
    from .report import Row


@dataclass(frozen=True)
class Unpublished:
    """An item a build leaves out: a draft (``due`` is None) or one dated after the build."""

    item: Item
    due: date | None
    #: Where published items link to it (``file:line``): shown as plain text until it is published.
    linked_from: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return "草稿" if self.due is None else "定时发布"

    @property
    def explanation(self) -> str:
        if self.due is None:
            return "不会发布到网站（删除 draft: true 后发布）"
        return f"{chinese_date(self.due)}及以后的构建才会发布"

    @property
    def note(self) -> str:
        linked = f"；{'、'.join(self.linked_from)} 链接到它，发布之前网站上只显示链接文字" if self.linked_from else ""
        return f"{self.label}：{self.explanation}{linked}"


def _unpublished(item: Item, today: date) -> Unpublished | None:
    if item.draft:
        return Unpublished(item, None)
    # A plan (a month's theme) may be shown ahead; lessons and episodes wait for their day.
    day = item.published.date()
    if not item.kind.ahead and day > today:
        return Unpublished(item, day)
    return None


def _sorted(items: list[Item]) -> tuple[Item, ...]:
    by_kind: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_kind[item.kind.name].append(item)
    ordered: list[Item] = []
    for kind in KINDS:
        ordered += sorted(by_kind.get(kind.name, []), key=kind.order, reverse=kind.newest_first())
    return tuple(ordered)


@dataclass(frozen=True)
class Campaign:
    config: SiteConfig
    content_dir: Path
    #: Every item, kinds in registry order, each kind in its own order.
    items: tuple[Item, ...] = ()
    #: The build date this campaign was cut at (:meth:`published`); None: everything, uncut.
    today: date | None = None
    #: src_uri -> what :meth:`published` left out (or, in a preview, would leave out).
    unpublished: MappingProxyType[str, Unpublished] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of_items(cls, config: SiteConfig, content_dir: Path, items: list[Item]) -> Campaign:
        return cls(config, content_dir, _sorted(items))

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per campaign: pages built from one campaign share indexes
        (groups, citations, departments) instead of scanning every item for each page."""
        return self._kept("_memo", key, compute)

    def on_disk(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per build, for what depends only on the project's files (its content's
        static files, the theme's): shared with the campaign :meth:`published` cuts from this one."""
        return self._kept("_on_disk", key, compute)

    def _kept(self, store: str, key: Any, compute: Callable[[], Any]) -> Any:
        cache = self.__dict__.setdefault(store, {})  # the instance is frozen; its caches are not
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def of(self, kind: str) -> list[Any]:
        """The items of one kind, in the kind's order."""
        return list(self.memo(("of", kind), lambda: [item for item in self.items if item.kind.name == kind]))

    def published(self, today: date, preview: bool = False) -> Campaign:
        """What a build on ``today`` publishes: no drafts, nothing dated after ``today``.

        A preview (``mkdocs serve``) keeps every item, so editors see drafts;
        ``unpublished`` still says which would be left out, for the page banner.
        """
        unpublished = {
            found.item.source.src_uri: found for item in self.items if (found := _unpublished(item, today)) is not None
        }
        linked: dict[str, list[str]] = defaultdict(list)
        for item, link, target in references(self, self.items):
            if target.item is not None and target.item.source.src_uri in unpublished and item.source.src_uri not in unpublished:
                linked[target.item.source.src_uri].append(f"{item.source.shown}:{item.source.body_line + link.line}")
        unpublished = {src_uri: replace(found, linked_from=tuple(linked[src_uri])) for src_uri, found in unpublished.items()}
        kept = self.items if preview else tuple(item for item in self.items if item.source.src_uri not in unpublished)
        cut = Campaign(self.config, self.content_dir, kept, today, MappingProxyType(unpublished))
        cut.__dict__["_on_disk"] = self.__dict__.setdefault("_on_disk", {})
        return cut

    def begun(self, item: Item) -> bool:
        """Whether an item's day has come: a plan is announced ahead, but no feed carries it early."""
        return self.today is None or item.published.date() <= self.today

    def by_src_uri(self) -> dict[str, Item]:
        return {item.source.src_uri: item for item in self.items}

    def group(self, attribute: str, kind: str = "lesson") -> dict[str, list[Any]]:
        """Items of one kind by a list-valued or single taxonomy field, in taxonomy order."""
        def compute() -> dict[str, list[Any]]:
            groups: dict[str, list[Any]] = defaultdict(list)
            for item in self.of(kind):
                value = getattr(item.meta, attribute)
                for key in value if isinstance(value, list) else [value]:
                    groups[key].append(item)
            return groups

        return self.memo(("group", attribute, kind), compute)

    def by_department(self) -> dict[str, dict[str, list[Item]]]:
        """department -> kind name -> items, for “谁执法谁普法”."""
        def compute() -> dict[str, dict[str, list[Item]]]:
            table: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
            for item in self.items:
                if item.department is not None:
                    table[item.department][item.kind.name].append(item)
            return table

        return self.memo("by_department", compute)

    @cached_property
    def report_rows(self) -> list[Row]:
        """Every report row, computed once per campaign (the report page and its CSV share them)."""
        from .report import sort_rows

        return sort_rows([row for item in self.items for row in item.kind.report_rows(item)], self.config)
