"""Indexes split into pages of a fixed size, so that no page grows with the site.

A county publishes for years: an index of every lesson, a topic's lessons or the
radio archive would otherwise grow by hundreds of entries a year, and every
reader on a phone would download all of them to see the newest. A view that
names a list in its data (:attr:`pufa.kinds.base.View.paginate`) becomes one page
per :data:`PAGE_SIZE` entries; page 1 keeps the index's own URL (links printed
before the index grew keep working), later pages live at
:func:`pufa.routes.paged` URLs, which stay the same as long as the list's
order does, and each page links to the previous and the next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from . import routes
from .kinds.base import View

#: Entries on one page of an index (tests set a smaller one).
PAGE_SIZE = 20
#: Page links shown on each side of the current page; the first and last are always shown.
WINDOW = 2


@dataclass(frozen=True)
class Pager:
    """Where one page lies among an index's pages: what its navigation shows."""

    #: The index's own URL: its first page.
    url: str
    number: int
    count: int
    #: Entries over all pages, and where this page's entries start and end (0-based, end excluded).
    total: int
    start: int
    end: int

    def url_of(self, number: int) -> str:
        return routes.paged(self.url, number)

    @property
    def previous(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers the navigation links to, ``None`` where it skips some (…).

        Bounded too: a thousand pages still show at most ``2 * WINDOW + 5`` links.
        """
        shown = sorted({1, self.count, *range(max(1, self.number - WINDOW), min(self.count, self.number + WINDOW) + 1)})
        numbers: list[int | None] = []
        for number in shown:
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def title_of(title: str, number: int) -> str:
    """A later page's title says which page it is, so tabs, history and search results tell them apart."""
    return title if number == 1 else f"{title}（第 {number} 页）"


def paginate(view: View, size: int | None = None) -> list[View]:
    """The pages of ``view`` (filled): one per ``size`` entries of its ``paginate`` list, at least
    one unless the list is no longer than :attr:`~pufa.kinds.base.View.needed_beyond`."""
    if view.paginate is None:
        return [view]
    size = size or view.page_size or PAGE_SIZE
    entries: list[Any] = list(view.data[view.paginate])
    if len(entries) <= view.needed_beyond:
        return []
    count = max(1, -(-len(entries) // size))
    pages = []
    for number in range(1, count + 1):
        start = (number - 1) * size
        pager = Pager(view.url, number, count, len(entries), start, min(start + size, len(entries)))
        data = {**view.data, view.paginate: entries[pager.start:pager.end], "pager": pager}
        pages.append(replace(view, url=pager.url_of(number), title=title_of(view.title, number), data=data))
    return pages
