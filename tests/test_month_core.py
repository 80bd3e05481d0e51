"""This month and next on the home page: the build's choice, which pufa-month.js repeats by the reader's date
(issue 11, item 6)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import Site
from pufa.feeds import site_feed
from pufa.kinds.month import following_key, month_key, still_ahead, this_and_next
from pufa.pipeline import load_campaign
from pufa.site import build_site
from pufa.siteconfig import load_site_config

JUNE = "---\nmonth: 2026-06\ntitle: 禁毒宣传月\nsummary: 六月禁毒。\n---\n\n六月的主题。\n"


@pytest.fixture
def campaign(minisite: Site) -> Any:
    """Themes for 2026-03, 2026-04 and, after a gap in May, 2026-06."""
    minisite.write("content/months/2026-06.md", JUNE)
    config, errors = load_site_config(minisite.root / "site_config", minisite.root)
    assert config is not None, errors
    return load_campaign(minisite.root / "content", config)


def _keys(*months: Any) -> tuple[str | None, ...]:
    return tuple(month.meta.month if month is not None else None for month in months)


@pytest.mark.parametrize(("key", "expected"), [
    ("2026-02", ("2026-03", None)),  # before the campaign: its first theme, not announced twice
    ("2026-03", ("2026-03", "2026-04")),
    ("2026-04", ("2026-04", None)),  # nothing planned for May
    ("2026-05", ("2026-04", "2026-06")),  # May has no theme: the latest one, and June's ahead
    ("2026-06", ("2026-06", None)),
    ("2027-09", ("2026-06", None)),  # after the campaign: its last theme
])
def test_this_and_next_month(campaign: Any, key: str, expected: tuple[str, str | None]) -> None:
    assert _keys(*this_and_next(campaign.of("month"), key)) == expected


def test_no_themes_no_months() -> None:
    assert this_and_next([], "2026-03") == (None, None)
    assert still_ahead([], "2026-03") == []


def test_month_keys_roll_over_the_year() -> None:
    assert month_key(date(2026, 12, 31)) == "2026-12"
    assert following_key("2026-12") == "2027-01"
    assert following_key("2026-09") == "2026-10"


@pytest.mark.parametrize(("key", "carried"), [
    ("2026-02", ["2026-03", "2026-04", "2026-06"]),
    ("2026-04", ["2026-04", "2026-06"]),  # March can never be a later reader's month
    ("2026-05", ["2026-04", "2026-06"]),
    ("2027-01", ["2026-06"]),
])
def test_the_home_page_carries_every_theme_a_later_reader_may_need(campaign: Any, key: str, carried: list[str]) -> None:
    assert [month.meta.month for month in still_ahead(campaign.of("month"), key)] == carried


def test_home_and_index_data_of_a_build(campaign: Any) -> None:
    today = date(2026, 3, 20)
    pages = {page.url: page for page in build_site(campaign.published(today), today).pages}
    home = pages[""].context["view"].data
    assert _keys(home["month"], home["next_month"]) == ("2026-03", "2026-04")
    assert [month.meta.month for month in home["months"]] == ["2026-03", "2026-04", "2026-06"]
    assert pages["months/"].context["view"].data["current"].meta.month == "2026-03"
    # Month pages are a plan: they exist before their month.
    assert {"months/2026-04/", "months/2026-06/"} <= set(pages)


def test_the_site_feed_carries_a_month_from_its_first_day(campaign: Any) -> None:
    """Shown ahead on the site, a theme enters the feed on its first day (Beijing time), not before."""
    for day, fed in ((date(2026, 3, 31), {"2026-03"}), (date(2026, 4, 1), {"2026-03", "2026-04"}),
                     (date(2026, 6, 1), {"2026-03", "2026-04", "2026-06"})):
        feed = site_feed(campaign.published(day), {}).decode("utf-8")
        assert {key for key in ("2026-03", "2026-04", "2026-06") if f"/months/{key}/" in feed} == fed, day
