"""一月一主题: one month of the year-round campaign, a plan shown ahead of its month."""

from __future__ import annotations

import argparse
import difflib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .. import routes
from ..dates import CHINESE_MONTHS, TZ
from ..errors import ErrorCollector
from ..models import MonthMeta
from .base import Item, Kind, LoadContext, View

if TYPE_CHECKING:
    from ..campaign import Campaign
    from ..siteconfig import SiteConfig


@dataclass(frozen=True, eq=False)
class Month(Item):
    #: The campaign's name (``法治安澜行``), part of the month's label.
    campaign: str = ""

    @property
    def url(self) -> str:
        return routes.month(self.meta.month)

    @property
    def label(self) -> str:
        """``法治安澜行·十二月：宪法宣传月``."""
        return f"{self.campaign}·{CHINESE_MONTHS[self.meta.month_number - 1]}：{self.meta.title}"

    @property
    def published(self) -> datetime:
        return datetime(self.meta.year, self.meta.month_number, 1, tzinfo=TZ)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(self.meta.topics)


def _nearest_ref(ref: str, refs: list[str]) -> str:
    match = difflib.get_close_matches(ref, refs, n=1, cutoff=0.6)
    return f"，是否为 “{match[0]}”？" if match else "：请写作 主题键/slug，并确认该课程存在"


class MonthKind(Kind):
    name = "month"
    label = "每月主题"
    section = "months"
    schema = MonthMeta
    template = "pufa/month.html"
    ahead = True
    in_site_feed = True
    url_field = "month"

    def make(self, meta: MonthMeta, source: Any, context: LoadContext) -> Month:
        if source.path.stem != meta.month:
            context.errors.add(source.shown, source.front.key_line(("month",)), "month",
                               f"文件名 {source.path.name} 与 month: {meta.month} 不一致：每月主题的文件名应为 {meta.month}.md，请改正其中一个")
        return Month(meta, source, campaign=context.config.site.campaign)

    def order(self, item: Month) -> Any:
        return item.meta.month

    def check(self, item: Month, campaign: Campaign, broken: set[str | int], errors: ErrorCollector) -> None:
        """Featured lessons and episodes exist; dates lie in the month."""
        front = item.source.front
        assert front is not None
        shown = item.source.shown
        by_month = _months(campaign)
        lessons, numbers = by_month["lessons"], by_month["episodes"]
        for index, ref in enumerate(item.meta.lessons):
            if ref not in lessons and "*/" + ref.split("/")[-1] not in broken:
                errors.add(shown, front.line_of(("lessons", index)), f"lessons[{index}]",
                           f"找不到课程 “{ref}”{_nearest_ref(ref, list(lessons))}")
        for index, number in enumerate(item.meta.episodes):
            if number not in numbers and number not in broken:
                errors.add(shown, front.line_of(("episodes", index)), f"episodes[{index}]", f"找不到第 {number} 期节目")
        for index, entry in enumerate(item.meta.key_dates):
            if f"{entry.date:%Y-%m}" != item.meta.month:
                errors.add(shown, front.key_line(("key_dates", index, "date")), f"key_dates[{index}].date",
                           f"日期 {entry.date} 不在本月（{item.meta.month}）之内")

    def views(self, config: SiteConfig) -> list[View]:
        return [View(routes.months(), f"{config.site.campaign} · 一月一主题", "pufa/months.html", _index,
                     "每个月一个普法主题：本月的课程、活动和节目。", paginate="months")]

    def nav(self, config: SiteConfig) -> list[tuple[str, str]]:
        return [("一月一主题", routes.months())]

    def page_context(self, item: Month, campaign: Campaign) -> dict[str, Any]:
        return {"related": related(campaign, item)}

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--month", required=True, help="年-月，如 2026-03")
        parser.add_argument("--title", required=True, help="本月主题")

    def scaffold(self, args: argparse.Namespace, config: SiteConfig, content_dir: Any, today: date, load: Any) -> Any:
        from ..scaffold import new_month

        return new_month(content_dir, month=args.month, title=args.title)


def related(campaign: Campaign, month: Month) -> dict[str, list[Any]]:
    """A month's lessons and episodes (those it features, then others published in it) and its events."""
    by_month = _months(campaign)
    lessons, episodes, dated = by_month["lessons"], by_month["episodes"], by_month["dated"]
    key = month.meta.month
    featured_lessons = [lessons[ref] for ref in month.meta.lessons if ref in lessons]
    featured_episodes = [episodes[n] for n in month.meta.episodes if n in episodes]
    featured_lessons += [lesson for lesson in dated["lesson"].get(key, ()) if lesson not in featured_lessons]
    featured_episodes += [episode for episode in dated["episode"].get(key, ()) if episode not in featured_episodes]
    return {"lessons": featured_lessons, "episodes": featured_episodes, "events": list(dated["event"].get(key, ()))}


def _months(campaign: Campaign) -> dict[str, Any]:
    return campaign.memo("months", lambda: _by_month(campaign))  # type: ignore[no-any-return]


def _by_month(campaign: Campaign) -> dict[str, Any]:
    """Lessons by reference, episodes by number, and each kind's items by the month they are dated in
    (in the kind's order): once per campaign, not a scan of every item for each month."""
    dated: dict[str, dict[str, list[Any]]] = {}
    for kind, day in (("lesson", lambda item: item.meta.date), ("episode", lambda item: item.meta.air),
                      ("event", lambda item: item.meta.date)):
        groups = dated[kind] = {}
        for item in campaign.of(kind):
            groups.setdefault(f"{day(item):%Y-%m}", []).append(item)
    return {"lessons": {lesson.ref: lesson for lesson in campaign.of("lesson")},
            "episodes": {episode.meta.number: episode for episode in campaign.of("episode")}, "dated": dated}


def month_key(day: date) -> str:
    """``2026-12``: how month files, pages and the reader's script name a month."""
    return f"{day.year:04d}-{day.month:02d}"


def following_key(key: str) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def this_and_next(months: list[Month], key: str) -> tuple[Month | None, Month | None]:
    """The theme of month ``key`` and the next month's, as the home page shows them.

    This month: the latest theme not after ``key`` (after the campaign, its last month),
    before the campaign its first. Next: the theme of the month after ``key``, if planned.
    ``theme/assets/pufa-month.js`` applies the same rule with the reader's date, so that
    a page built in November shows December in December; keep the two alike.
    """
    if not months:
        return None, None
    past = [month for month in months if month.meta.month <= key]
    this = past[-1] if past else months[0]
    after = following_key(key)
    upcoming = next((month for month in months if month.meta.month == after and month is not this), None)
    return this, upcoming


def still_ahead(months: list[Month], key: str) -> list[Month]:
    """The themes a reader may still find current after a build in month ``key``: its own
    month's and every later one (the page carries them all, the script shows the right ones)."""
    this, _ = this_and_next(months, key)
    return [month for month in months if this is not None and month.meta.month >= this.meta.month]


def _index(campaign: Campaign, today: date) -> dict[str, Any]:
    """Newest year first, each year's months in calendar order; the template heads each year."""
    months = sorted(campaign.of("month"), key=lambda month: (-month.meta.year, month.meta.month_number))
    current, _ = this_and_next(campaign.of("month"), month_key(today))
    return {"months": months, "current": current}


KIND = MonthKind()
Month.kind = KIND
