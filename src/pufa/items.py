"""The loaded content items: validated metadata plus where it came from and its URL.

URLs are site-relative, without a leading slash and with a trailing one
(``lessons/xianfa/guojia-xianfa-ri/``), and derive from content, never from the
file's location, so moving a file never breaks a printed link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from . import routes
from .audio import AudioInfo
from .dates import TZ
from .laws import Citation
from .models import EpisodeMeta, LessonMeta, MonthMeta, PageMeta
from .reading import reading_minutes
from .sources import Source
from .transcript import Transcript


@dataclass
class Lesson:
    meta: LessonMeta
    source: Source
    slug: str
    #: Every article cited in the body, in order of appearance.
    citations: list[Citation] = field(default_factory=list)
    #: The front matter's key articles (``articles:``), resolved.
    key_articles: list[Citation] = field(default_factory=list)

    kind = "lesson"

    @property
    def url(self) -> str:
        return routes.lesson(self.meta.topic, self.slug)

    @property
    def ref(self) -> str:
        """How months refer to this lesson: ``topic/slug``."""
        return f"{self.meta.topic}/{self.slug}"

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def published(self) -> datetime:
        return datetime(self.meta.date.year, self.meta.date.month, self.meta.date.day, tzinfo=TZ)

    @property
    def updated(self) -> date:
        return self.meta.updated or self.meta.date

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.source.body)


@dataclass
class Month:
    meta: MonthMeta
    source: Source
    citations: list[Citation] = field(default_factory=list)

    kind = "month"

    @property
    def url(self) -> str:
        return routes.month(self.meta.month)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def published(self) -> datetime:
        return datetime(self.meta.year, self.meta.month_number, 1, tzinfo=TZ)


@dataclass
class Episode:
    meta: EpisodeMeta
    source: Source
    slug: str
    transcript: Transcript
    audio: AudioInfo | None
    citations: list[Citation] = field(default_factory=list)

    kind = "episode"

    @property
    def url(self) -> str:
        return routes.episode(self.slug)

    @property
    def files(self) -> routes.EpisodeFiles:
        return routes.episode_files(self.slug)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def published(self) -> datetime:
        return self.meta.air


@dataclass
class Page:
    meta: PageMeta
    source: Source

    kind = "page"

    @property
    def url(self) -> str:
        return routes.page(self.source.src_uri)

    @property
    def title(self) -> str:
        return self.meta.title or ""


Item = Lesson | Month | Episode | Page
