"""What every content kind shares: the :class:`Item` interface and the :class:`Kind` behaviour.

A kind (lesson, month, episode, page …) is one module in this package: its
front-matter schema, how a file becomes an item, the pages and files it adds to
the site, its report rows and its ``pufa new`` scaffold. Everything else in pufa
(checks, views, feeds, report, the site build) works through these two classes,
so adding a kind never means editing them.
"""

from __future__ import annotations

import argparse
import functools
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel

from ..errors import ErrorCollector
from ..laws import Citation, LawBook
from ..sources import Source

if TYPE_CHECKING:
    from ..campaign import Campaign
    from ..report import Row
    from ..siteconfig import SiteConfig


@dataclass(frozen=True, eq=False)
class Item:
    """One content file, validated and resolved: complete and immutable from then on.

    Compared by identity: two items are never "equal" because their fields are.
    """

    meta: Any
    source: Source
    #: Every article cited in the body, in order of appearance, resolved against laws.yml.
    citations: tuple[Citation, ...] = ()
    #: 【…】 as written -> the article it resolved to, for rendering without resolving again.
    cited: Mapping[str, Citation] = field(default_factory=dict)

    kind: ClassVar[Kind]

    @property
    def url(self) -> str:
        raise NotImplementedError

    @property
    def title(self) -> str:
        return self.meta.title or ""

    @property
    def label(self) -> str:
        """How lists, feeds, the report and “where this article is taught” name the item."""
        return self.title

    @property
    def summary(self) -> str:
        return getattr(self.meta, "summary", "") or ""

    @property
    def published(self) -> datetime:
        raise NotImplementedError

    @property
    def updated(self) -> date:
        return self.published.date()

    @property
    def department(self) -> str | None:
        return None

    @property
    def topics(self) -> tuple[str, ...]:
        return ()

    @property
    def draft(self) -> bool:
        return bool(getattr(self.meta, "draft", False))

    @property
    def aliases(self) -> tuple[str, ...]:
        """Old URLs (``/lessons/x/old/``) that redirect to this item."""
        return ()

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        """Citations in the body and any the front matter names."""
        return self.citations

    @property
    def body(self) -> str:
        """The Markdown a renderer turns into the page's content."""
        return self.source.body


class Filed:
    """For items whose front matter names one ``department`` and at most one ``topic``."""

    meta: Any

    @property
    def department(self) -> str:
        return self.meta.department

    @property
    def topics(self) -> tuple[str, ...]:
        return (self.meta.topic,) if self.meta.topic else ()


@dataclass(frozen=True)
class View:
    """A page the site generates itself (an index): known from the configuration alone,
    so checks can tell its URL and title; ``fill`` supplies its data once, at build time."""

    url: str
    title: str
    template: str
    fill: Callable[[Any, date], dict[str, Any]]
    description: str = ""
    #: The feed that follows this page's list, announced in the page head; None: the site feed only.
    feed: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    #: The key of ``data`` whose list is split into pages (:mod:`pufa.pagination`); None: one page.
    paginate: str | None = None
    #: A paginated view whose list has at most this many entries makes no page at all (another
    #: page shows that many already); -1: always at least one page.
    needed_beyond: int = -1
    #: Entries per page of a paginated view; None: :data:`pufa.pagination.PAGE_SIZE`.
    page_size: int | None = None


@dataclass(frozen=True)
class LoadContext:
    """What turning one file into an item may need besides the file."""

    config: SiteConfig
    content_dir: Path
    errors: ErrorCollector


