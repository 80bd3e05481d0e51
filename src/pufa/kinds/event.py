"""活动: a legal-education event (法律七进 …), a plan shown ahead like a month's theme.

Its schema and behaviour live here, its page in ``pufa/event.html``: nothing else
in pufa names it. Month pages list the month's events, department pages and the
report count them, and the site feed carries each from the first day of its month.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from .. import routes
from ..dates import TZ
from ..models import DepartmentKey, Draft, Schema, Slug, TopicKey, VenueKey
from ..scalars import Day, Text
from ..slugs import is_slug, slugify
from .base import Filed, Item, Kind, LoadContext

if TYPE_CHECKING:
    from ..campaign import Campaign
    from ..report import Row
    from ..siteconfig import SiteConfig


class EventMeta(Schema):
    title: Text
    slug: Slug | None = None
    date: Day
    time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    place: Text
    department: DepartmentKey
    venue: VenueKey | None = None
    topic: TopicKey | None = None
    summary: Annotated[Text, Field(max_length=200)] | None = None
    draft: Draft = False


@dataclass(frozen=True, eq=False)
class Event(Filed, Item):
    slug: str = ""

    @property
    def url(self) -> str:
        return routes.event(self.slug)

    @property
    def published(self) -> datetime:
        """The first day of its month: the month's plan announces it, and feeds carry it from then."""
        return datetime(self.meta.date.year, self.meta.date.month, 1, tzinfo=TZ)

    @property
    def month(self) -> str:
        return f"{self.meta.date:%Y-%m}"


class EventKind(Kind):
    name = "event"
    label = "活动"
    section = "events"
    schema = EventMeta
    template = "pufa/event.html"
    ahead = True
    in_site_feed = True
    listing = "event_list"

    def nav_section(self, config: SiteConfig) -> str | None:
        """Events are part of their month's plan (一月一主题); they have no navigation entry of their own."""
        return routes.months()

    def make(self, meta: EventMeta, source: Any, context: LoadContext) -> Event | None:
        slug = meta.slug or f"{meta.date:%Y-%m-%d}-{slugify(meta.title)}"
        if not is_slug(slug):
            context.errors.add(source.shown, source.front.key_line(("title",)), "slug",
                               "无法由标题生成网址，请填写 slug（小写英文字母、数字和连字符）")
            return None
        return Event(meta, source, slug=slug)

    def order(self, item: Event) -> Any:
        return (item.meta.date, item.meta.time or "", item.url)

    def page_context(self, item: Event, campaign: Campaign) -> dict[str, Any]:
        return {"month": _months(campaign).get(item.month)}

    def listed(self, items: list[Event], campaign: Campaign) -> list[tuple[Event, Any]]:
        """Each event with the month whose plan it belongs to (None when that month has no theme)."""
        months = _months(campaign)
        return [(event, months.get(event.month)) for event in items]

    def report_rows(self, item: Event) -> list[Row]:
        from ..report import Row

        return [Row(item.department, self.label, item.label, item.meta.date, item.meta.topic or "", item.url)]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--title", required=True, help="活动名称")
        parser.add_argument("--date", required=True, help="日期，如 2026-03-10")
        parser.add_argument("--place", required=True, help="地点")
        parser.add_argument("--department", required=True, help="承办部门键，如 sifaju")
        parser.add_argument("--slug", help="网址最后一段（默认由日期和标题拼音生成）")

    def scaffold(self, args: argparse.Namespace, config: SiteConfig, content_dir: Any, today: date, load: Any) -> Any:
        from ..scaffold import new_event

        return new_event(config, content_dir, title=args.title, day=args.date, place=args.place,
                         department=args.department, slug=args.slug)


def _months(campaign: Campaign) -> dict[str, Any]:
    return campaign.memo("months", lambda: {month.meta.month: month for month in campaign.of("month")})


KIND = EventKind()
Event.kind = KIND
