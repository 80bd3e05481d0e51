"""Generated pages: the indexes a campaign needs, built from the collection.

Each :class:`View` is renderer-neutral: a URL, a title, a template name and the
data the template lists. The MkDocs adapter turns views into pages; another
renderer could do the same with the same templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import routes
from .collection import Collection
from .dates import CHINESE_MONTHS
from .items import Episode, Lesson, Month
from .laws import Citation
from .qr import qr_svg
from .report import pivot, report_rows

#: How many items the home page shows in each of its lists.
HOME_LATEST = 6


@dataclass
class View:
    url: str
    title: str
    template: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    @property
    def src_uri(self) -> str:
        """Where the page pretends to live in the content tree."""
        return routes.source_uri(self.url)


def month_label(month: Month, campaign: str) -> str:
    """``法治安澜行·十二月：宪法宣传月``."""
    return f"{campaign}·{CHINESE_MONTHS[month.meta.month_number - 1]}：{month.meta.title}"


def build_views(collection: Collection, today: date) -> list[View]:
    taxonomy = collection.config.taxonomy
    site = collection.config.site
    views: list[View] = []
    lessons_by_topic = collection.group("topic")
    by_audience = collection.group("audiences")
    by_grade = collection.group("grades")
    current = collection.current_month(today)

    views.append(
        View(
            url=routes.home(),
            title=site.title,
            template="pufa/home.html",
            kind="home",
            description=site.description,
            data={
                "month": current,
                "month_label": month_label(current, site.campaign) if current else "",
                "lessons": collection.lessons[:HOME_LATEST],
                "episodes": collection.episodes[:HOME_LATEST],
                "grades": [(key, name, len(by_grade.get(key, []))) for key, name in taxonomy.grades.items()],
                "audiences": [(key, name, len(by_audience.get(key, []))) for key, name in taxonomy.audiences.items()],
            },
        )
    )
    views.append(
        View(
            url=routes.lessons(),
            title="普法课程",
            template="pufa/lessons.html",
            kind="lessons",
            description="按主题、对象和学段浏览全部普法课程。",
            data={
                "topics": [(key, topic, lessons_by_topic.get(key, [])) for key, topic in taxonomy.topics.items()],
                "audiences": [(key, name, len(by_audience.get(key, []))) for key, name in taxonomy.audiences.items()],
                "grades": [(key, name, len(by_grade.get(key, []))) for key, name in taxonomy.grades.items()],
            },
        )
    )
    for key, topic in taxonomy.topics.items():
        views.append(
            View(
                url=routes.topic(key),
                title=f"{topic.name}课程",
                template="pufa/listing.html",
                kind="topic",
                description=topic.description,
                data={"lessons": lessons_by_topic.get(key, []), "law": topic.law, "key": key},
            )
        )
    for kind, groups, vocabulary, suffix in (
        ("audience", by_audience, taxonomy.audiences, "适用课程"),
        ("grade", by_grade, taxonomy.grades, "法治课"),
    ):
        for key, name in vocabulary.items():
            views.append(
                View(
                    url=routes.term(kind, key),
                    title=f"{name}{suffix}",
                    template="pufa/listing.html",
                    kind=kind,
                    data={"lessons": groups.get(key, []), "key": key},
                )
            )
    years: dict[int, list[Month]] = {}
    for month in collection.months:
        years.setdefault(month.meta.year, []).append(month)
    views.append(
        View(
            url=routes.months(),
            title=f"{site.campaign} · 一月一主题",
            template="pufa/months.html",
            kind="months",
            description="每个月一个普法主题：本月的课程、活动和节目。",
            data={
                "years": sorted(years.items(), reverse=True),
                "current": current,
                "labels": {m.meta.month: month_label(m, site.campaign) for m in collection.months},
            },
        )
    )
    views.append(
        View(
            url=routes.radio(),
            title="《见事说法》",
            template="pufa/radio.html",
            kind="radio",
            description="县电台每周播出的普法栏目，每期都有音频和文字稿。",
            data={"episodes": collection.episodes},
        )
    )
    views.extend(_department_views(collection))
    views.extend(_law_views(collection))
    return views


def citing_items(collection: Collection) -> dict[tuple[str, str], list[Any]]:
    """(law, article) -> the lessons, months and episodes that cite it: “where this article is taught”."""
    index: dict[tuple[str, str], list[Any]] = {}
    for item in [*collection.lessons, *collection.months, *collection.episodes]:
        cited = [*item.citations, *getattr(item, "key_articles", [])]
        for key in dict.fromkeys((c.law, c.article) for c in cited):
            index.setdefault(key, []).append(item)
    return index


def _article_order(key: str) -> tuple[int, int]:
    number, _, sub = key.partition("-")
    return int(number), int(sub or 0)


def _law_views(collection: Collection) -> list[View]:
    book = collection.config.laws
    if book is None:
        return []

    taught = citing_items(collection)
    views = [
        View(
            url=routes.laws(),
            title="法律法规",
            template="pufa/laws.html",
            kind="laws",
            description="本站课程、每月主题和节目引用的法律条文，均与现行官方文本逐字一致。",
            data={"laws": [(key, law, len(law.articles)) for key, law in book.laws.items()]},
        )
    ]
    for key, law in book.laws.items():
        articles = [
            {
                "citation": Citation(key, number),
                "label": Citation(key, number).article_label(),
                "paragraphs": paragraphs,
                "taught": taught.get((key, number), []),
            }
            for number, paragraphs in sorted(law.articles.items(), key=lambda entry: _article_order(entry[0]))
        ]
        views.append(
            View(url=routes.law(key), title=f"《{law.title}》", template="pufa/law.html", kind="law",
                 description=law.version, data={"key": key, "law": law, "articles": articles})
        )
    return views


def _department_views(collection: Collection) -> list[View]:
    """“谁执法谁普法”: what each department published, for readers and for assessment."""
    departments = collection.config.taxonomy.departments
    lessons: dict[str, list[Lesson]] = collection.group("department")
    episodes: dict[str, list[Episode]] = {}
    for episode in collection.episodes:
        episodes.setdefault(episode.meta.department, []).append(episode)
    activities: dict[str, list[tuple[Month, Any]]] = {}
    for month in collection.months:
        for activity in month.meta.activities:
            activities.setdefault(activity.department, []).append((month, activity))
    summary = [
        (key, name, len(lessons.get(key, [])), len(episodes.get(key, [])), len(activities.get(key, [])))
        for key, name in departments.items()
    ]
    rows = report_rows(collection)
    months = sorted({row.month for row in rows})
    topics = collection.config.taxonomy.topics
    views = [
        View(
            url=routes.report(),
            title="普法责任制落实情况",
            template="pufa/report.html",
            kind="report",
            description="各部门发布的课程、节目和开展的活动，按月份和主题统计，供年度考核参考。",
            data={
                "departments": list(departments.items()),
                "months": months,
                "by_month": pivot(rows, "month"),
                "topics": [(key, topic.name) for key, topic in topics.items()],
                "by_topic": pivot(rows, "topic"),
                "csv": routes.report_csv(),
                "total": len(rows),
            },
        ),
        View(
            url=routes.departments(),
            title="谁执法谁普法",
            template="pufa/departments.html",
            kind="departments",
            description="各部门发布的课程、节目和开展的活动。",
            data={"departments": summary},
        )
    ]
    for key, name in departments.items():
        views.append(
            View(
                url=routes.department(key),
                title=name,
                template="pufa/department.html",
                kind="department",
                data={
                    "key": key,
                    "lessons": lessons.get(key, []),
                    "episodes": episodes.get(key, []),
                    "activities": activities.get(key, []),
                },
            )
        )
    return views


def month_related(collection: Collection, month: Month) -> dict[str, list[Any]]:
    """A month's lessons and episodes: those it features, then others published in it."""
    lessons = collection.lesson_by_ref()
    episodes = collection.episode_by_number()
    featured_lessons = [lessons[ref] for ref in month.meta.lessons if ref in lessons]
    featured_episodes = [episodes[n] for n in month.meta.episodes if n in episodes]
    key = month.meta.month
    featured_lessons += [
        lesson for lesson in collection.lessons if f"{lesson.meta.date:%Y-%m}" == key and lesson not in featured_lessons
    ]
    featured_episodes += [
        episode for episode in collection.episodes if f"{episode.meta.air:%Y-%m}" == key and episode not in featured_episodes
    ]
    return {"lessons": featured_lessons, "episodes": featured_episodes}


def item_context(collection: Collection, item: Any) -> dict[str, Any]:
    """What an item's page template needs beyond the item itself, links relative to its page."""
    site, book = collection.config.site, collection.config.laws
    if isinstance(item, Month):
        return {"related": month_related(collection, item)}
    if isinstance(item, Lesson):
        permalink = site.site_url + item.url
        return {
            "permalink": permalink,
            "qr": qr_svg(permalink, f"扫码打开：{item.title}"),
            "key_articles": [
                {"label": c.label(book), "href": routes.relative(c.url, item.url), "text": "\n".join(c.text(book))}
                for c in item.key_articles
            ] if book else [],
        }
    if isinstance(item, Episode):
        context: dict[str, Any] = {}
        if item.audio is not None:
            context["audio_url"] = routes.relative(item.audio.url, item.url) if item.audio.local else item.audio.url
        if item.transcript.cues:
            context["files"] = item.files
        return context
    return {}
