"""The whole campaign as one collection: lessons, months, episodes and pages.

Built by :func:`pufa.loader.load_collection`, which validates everything first;
a :class:`Collection` therefore only ever holds valid, cross-referenced content.
What a build publishes is :meth:`Collection.published`: the one place that
leaves out drafts and items dated after the build date, so that pages, feeds,
search, catalogue, law pages and report all agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .dates import chinese_date
from .items import Episode, Item, Lesson, Month, Page
from .siteconfig import SiteConfig


@dataclass(frozen=True)
class Unpublished:
    """An item a build leaves out: a draft (``due`` is None) or one dated after the build."""

    item: Lesson | Month | Episode
    due: date | None

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
        return f"{self.label}：{self.explanation}"


def _unpublished(item: Lesson | Month | Episode, today: date) -> Unpublished | None:
    if item.meta.draft:
        return Unpublished(item, None)
    # A month's theme is a plan and may be shown ahead; lessons and episodes wait for their day.
    day = item.published.date()
    if not isinstance(item, Month) and day > today:
        return Unpublished(item, day)
    return None


@dataclass
class Collection:
    config: SiteConfig
    content_dir: Path
    lessons: list[Lesson] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    #: References to items that exist but failed validation: not reported as dangling.
    broken_refs: set[str | int] = field(default_factory=set)
    #: The build date this collection was cut at (:meth:`published`); None: everything, uncut.
    today: date | None = None
    #: src_uri -> what :meth:`published` left out (or, in a preview, would leave out).
    unpublished: dict[str, Unpublished] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sort()

    def _sort(self) -> None:
        self.lessons.sort(key=lambda item: (item.meta.date, item.url), reverse=True)
        self.months.sort(key=lambda item: item.meta.month)
        self.episodes.sort(key=lambda item: item.meta.number, reverse=True)
        self.pages.sort(key=lambda item: item.source.src_uri)

    def published(self, today: date, preview: bool = False) -> Collection:
        """What a build on ``today`` publishes: no drafts, nothing dated after ``today``.

        A preview (``mkdocs serve``) keeps every item, so editors see drafts;
        ``unpublished`` still says which would be left out, for the page banner.
        """
        unpublished = {
            found.item.source.src_uri: found
            for item in [*self.lessons, *self.months, *self.episodes]
            if (found := _unpublished(item, today)) is not None
        }

        def keep(items: list) -> list:
            return list(items) if preview else [item for item in items if item.source.src_uri not in unpublished]

        return replace(self, lessons=keep(self.lessons), months=keep(self.months), episodes=keep(self.episodes),
                       pages=list(self.pages), today=today, unpublished=unpublished)

    def begun_months(self) -> list[Month]:
        """Months whose first day has come: a theme is announced ahead, but no feed carries it early."""
        if self.today is None:
            return list(self.months)
        return [month for month in self.months if month.published.date() <= self.today]

    @property
    def items(self) -> list[Item]:
        return [*self.lessons, *self.months, *self.episodes, *self.pages]

    def by_src_uri(self) -> dict[str, Item]:
        return {item.source.src_uri: item for item in self.items}

    def lesson_by_ref(self) -> dict[str, Lesson]:
        return {lesson.ref: lesson for lesson in self.lessons}

    def episode_by_number(self) -> dict[int, Episode]:
        return {episode.meta.number: episode for episode in self.episodes}

    def current_month(self, today: date) -> Month | None:
        """This month's theme; outside the campaign, the nearest month before today."""
        if not self.months:
            return None
        key = f"{today.year:04d}-{today.month:02d}"
        past = [month for month in self.months if month.meta.month <= key]
        return past[-1] if past else self.months[0]

    def group(self, attribute: str) -> dict[str, list[Lesson]]:
        """Lessons by a list-valued or single taxonomy field, in taxonomy order."""
        groups: dict[str, list[Lesson]] = defaultdict(list)
        for lesson in self.lessons:
            value = getattr(lesson.meta, attribute)
            for key in value if isinstance(value, list) else [value]:
                groups[key].append(lesson)
        return groups