class Kind:
    """A content kind's behaviour; one instance per kind, in :data:`pufa.kinds.KINDS`."""

    name: ClassVar[str]
    #: Chinese name, as the report and the CLI say it.
    label: ClassVar[str]
    #: Content directory of its files (``content/<section>/*.md``); "" for ordinary pages.
    section: ClassVar[str]
    schema: ClassVar[type[BaseModel] | None] = None
    template: ClassVar[str | None] = None
    #: The macro in ``pufa/macros.html`` that shows one item in a list.
    card: ClassVar[str] = "item_card"
    #: A plan shown ahead of its date (a month's theme, an event) rather than published on it.
    ahead: ClassVar[bool] = False
    #: Whether the site feed carries items of this kind (from their date on).
    in_site_feed: ClassVar[bool] = False
    #: The front-matter field whose line carries an error about the derived URL.
    url_field: ClassVar[str] = "slug"
    #: The macro in ``pufa/macros.html`` that lists items of this kind on a department page;
    #: it is called with :meth:`listed` and the text shown when there are none.
    listing: ClassVar[str] = "item_list"

    # -- loading -----------------------------------------------------------------------------
    def make(self, meta: Any, source: Source, context: LoadContext) -> Item | None:
        raise NotImplementedError

    def raw_refs(self, raw: dict) -> set[str | int]:
        """What other files may call a file of this kind that failed validation."""
        return set()

    def order(self, item: Any) -> Any:
        """Sort key; lists show items in this order."""
        return item.source.src_uri

    def newest_first(self) -> bool:
        return False

    # -- resolving and checking ---------------------------------------------------------------
    def resolve(self, item: Any, book: LawBook | None, errors: ErrorCollector) -> Item:
        """The item with every citation resolved (errors at their lines)."""
        from .. import citing

        source = item.source
        cited, found = citing.scan(source.body, book, source.shown, source.body_line)
        errors.extend(found)
        return replace(item, citations=tuple(cited), cited=citing.by_text(source.body, cited))

    def check(self, item: Any, campaign: Campaign, broken: set[str | int], errors: ErrorCollector) -> None:
        """Cross-file checks this kind owns (references to other items …)."""

    def check_all(self, campaign: Campaign, errors: ErrorCollector) -> None:
        """Checks over all items of this kind at once (unique numbers …)."""

    def declared_at(self, item: Any) -> tuple[int, str] | None:
        """Where the item states its URL itself (line, field), or None when it is derived."""
        front = item.source.front
        if front is None:
            return (1, "")
        if getattr(item.meta, self.url_field, None) is not None:
            return (front.key_line((self.url_field,)), self.url_field)
        return None

    def derived_at(self, item: Any) -> tuple[int, str]:
        front = item.source.front
        assert front is not None
        return (front.key_line(("title",)), "slug")

    def html_body(self, item: Any) -> str:
        """The part of the body checked against the content HTML policy."""
        return item.source.body

    def own_files(self, item: Any) -> list[str]:
        """Content files (besides the Markdown) that belong to the item and share its fate."""
        return []

    # -- building ---------------------------------------------------------------------------
    def views(self, config: SiteConfig) -> list[View]:
        """The generated pages (indexes) this kind adds; their data is filled at build time."""
        return []

    def nav(self, config: SiteConfig) -> list[tuple[str, str]]:
        """(title, url) entries of the site navigation this kind owns."""
        return []

    def nav_section(self, config: SiteConfig) -> str | None:
        """The navigation entry (its URL) an item's page belongs to, marked as "you are here" in the header
        tabs and the phone menu: the kind's own entry, or None when it has none."""
        entries = self.nav(config)
        return entries[0][1] if entries else None

    def page_context(self, item: Any, campaign: Campaign) -> dict[str, Any]:
        return {}

    def files(self, campaign: Campaign, rendered: Mapping[str, str]) -> dict[str, bytes]:
        """Files besides pages (feeds, captions …) the kind adds to the site."""
        return {}

    def file_names(self, campaign: Campaign) -> dict[str, str]:
        """Site path -> what it is, for every file :meth:`files` may write (checked against aliases)."""
        return {}

    def report_rows(self, item: Any) -> list[Row]:
        return []

    # -- “谁执法谁普法” ----------------------------------------------------------------------
    @property
    def filed(self) -> bool:
        """Whether items name the department responsible for them, so department pages list them.

        Read from the schema rather than declared: a new kind whose front matter has
        ``department`` (see :class:`Filed`) joins the department pages by itself.
        """
        return self.schema is not None and "department" in self.schema.model_fields

    def heading(self, config: SiteConfig) -> str:
        """The title of this kind's section on a department page (their table heads its column with the label)."""
        return self.label

    def listed(self, items: list[Any], campaign: Campaign) -> list[Any]:
        """What :attr:`listing` receives for a department's items (the items themselves unless a
        list shows more than an item knows, such as an event's month)."""
        return items

    # -- scaffolding ------------------------------------------------------------------------
    @property
    def scaffolds(self) -> bool:
        """Whether ``pufa new <kind>`` exists: the kind implements :meth:`scaffold`."""
        return type(self).scaffold is not Kind.scaffold

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Options of ``pufa new <kind>``."""

    def scaffold(self, args: argparse.Namespace, config: SiteConfig, content_dir: Path, today: date,
                 load: Callable[[], Campaign | None]) -> Any:
        """The new file (a :class:`pufa.scaffold.Scaffold`); ``load`` gives the campaign when it is needed."""
        raise NotImplementedError


_Made = TypeVar("_Made")


def per_item(make: Callable[..., _Made]) -> Callable[..., _Made]:
    """``make(item, ...)`` once per item object, kept as long as the item lives.

    An item is immutable and read under one configuration, so what is derived from it (and from
    further arguments, which must be the item's own, such as that configuration) never changes;
    and the live preview keeps the items of unchanged files from one save to the next
    (:class:`pufa.pipeline.Reuse`), so each save derives only what its edit changed.
    """
    made: weakref.WeakKeyDictionary[Any, _Made] = weakref.WeakKeyDictionary()

    @functools.wraps(make)
    def once(item: Any, *args: Any) -> _Made:
        if (found := made.get(item)) is None:
            found = made[item] = make(item, *args)
        return found

    return once
