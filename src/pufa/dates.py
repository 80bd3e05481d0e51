"""Campaign time, the one home of pufa's date and time helpers.

Everything is Beijing time, whatever the build machine says; durations in
transcripts and captions are written here too.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

CHINESE_MONTHS = ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"]


def localize(moment: datetime) -> datetime:
    """Naive times are read as Beijing time; aware ones are converted to it."""
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def build_today(override: str | date | None = None) -> date:
    """The build's notion of today, overridable for reproducible builds.

    Precedence: an explicit override (plugin option ``today``), then the
    ``SOURCE_DATE_EPOCH`` convention of reproducible-builds.org, then the clock.
    """
    if isinstance(override, date):
        return override
    if override:
        return date.fromisoformat(override)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), TZ).date()
    return datetime.now(TZ).date()


def parse_today(value: object, where: str = "mkdocs.yml") -> date:
    """The ``today`` option of mkdocs.yml: ``2026-03-15`` quoted (text) or not (a YAML date).

    Raises ValueError with the Chinese message for the user, located at ``where``
    (``mkdocs.yml:12``: :func:`pufa.project.today_option` knows the line).
    """
    if isinstance(value, datetime):
        value = value.date()
    if value is None or isinstance(value, date):
        return build_today(value)
    try:
        return build_today(str(value)) if isinstance(value, str) else date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{where}: plugins.pufa.today: 日期 “{value}” 应写作 2026-03-15（可加引号）") from None


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: datetime) -> str:
    return f"{chinese_date(moment.date())} {moment:%H:%M}"


def format_time(seconds: int) -> str:
    """A transcript time code: ``01:05``, or ``1:02:03`` past an hour."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def caption_timestamp(seconds: float) -> str:
    """A WebVTT time stamp, ``00:01:05.250``."""
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
