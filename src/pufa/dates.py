"""Campaign time: everything is Beijing time, whatever the build machine says."""

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


def parse_today(value: object) -> date:
    """The ``today`` option of mkdocs.yml: ``2026-03-15`` quoted (text) or not (a YAML date).

    Raises ValueError with the Chinese message for the user.
    """
    if isinstance(value, datetime):
        value = value.date()
    if value is None or isinstance(value, date):
        return build_today(value)
    try:
        return build_today(str(value)) if isinstance(value, str) else date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"mkdocs.yml: plugins.pufa.today: 日期 “{value}” 应写作 2026-03-15") from None


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
