"""Generated pages that span kinds: home, law pages, departments and the report.

Each kind adds its own indexes (:meth:`pufa.kinds.base.Kind.views`); this module
adds the pages that list several kinds, all through the shared item interface.
A :class:`~pufa.kinds.base.View` is known from the configuration alone (URL,
title, template), so checks can tell which URLs the site generates without
building anything; its data is filled once, when the site is built.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from . import routes
from .kinds import KINDS
from .kinds.base import Item, View
from .laws import Citation
from .report import pivot
from .siteconfig import SiteConfig

if TYPE_CHECKING:
    from .campaign import Campaign

#: How many items the home page shows in each of its lists.
HOME_LATEST = 6
#: How many of the items that teach an article its law page lists; when there are more, the
#: article gets its own page (:func:`pufa.routes.taught`) that lists them all, a page at a time.
TAUGHT_SHOWN = 10
#: Entries on one page of an article's own list: plain links, so a page holds many, and a county
#: whose lessons cite the same articles again and again does not build hundreds of pages of them.
TAUGHT_PAGE_SIZE = 100


def site_views(config: SiteConfig) -> list[View]:
    """Every generated page, in the order the site lists them."""
    views = [View(routes.home(), config.site.title, "pufa/home.html", _home, config.site.description)]
    for kind in KINDS:
        views.extend(kind.views(config))
    views.extend(_department_views(config))
    views.extend(_law_views(config))
    return views


def _home(campaign: Campaign, today: date) -> dict[str, Any]:
    taxonomy = campaign.config.taxonomy
    by_audience, by_grade = campaign.group("audiences"), campaign.group("grades")
    return {
        "month": campaign.current_month(today),
        "lessons": campaign.of("lesson")[:HOME_LATEST],
        "episodes": campaign.of("episode")[:HOME_LATEST],
        "grades": [(key, name, len(by_grade.get(key, []))) for key, name in taxonomy.grades.items()],
        "audiences": [(key, name, len(by_audience.get(key, []))) for key, name in taxonomy.audiences.items()],
    }


def citing_items(campaign: Campaign) -> dict[tuple[str, str], list[Item]]:
    """(law, article) -> the items that cite it: “where this article is taught”."""

    def compute() -> dict[tuple[str, str], list[Item]]:
        index: dict[tuple[str, str], list[Item]] = {}
        for item in campaign.items:
            for key in dict.fromkeys((c.law, c.article) for c in item.all_citations):
                index.setdefault(key, []).append(item)
        return index

    return campaign.memo("citing", compute)


def _article_order(key: str) -> tuple[int, int]:
    number, _, sub = key.partition("-")
    return int(number), int(sub or 0)


def _law_views(config: SiteConfig) -> list[View]:
    book = config.laws
    if book is None:
        return []
    views = [View(routes.laws(), "法律法规", "pufa/laws.html",
                  lambda campaign, today: {"laws": [(key, law, len(law.articles)) for key, law in book.laws.items()]},
                  "本站课程、每月主题和节目引用的法律条文，均与现行官方文本逐字一致。")]
    for key, law in book.laws.items():
        views.append(View(routes.law(key), f"《{law.title}》", "pufa/law.html", _law(key), law.version))
        views += [View(routes.taught(key, number), f"哪里讲到《{law.title}》{Citation(key, number).article_label()}",
                       "pufa/taught.html", _taught(key, number), paginate="items", needed_beyond=TAUGHT_SHOWN,
                       page_size=TAUGHT_PAGE_SIZE)
                  for number in sorted(law.articles, key=_article_order)]
    return views


def _law(key: str) -> Any:
    def fill(campaign: Campaign, today: date) -> dict[str, Any]:
        law = campaign.config.laws.laws[key]  # type: ignore[union-attr]
        taught = citing_items(campaign)
        articles = [
            {
                "citation": Citation(key, number),
                "label": Citation(key, number).article_label(),
                "paragraphs": paragraphs,
                "taught": taught.get((key, number), [])[:TAUGHT_SHOWN],
                "taught_count": len(taught.get((key, number), [])),
                "taught_url": routes.taught(key, number),
            }
            for number, paragraphs in sorted(law.articles.items(), key=lambda entry: _article_order(entry[0]))
        ]
        return {"law": law, "articles": articles}

    return fill


def _taught(key: str, number: str) -> Any:
    def fill(campaign: Campaign, today: date) -> dict[str, Any]:
        law = campaign.config.laws.laws[key]  # type: ignore[union-attr]
        citation = Citation(key, number)
        return {"citation": citation, "label": f"《{law.title}》{citation.article_label()}", "paragraphs": law.articles[number],
                "items": citing_items(campaign).get((key, number), [])}

    return fill


def _department_views(config: SiteConfig) -> list[View]:
    """“谁执法谁普法”: what each department published, for readers and for assessment."""
    departments = config.taxonomy.departments
    views = [
        View(routes.report(), "普法责任制落实情况", "pufa/report.html", _report,
             "各部门发布的课程、节目和开展的活动，按月份和主题统计，供年度考核参考。"),
        View(routes.departments(), "谁执法谁普法", "pufa/departments.html", _departments,
             "各部门发布的课程、节目和开展的活动。"),
    ]
    views += [View(routes.department(key), name, "pufa/department.html", _department(key), paginate="items")
              for key, name in departments.items()]
    return views


def _report(campaign: Campaign, today: date) -> dict[str, Any]:
    rows = campaign.report_rows
    return {
        "departments": list(campaign.config.taxonomy.departments.items()),
        "months": sorted({row.month for row in rows}),
        "by_month": pivot(rows, "month"),
        "topics": [(key, topic.name) for key, topic in campaign.config.taxonomy.topics.items()],
        "by_topic": pivot(rows, "topic"),
        "total": len(rows),
    }


def _departments(campaign: Campaign, today: date) -> dict[str, Any]:
    table = campaign.by_department()
    return {"departments": [
        (key, name, len(table[key]["lesson"]), len(table[key]["episode"]), len(table[key]["event"]))
        for key, name in campaign.config.taxonomy.departments.items()
    ]}


def _department(key: str) -> Any:
    """Everything the department published, kind after kind, one list the page splits into pages;
    each page shows its part under the kinds' headings."""
    def fill(campaign: Campaign, today: date) -> dict[str, Any]:
        table = campaign.by_department()
        months = {month.meta.month: month for month in campaign.of("month")}
        items = [*table[key]["lesson"], *table[key]["episode"], *table[key]["event"]]
        return {"items": items, "months": months,
                "counts": {kind: len(table[key][kind]) for kind in ("lesson", "episode", "event")}}

    return fill
