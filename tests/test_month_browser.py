"""pufa-month.js in Chromium: a home page built in March shows the reader's month, by Beijing time
(issue 11, item 6). The minisite is built once, on 2026-03-20, with themes for March, April and June."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MINISITE, MKDOCS_YML, made_once
from conftest_browser import DESKTOP, TIMEOUT_MS

BEIJING = timezone(timedelta(hours=8))
JUNE = "---\nmonth: 2026-06\ntitle: 禁毒宣传月\nsummary: 六月禁毒。\n---\n\n六月的主题。\n"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per test run, however many pytest-xdist workers run this module's tests."""
    return made_once(tmp_path_factory, "month-site", _build) / "minisite" / "site"


def _build(directory: Path) -> None:
    root = directory / "minisite"
    shutil.copytree(MINISITE, root)
    # A palette as the demo's and `pufa new site`'s: pufa.css sets its muted text colour for the
    # default scheme; Material without one leaves it at a 4.47:1 grey (an axe finding not about months).
    yml = MKDOCS_YML.format(today="2026-03-20").replace(
        "  font: false\n", "  font: false\n  palette:\n    scheme: default\n    primary: red\n    accent: red\n")
    (root / "mkdocs.yml").write_text(yml, encoding="utf-8")
    (root / "content/months/2026-06.md").write_text(JUNE, encoding="utf-8")
    build(load_config(str(root / "mkdocs.yml"), strict=True))


@pytest.fixture
def reader(chromium: Any, serve_site: Callable[[Path], Any], built: Path) -> Iterator[Callable[..., Any]]:
    """Open a page of the built site in a browser whose clock says ``when``."""
    server = serve_site(built)
    contexts: list[Any] = []

    def open_(path: str, when: datetime | None, *, script: bool = True) -> Any:
        context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", java_script_enabled=script)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        if when is not None:
            page.clock.set_fixed_time(when)
        page.goto(server.url + path)
        assert errors == []
        return page

    yield open_
    for context in contexts:
        context.close()


def _shown(page: Any) -> list[tuple[str, str]]:
    """(kicker, theme) of each month section a reader sees on the home page."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-pufa-months] [data-month]'))
        .filter(section => section.offsetParent !== null)
        .map(section => [section.querySelector('.pufa-kicker').innerText.trim(), section.querySelector('h2').innerText.trim()])""")


@pytest.mark.parametrize(("when", "expected"), [
    # The build's own month: what the page says without script too.
    (datetime(2026, 3, 25, 12, tzinfo=BEIJING),
     [("本月主题 · 2026年3月", "法治示例行·三月：宪法学习月"), ("下月预告 · 2026年4月", "法治示例行·四月：民法典学习月")]),
    # 23:30 on 31 March in Beijing is still March, though UTC says the same day...
    (datetime(2026, 3, 31, 23, 30, tzinfo=BEIJING),
     [("本月主题 · 2026年3月", "法治示例行·三月：宪法学习月"), ("下月预告 · 2026年4月", "法治示例行·四月：民法典学习月")]),
    # ... and 00:30 on 1 April in Beijing is April, though UTC still says 31 March.
    (datetime(2026, 3, 31, 16, 30, tzinfo=timezone.utc), [("本月主题 · 2026年4月", "法治示例行·四月：民法典学习月")]),
    # May has no theme: April's stays, June's is announced.
    (datetime(2026, 5, 10, tzinfo=BEIJING),
     [("本月主题 · 2026年4月", "法治示例行·四月：民法典学习月"), ("下月预告 · 2026年6月", "法治示例行·六月：禁毒宣传月")]),
    (datetime(2027, 2, 1, tzinfo=BEIJING), [("本月主题 · 2026年6月", "法治示例行·六月：禁毒宣传月")]),
])
def test_the_home_page_shows_the_readers_month(reader: Callable[..., Any], when: datetime,
                                               expected: list[tuple[str, str]]) -> None:
    assert [tuple(shown) for shown in _shown(reader("", when))] == expected


def test_without_script_the_build_decides(reader: Callable[..., Any]) -> None:
    page = reader("", None, script=False)
    assert [tuple(shown) for shown in _shown(page)] == [
        ("本月主题 · 2026年3月", "法治示例行·三月：宪法学习月"), ("下月预告 · 2026年4月", "法治示例行·四月：民法典学习月")]


def test_the_months_index_marks_the_readers_month(reader: Callable[..., Any]) -> None:
    page = reader("months/", datetime(2026, 4, 2, tzinfo=BEIJING))
    marked = page.evaluate("""() => Array.from(document.querySelectorAll('[data-month]'))
        .filter(card => card.querySelector('.pufa-tag').offsetParent !== null).map(card => card.dataset.month)""")
    assert marked == ["2026-04"]
    assert page.locator(".pufa-card--current").evaluate_all("cards => cards.map(card => card.dataset.month)") == ["2026-04"]


def test_the_home_page_stays_accessible_in_another_month(reader: Callable[..., Any]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = reader("", datetime(2026, 5, 10, tzinfo=BEIJING))
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    blocking = [f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert blocking == []
