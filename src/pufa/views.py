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

from markupsafe import Markup

from . import routes
from .kinds import KINDS
from .kinds.base import Item, View
from .kinds.month import month_key, still_ahead, this_and_next
from .laws import Citation
from .chart import monthly_chart
from .report import month_span, pivot
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


def site_views(config: SiteConfig, campaign: Campaign | None = None) -> list[View]:
    """Every generated page, in the order the site lists them.

    Without a campaign: every page the configuration allows (what checks reserve);
    with one: the pages that campaign's build makes (no page for a law it does not cite).
    """
    views = [View(routes.home(), config.site.title, "pufa/home.html", _home, config.site.description)]
    for kind in KINDS:
        views.extend(kind.views(config))
    views.extend(_department_views(config))
    views.extend(_law_views(config, campaign))
    return views


def _home(campaign: Campaign, today: date) -> dict[str, Any]:
    taxonomy = campaign.config.taxonomy
    by_audience, by_grade = campaign.group("audiences"), campaign.group("grades")
    months, now = campaign.of("month"), month_key(today)
    this, upcoming = this_and_next(months, now)
    return {
        # The build's choice (the page without script); pufa-month.js picks again by the reader's date.
        "month": this,
        "next_month": upcoming,
        "months": still_ahead(months, now),
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


def cited(campaign: Campaign) -> dict[str, list[str]]:
    """Law key -> the articles the campaign cites, in article order; laws in laws.yml's order."""
    def compute() -> dict[str, list[str]]:
        book, taught = campaign.config.laws, citing_items(campaign)
        found = {key: sorted((number for number in law.articles if (key, number) in taught), key=_article_order)
                 for key, law in (book.laws.items() if book else ())}
        return {key: articles for key, articles in found.items() if articles}

    return campaign.memo("cited", compute)


def _law_views(config: SiteConfig, campaign: Campaign | None) -> list[View]:
    """/laws/ and a page per law: only laws and articles the site cites, so that a county's
    site never shows text it does not use (such as another county's, copied with laws.yml)."""
    book = config.laws
    if book is None:
        return []
    views = [View(routes.laws(), "法律法规", "pufa/laws.html",
                  lambda campaign, today: {"laws": [(key, book.laws[key], len(articles))
                                                    for key, articles in cited(campaign).items()]},
                  "本站课程、每月主题和节目引用的法律条文，均与现行官方文本逐字一致。")]
    keys = book.laws if campaign is None else cited(campaign)
    for key in keys:
        law = book.laws[key]
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
                "paragraphs": law.articles[number],
                "taught": taught.get((key, number), [])[:TAUGHT_SHOWN],
                "taught_count": len(taught.get((key, number), [])),
                "taught_url": routes.taught(key, number),
            }
            for number in cited(campaign).get(key, [])
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
        View(routes.report(), f"{config.site.county}普法责任制落实情况", "pufa/report.html", _report,
             "各部门发布的课程、节目和开展的活动，按月份和主题逐年统计，供年度考核参考。", paginate="years", page_size=1),
        View(routes.departments(), "谁执法谁普法", "pufa/departments.html", _departments,
             "各部门发布的课程、节目和开展的活动。"),
    ]
    views += [View(routes.department(key), name, "pufa/department.html", _department(key), paginate="items")
              for key, name in departments.items()]
    return views


def _report(campaign: Campaign, today: date) -> dict[str, Any]:
    """One page per calendar year, the latest first: the assessment is yearly, and a campaign of
    many years would otherwise make one table a column wider every month."""
    rows = campaign.report_rows
    departments = list(campaign.config.taxonomy.departments.items())
    years = []
    for year in sorted({row.day.year for row in rows}, reverse=True):
        of_year = [row for row in rows if row.day.year == year]
        months, by_month = month_span(of_year), pivot(of_year, "month")
        years.append({"year": year, "months": months, "by_month": by_month, "by_topic": pivot(of_year, "topic"),
                      "chart": monthly_chart(departments, months, by_month), "total": len(of_year)})
    return {
        "departments": departments,
        "years": years or [{"year": None, "months": [], "by_month": {}, "by_topic": {}, "chart": Markup(""), "total": 0}],
        "all_years": [entry["year"] for entry in years],
        "topics": [(key, topic.name) for key, topic in campaign.config.taxonomy.topics.items()],
        "total": len(rows),
    }


def _filed_kinds() -> list[Any]:
    """The kinds department pages list, in registry order: whichever name a department."""
    return [kind for kind in KINDS if kind.filed]


def _departments(campaign: Campaign, today: date) -> dict[str, Any]:
    table, filed = campaign.by_department(), _filed_kinds()
    return {
        "kinds": [kind.label for kind in filed],
        "departments": [(key, name, [len(table[key][kind.name]) for kind in filed])
                        for key, name in campaign.config.taxonomy.departments.items()],
    }


def _department(key: str) -> Any:
    """Everything the department published, kind after kind, one list the page splits into pages;
    each page shows its part under the kinds' headings."""
    def fill(campaign: Campaign, today: date) -> dict[str, Any]:
        table, config = campaign.by_department(), campaign.config
        filed = _filed_kinds()
        return {
            # One list over all kinds, split into pages; each page heads its part kind by kind.
            "items": [{"kind": kind.name, "entry": entry}
                      for kind in filed for entry in kind.listed(table[key][kind.name], campaign)],
            "sections": [{"kind": kind, "heading": kind.heading(config), "empty": f"暂无{kind.label}。",
                          "count": len(table[key][kind.name])} for kind in filed],
        }

    return fill
