"""The registry of content kinds: what the site can hold, in the order lists and the CLI show it.

A kind is one module here (its schema and behaviour, see :mod:`pufa.kinds.base`)
plus its page template; :func:`register` adds one, e.g. from a test or a site's
own package, and everything else (loading, checks, pages, feeds, report,
``pufa new``) picks it up from :data:`KINDS`.
"""

from __future__ import annotations

from .base import Item, Kind, View
from .episode import KIND as EPISODE
from .event import KIND as EVENT
from .lesson import KIND as LESSON
from .month import KIND as MONTH
from .page import KIND as PAGE

#: Ordinary pages come last: they take every file no other kind's section claims.
KINDS: list[Kind] = [LESSON, MONTH, EPISODE, EVENT, PAGE]


def register(kind: Kind) -> None:
    """Add a kind before ordinary pages (idempotent, so a serve rebuild may call it again)."""
    if kind not in KINDS:
        KINDS.insert(KINDS.index(PAGE), kind)


def unregister(kind: Kind) -> None:
    if kind in KINDS:
        KINDS.remove(kind)


def kind_for(src_uri: str) -> Kind:
    """The kind a content file belongs to, by its section directory; a section's index.md is a page."""
    section = src_uri.split("/", 1)[0] if "/" in src_uri else ""
    if not src_uri.endswith("/index.md"):
        for kind in KINDS:
            if kind.section and kind.section == section:
                return kind
    return PAGE


def by_name(name: str) -> Kind:
    return next(kind for kind in KINDS if kind.name == name)


__all__ = ["KINDS", "Item", "Kind", "View", "by_name", "kind_for", "register", "unregister"]
