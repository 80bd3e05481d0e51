"""``/lessons/catalog.json``: the lesson catalogue for school platforms.

The format is versioned (``schema_version``) and described by a JSON Schema
published beside it (``/lessons/catalog.schema.json``), both from the models in
:mod:`pufa.catalog_document`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import routes
from .catalog_document import SCHEMA_VERSION, Catalog, catalog_schema
from .catalog_document import Lesson as CatalogLesson
from .kinds.base import per_item
from .text import json_text

if TYPE_CHECKING:
    from .campaign import Campaign
    from .kinds.lesson import Lesson
    from .siteconfig import SiteConfig


def catalog_json(campaign: Campaign) -> str:
    """The catalogue as compact JSON: exactly ``json.dumps`` of the validated :class:`Catalog` document.

    Each lesson's entry is validated by the document's own model and written once per item (the
    live preview keeps unchanged items from one save to the next), so that a save validates and
    writes only what changed, instead of the whole catalogue (a sixth of a save at a thousand lessons).
    """
    site = campaign.config.site
    head = Catalog.model_validate({
        "schema_version": SCHEMA_VERSION,
        "schema": site.site_url + routes.catalog_schema(),
        "site": {"title": site.title, "url": site.site_url, "organizer": site.organizer},
        "lessons": [],
    }).model_dump(mode="json", by_alias=True)
    assert list(head)[-1] == "lessons", "the lessons come last: they are spliced into the document"
    entries = []
    for lesson in sorted(campaign.of("lesson"), key=lambda item: item.url):
        entries.append(_entry_json(lesson, campaign.config))
    empty = json.dumps(head, ensure_ascii=False)
    return empty[:-len("[]}")] + "[" + ", ".join(entries) + "]}"


@per_item
def _entry_json(lesson: Lesson, config: SiteConfig) -> str:
    entry = CatalogLesson.model_validate(_entry(lesson, config))
    return json.dumps(entry.model_dump(mode="json", by_alias=True), ensure_ascii=False)


def _entry(lesson: Lesson, config: SiteConfig) -> dict[str, Any]:
    site, taxonomy, book = config.site, config.taxonomy, config.laws
    meta = lesson.meta
    cited = list(dict.fromkeys([*lesson.key_articles, *lesson.citations]))
    return {
        "id": lesson.ref,
        "title": meta.title,
        "url": site.site_url + lesson.url,
        "topic": {"key": meta.topic, "name": taxonomy.topics[meta.topic].name},
        "audiences": [{"key": key, "name": taxonomy.audiences[key]} for key in meta.audiences],
        "grades": [{"key": key, "name": taxonomy.grades[key]} for key in meta.grades],
        "class_minutes": meta.class_minutes,
        "summary": meta.summary,
        "department": {"key": meta.department, "name": taxonomy.departments[meta.department]},
        "published": meta.date,
        "updated": lesson.updated,
        "objectives": list(meta.objectives),
        "articles": [
            {
                "law": citation.law,
                "law_title": book.laws[citation.law].title if book else "",
                "article": citation.article,
                "label": citation.label(book) if book else "",
                "url": site.site_url + citation.url,
            }
            for citation in cited
        ],
    }


def catalog_files(campaign: Campaign) -> dict[str, bytes]:
    return {routes.catalog(): _indented(catalog_json(campaign)), routes.catalog_schema(): _schema()}


@lru_cache(maxsize=1)
def _schema() -> bytes:
    """The schema is pufa's, the same for every site and build: generated once per process."""
    return _indented(json.dumps(catalog_schema(), ensure_ascii=False))


@lru_cache(maxsize=8)
def _indented(compact: str) -> bytes:
    """The document indented for people who open it. Python's JSON encoder indents in pure Python,
    a tenth of a second per hundred lessons; the compact text (C encoder) says whether it changed
    since the last build of this process (every save in the live preview)."""
    return (json_text(json.loads(compact), indent=2, sort_keys=False) + "\n").encode("utf-8")
