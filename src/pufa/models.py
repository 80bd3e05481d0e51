"""Front-matter schemas, one per kind of content.

Taxonomy keys are checked against ``site_config/`` passed in the validation
context, so a misspelt key fails at its own line with a suggestion. Checks
that need other files (references, duplicate URLs) live in :mod:`pufa.collection`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .dates import localize
from .scalars import STRICT, Day, Text, Words
from .siteconfig import Taxonomy
from .slugs import SLUG_PATTERN
from .suggest import unknown_message

#: ``draft: true`` keeps an item out of the built site; only ``mkdocs serve`` shows it.
Draft = Annotated[bool, Strict()]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=3, max_length=80)]

_KIND_NAMES = {
    "topics": "主题",
    "audiences": "对象",
    "grades": "学段",
    "departments": "部门",
    "venues": "“法律七进”场所",
}


def _taxonomy_key(kind: str) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        taxonomy: Taxonomy | None = (info.context or {}).get("taxonomy")
        if taxonomy is None:
            return value
        choices = taxonomy.vocabulary(kind)
        if value not in choices:
            raise PydanticCustomError("unknown_key", unknown_message(_KIND_NAMES[kind], value, choices))
        return value

    return AfterValidator(check)


TopicKey = Annotated[str, _taxonomy_key("topics")]
AudienceKey = Annotated[str, _taxonomy_key("audiences")]
GradeKey = Annotated[str, _taxonomy_key("grades")]
DepartmentKey = Annotated[str, _taxonomy_key("departments")]
VenueKey = Annotated[str, _taxonomy_key("venues")]


def _parse_air(value: Any) -> Any:
    """YAML only types ``2026-01-09 18:30:00`` as a datetime; accept ``18:30`` too."""
    if isinstance(value, str):
        if ":" not in value:
            raise PydanticCustomError("air_format", "缺少播出时间，格式如 2026-03-13 18:30")
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "air_format", "应为北京时间的日期时间，格式如 2026-03-13 18:30"
            ) from None
    if isinstance(value, date) and not isinstance(value, datetime):
        raise PydanticCustomError("air_format", "缺少播出时间，格式如 2026-03-13 18:30")
    return value


BeijingTime = Annotated[datetime, BeforeValidator(_parse_air), AfterValidator(localize)]


def _unique(items: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            raise PydanticCustomError("duplicate_item", f"“{item}” 重复出现")
        seen.add(item)
    return items


def UniqueList(item: Any, min_length: int = 0) -> Any:  # noqa: N802 - reads as a type
    return Annotated[list[item], Field(min_length=min_length), AfterValidator(_unique)]


class Schema(BaseModel):
    """Unknown keys are errors: a misspelt key must never pass silently."""

    model_config = ConfigDict(**STRICT, str_strip_whitespace=True)


class QuizItem(Schema):
    question: Text
    options: list[Text] = []
    answer: Text
    explanation: Words | None = None

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> QuizItem:
        if self.options and self.answer not in self.options:
            raise PydanticCustomError("quiz_answer", "answer 必须是 options 中的一项")
        return self


_ALIAS = re.compile(r"^/(?:[a-z0-9]+(?:[-_.][a-z0-9]+)*/)+$")


def _alias(value: str) -> str:
    """An old URL of this lesson, site-relative: ``/lessons/xianfa/old-slug/``."""
    if not _ALIAS.match(value):
        raise PydanticCustomError(
            "alias", f"旧网址 “{value}” 应写作站内路径，以 / 开头和结尾，只用小写英文字母、数字和 - _ .，如 /lessons/xianfa/old-slug/"
        )
    return value


class LessonMeta(Schema):
    title: Text
    topic: TopicKey
    slug: Slug | None = None
    audiences: UniqueList(AudienceKey, min_length=1)
    grades: UniqueList(GradeKey) = []
    department: DepartmentKey
    date: Day
    updated: Day | None = None
    summary: Annotated[Text, Field(max_length=200)]
    tags: UniqueList(Text) = []
    class_minutes: Annotated[int, Field(ge=10, le=180)] | None = None
    objectives: list[Text] = []
    articles: UniqueList(Text) = []
    case: Text | None = None
    questions: list[Text] = []
    quiz: list[QuizItem] = []
    aliases: UniqueList(Annotated[str, AfterValidator(_alias)]) = []
    draft: Draft = False

    @model_validator(mode="after")
    def _updated_after_published(self) -> LessonMeta:
        if self.updated is not None and self.updated < self.date:
            raise PydanticCustomError("updated_before_date", "修订日期 updated 不能早于发布日期 date")
        return self


MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class KeyDate(Schema):
    date: Day
    name: Text


LESSON_REF = re.compile(r"^[a-z][a-z0-9]*/[a-z0-9]+(?:-[a-z0-9]+)*$")


def _lesson_ref(value: str) -> str:
    if not LESSON_REF.match(value):
        raise PydanticCustomError("lesson_ref", f"课程引用 “{value}” 应写作 主题键/slug，如 xianfa/guojia-xianfa-ri")
    return value


class MonthMeta(Schema):
    month: Annotated[str, Field(pattern=MONTH_PATTERN)]
    title: Text
    summary: Text
    topics: UniqueList(TopicKey) = []
    laws: UniqueList(Text) = []
    key_dates: list[KeyDate] = []
    lessons: UniqueList(Annotated[str, AfterValidator(_lesson_ref)]) = []
    episodes: UniqueList(Annotated[int, Field(ge=1)]) = []
    draft: Draft = False

    @model_validator(mode="before")
    @classmethod
    def _month_as_text(cls, data: Any) -> Any:
        # ``month: 2026-03-01`` would arrive as a date; say what is expected.
        if isinstance(data, dict) and isinstance(data.get("month"), date):
            raise PydanticCustomError("month_format", "month 应写作 年-月，如 2026-03")
        return data

    @property
    def year(self) -> int:
        return int(self.month[:4])

    @property
    def month_number(self) -> int:
        return int(self.month[5:])


class Person(Schema):
    name: Text
    role: Words | None = None
    department: DepartmentKey | None = None


class Guest(Person):
    role: Text


_AUDIO_NAME = re.compile(r"^[A-Za-z0-9._/-]+$")


def _audio(value: str) -> str:
    if value.startswith(("http://", "https://")):
        if not value.startswith("https://"):
            raise PydanticCustomError("audio_url", "音频网址应以 https:// 开头")
        if not value.isascii() or " " in value:
            raise PydanticCustomError("audio_url", "音频网址只能包含英文字母、数字和标点，不能有中文或空格")
        return value
    if not _AUDIO_NAME.match(value):
        raise PydanticCustomError("audio_name", "音频文件名只能用英文字母、数字和 - _ . /，请重命名文件")
    if value.startswith("/") or ".." in value.split("/"):
        raise PydanticCustomError("audio_path", "音频文件应放在本文件所在目录或其下级目录，不能用 / 开头或 ..")
    return value


_TRANSCRIPT_NAME = re.compile(r"^[A-Za-z0-9._/-]+\.(vtt|srt)$")


def _transcript(value: str) -> str:
    if not _TRANSCRIPT_NAME.match(value) or value.startswith("/") or ".." in value.split("/"):
        raise PydanticCustomError(
            "transcript_name", "文字稿文件应为本文件旁边的 .vtt 或 .srt 文件，文件名只能用英文字母、数字和 - _ ."
        )
    return value


def _duration(value: Any) -> Any:
    from .audio import parse_duration

    if isinstance(value, bool):
        raise PydanticCustomError("duration", "时长应写作秒数或 时:分:秒，如 754 或 12:34")
    try:
        seconds = parse_duration(value)
    except (ValueError, AttributeError):
        raise PydanticCustomError("duration", "时长应写作秒数或 时:分:秒，如 754 或 12:34") from None
    if seconds <= 0:
        raise PydanticCustomError("duration", "时长应大于 0")
    return seconds


TimeOffset = Annotated[float, BeforeValidator(_duration)]


def _chapter_start(value: Any) -> Any:
    """A chapter may start at 0, unlike a duration."""
    if not isinstance(value, bool) and value in (0, "0", "00:00"):
        return 0.0
    return _duration(value)


class ChapterMeta(Schema):
    start: Annotated[float, BeforeValidator(_chapter_start)]
    title: Text


class EpisodeMeta(Schema):
    number: Annotated[int, Field(ge=1, le=99999)]
    title: Text
    slug: Slug | None = None
    air: BeijingTime
    topic: TopicKey
    department: DepartmentKey
    summary: Annotated[Text, Field(max_length=400)]
    hosts: list[Person] = Field(min_length=1)
    guests: list[Guest] = []
    audio: Annotated[str, AfterValidator(_audio)] | None = None
    audio_length: Annotated[int, Field(ge=1)] | None = None
    audio_duration: TimeOffset | None = None
    transcript: Annotated[str, AfterValidator(_transcript)] | None = None
    chapters: list[ChapterMeta] = []
    guid: Annotated[Words, Field(min_length=8, max_length=200)] | None = None
    explicit: bool = False
    episode_type: Literal["full", "trailer", "bonus"] = "full"
    tags: UniqueList(Text) = []
    draft: Draft = False


class PageMeta(Schema):
    """Ordinary pages (about, contact …) may only set what Material understands."""

    title: Text | None = None
    description: Words | None = None
    hide: UniqueList(Annotated[str, Field(pattern=r"^(navigation|toc|footer|feedback|path|tags)$")]) = []
