"""The whole campaign as one collection: lessons, months, episodes and pages.

Built by :func:`pufa.loader.load_collection`, which validates everything first;
a :class:`Collection` therefore only ever holds valid, cross-referenced content.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .items import Episode, Item, Lesson, Month, Page
from .siteconfig import SiteConfig

#: Where the podcast feed is published, relative to site_url.
PODCAST_FEED = "radio/feed.xml"


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

    def __post_init__(self) -> None:
        self._sort()

    def _sort(self) -> None:
        self.lessons.sort(key=lambda item: (item.meta.date, item.url), reverse=True)
        self.months.sort(key=lambda item: item.meta.month)
        self.episodes.sort(key=lambda item: item.meta.number, reverse=True)
        self.pages.sort(key=lambda item: item.source.src_uri)

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
