"""普法课程: a lesson, filed by topic, for schools, workplaces and villages."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .. import routes
from ..dates import TZ
from ..errors import ContentError, ErrorCollector
from ..citing import inline_html
from ..laws import Citation, LawBook
from ..models import LessonMeta
from ..qr import qr_svg
from ..reading import reading_minutes
from ..slugs import is_slug, slugify
from .base import Filed, Item, Kind, LoadContext, View

if TYPE_CHECKING:
    from ..campaign import Campaign
    from ..report import Row
    from ..siteconfig import SiteConfig


@dataclass(frozen=True, eq=False)
class Lesson(Filed, Item):
    slug: str = ""
    #: The front matter's key articles (``articles:``), resolved.
    key_articles: tuple[Citation, ...] = ()

    @property
    def url(self) -> str:
        return routes.lesson(self.meta.topic, self.slug)

    @property
    def ref(self) -> str:
        """How months refer to this lesson: ``topic/slug``."""
        return f"{self.meta.topic}/{self.slug}"

    @property
    def published(self) -> datetime:
        day = self.meta.date
        return datetime(day.year, day.month, day.day, tzinfo=TZ)

    @property
    def updated(self) -> date:
        return self.meta.updated or self.meta.date

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(self.meta.aliases)

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        return (*self.citations, *self.key_articles)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.source.body)


def _listing(lessons: list[Lesson], **data: Any) -> dict[str, Any]:
    return {"lessons": lessons, **data}


class LessonKind(Kind):
    name = "lesson"
    label = "课程"
    section = "lessons"
    schema = LessonMeta
    template = "pufa/lesson.html"
    card = "lesson_card"
    in_site_feed = True

    def make(self, meta: LessonMeta, source: Any, context: LoadContext) -> Lesson | None:
        slug = meta.slug or slugify(meta.title)
        if not is_slug(slug) or len(slug) < 3:
            context.errors.add(source.shown, source.front.key_line(("title",)), "slug",
                               "无法由标题生成网址，请填写 slug（小写英文字母、数字和连字符）")
            return None
        return Lesson(meta, source, slug=slug)

    def raw_refs(self, raw: dict) -> set[str | int]:
        # The topic may be the very mistake, so match such lessons by slug alone.
        return {"*/" + str(raw.get("slug") or slugify(str(raw.get("title", ""))))}

    def order(self, item: Lesson) -> Any:
        return (item.meta.date, item.url)

    def newest_first(self) -> bool:
        return True

    def resolve(self, item: Lesson, book: LawBook | None, errors: ErrorCollector) -> Lesson:
        """Body citations, and the key articles the front matter names."""
        from .. import citing

        resolved: Lesson = super().resolve(item, book, errors)  # type: ignore[assignment]
        source = item.source
        assert source.front is not None
        key_articles: list[Citation] = []
        for index, article in enumerate(item.meta.articles):
            text = article if article.startswith("【") else f"【{article}】"
            line = source.front.line_of(("articles", index))
            cited, found = citing.scan(text, book, source.shown, line, f"articles[{index}]")
            if not cited and not found:
                found = [ContentError(source.shown, line, f"articles[{index}]", f"“{article}” 不是法条引用，请写作 宪法第三十三条")]
            key_articles.extend(cited)
            errors.extend(found)
        return replace(resolved, key_articles=tuple(key_articles))

    def views(self, config: SiteConfig) -> list[View]:
        taxonomy = config.taxonomy
        views = [View(routes.lessons(), "普法课程", "pufa/lessons.html", _index,
                      "按主题、对象和学段浏览全部普法课程。", paginate="lessons")]
        for key, topic in taxonomy.topics.items():
            views.append(View(routes.topic(key), f"{topic.name}课程", "pufa/listing.html",
                              _topic_listing(key, topic.law), topic.description, routes.topic_feed(key), paginate="lessons"))
        for vocabulary, terms, suffix in (("audience", taxonomy.audiences, "适用课程"), ("grade", taxonomy.grades, "法治课")):
            for key, name in terms.items():
                views.append(View(routes.term(vocabulary, key), f"{name}{suffix}", "pufa/listing.html",
                                  _term_listing(f"{vocabulary}s", key), paginate="lessons"))
        return views

    def nav(self, config: SiteConfig) -> list[tuple[str, str]]:
        return [("普法课程", routes.lessons())]

    def page_context(self, item: Lesson, campaign: Campaign) -> dict[str, Any]:
        site, book = campaign.config.site, campaign.config.laws
        permalink = site.site_url + item.url
        return {
            "permalink": permalink,
            "qr": qr_svg(permalink, f"扫码打开：{item.title}"),
            # Shown as the body's citations are: the article's text in a pop-up, on a phone too (a tap).
            "key_articles": [inline_html(c, book, item.url, f"key-{index}") for index, c in enumerate(item.key_articles)]
            if book else [],
        }

    def files(self, campaign: Campaign, rendered: Mapping[str, str]) -> dict[str, bytes]:
        from ..catalog import catalog_files
        from ..feeds import topic_feeds

        return {**topic_feeds(campaign, rendered), **catalog_files(campaign)}

    def file_names(self, campaign: Campaign) -> dict[str, str]:
        names = {routes.catalog(): "课程目录", routes.catalog_schema(): "课程目录格式说明"}
        names.update({routes.topic_feed(key): "主题订阅" for key in campaign.config.taxonomy.topics})
        return names

    def report_rows(self, item: Lesson) -> list[Row]:
        from ..report import Row

        return [Row(item.department, self.label, item.label, item.meta.date, item.meta.topic, item.url)]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--title", required=True, help="课程标题")
        parser.add_argument("--topic", required=True, help="主题键，如 xianfa")
        parser.add_argument("--department", required=True, help="负责部门键，如 sifaju")
        parser.add_argument("--audience", action="append", default=None, help="面向对象键，可重复（默认 qingshaonian）")
        parser.add_argument("--grade", action="append", default=[], help="学段键，可重复：xiaoxue、chuzhong、gaozhong")
        parser.add_argument("--slug", help="网址最后一段（默认由标题拼音生成）")

    def scaffold(self, args: argparse.Namespace, config: SiteConfig, content_dir: Any, today: date, load: Any) -> Any:
        from ..scaffold import new_lesson

        return new_lesson(config, content_dir, title=args.title, topic=args.topic, department=args.department,
                          audiences=args.audience or ["qingshaonian"], grades=args.grade, slug=args.slug, today=today)


def _index(campaign: Campaign, today: date) -> dict[str, Any]:
    taxonomy = campaign.config.taxonomy
    by_topic, by_audience, by_grade = campaign.group("topic"), campaign.group("audiences"), campaign.group("grades")
    return {
        "lessons": campaign.of("lesson"),
        "topics": [(key, topic, len(by_topic.get(key, []))) for key, topic in taxonomy.topics.items()],
        "audiences": [(key, name, len(by_audience.get(key, []))) for key, name in taxonomy.audiences.items()],
        "grades": [(key, name, len(by_grade.get(key, []))) for key, name in taxonomy.grades.items()],
    }


def _topic_listing(key: str, law: str) -> Any:
    return lambda campaign, today: _listing(campaign.group("topic").get(key, []), law=law)


def _term_listing(attribute: str, key: str) -> Any:
    return lambda campaign, today: _listing(campaign.group(attribute).get(key, []))


KIND = LessonKind()
Lesson.kind = KIND
