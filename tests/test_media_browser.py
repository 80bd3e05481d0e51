"""The report, the episode page, the radio page, the styled feed and the printed handout in Chromium,
on a phone (390×844, touch) and on a desktop (1280×800), from a fixture site (issue 10, points 2, 3, 4, 9).

The run also writes screenshots of every page kind, phone and desktop, into build/screenshots/
(named in the README) for a reviewer to look at.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURE_MP3, MINISITE, MKDOCS_YML, REPO, build_in_process, made_once
from conftest_browser import TRANSITIONS_ENDED_JS, SiteServer, Tab, apply_minisite_edits, axe_violations

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SCREENSHOTS = REPO / "build" / "screenshots"
#: One page of every kind the fixture site has.
PAGES = {
    "home": "",
    "lessons": "lessons/",
    "topic": "lessons/xianfa/",
    "lesson": "lessons/xianfa/guojia-xianfa-ri/",
    "months": "months/",
    "month": "months/2026-03/",
    "radio": "radio/",
    "episode": "radio/ep001/",
    "event": "events/2026-03-10-xianfa-jinxiaoyuan/",
    "laws": "laws/",
    "law": "laws/xianfa/",
    "department": "departments/sifaju/",
    "report": "departments/report/",
    "404": "404.html",
}
PERMALINK = "https://test.example.gov.cn/lessons/xianfa/guojia-xianfa-ri/"
CM = 96 / 2.54  # CSS pixels per centimetre

LESSON = """---
title: 第{n}课
topic: xianfa
audiences: [wugong]
department: {department}
date: 2026-{n:02d}-20
summary: 每月一课。
---

正文。
"""


@pytest.fixture(scope="session")
def media_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minisite with its episode's audio, a cited article and a lesson in every month of 2026, built on 31 December,
    once per test run however many pytest-xdist workers run this module's tests."""
    return made_once(tmp_path_factory, "media-site", _build_media_site) / "site" / "site"


def _build_media_site(directory: Path) -> None:
    root = directory / "site"
    shutil.copytree(MINISITE, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today="2026-12-31"), encoding="utf-8")
    shutil.copy(FIXTURE_MP3, root / "content" / "radio" / "ep001.mp3")
    apply_minisite_edits(root)  # real audio, and a citation: the law page exists
    for n in range(1, 13):
        department = "sifaju" if n % 3 else "fayuan"
        (root / "content" / "lessons" / "xianfa" / f"monthly-{n:02d}.md").write_text(
            LESSON.format(n=n, department=department), encoding="utf-8")
    result = build_in_process(root / "mkdocs.yml")
    assert result.returncode == 0, result.output


@pytest.fixture(scope="module")
def site_server(media_site: Path, serve_site: Callable[[Path], SiteServer]) -> SiteServer:
    """Replaces conftest_browser's site server in this module: `open_tab` opens tabs on the fixture site."""
    return serve_site(media_site)


@pytest.fixture
def media_tab(open_tab: Callable[..., Tab]) -> Callable[..., Tab]:
    """Tabs on the fixture site: `media_tab()` (desktop) or `media_tab(**PHONE)`."""
    return open_tab


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    return box


def _qr_text(svg: Any) -> list[str]:
    """What zxing-cpp reads in the QR code drawn by ``svg`` (a locator), as a phone camera would."""
    import zxingcpp
    from PIL import Image

    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(svg.screenshot(scale="device"))))]


def _printed(media_tab: Callable[..., Tab], path: str) -> Any:
    """The page at ``path`` as it prints, at a printer's resolution (3 cm of QR code is too few screen pixels)."""
    tab = media_tab(device_scale_factor=4)
    tab.goto(path)
    tab.page.emulate_media(media="print")
    return tab.page


def _axe_clean(tab: Tab, where: str, aids: bool = False) -> None:
    """No serious axe finding; with ``aids``, also in large-text and high-contrast mode (适老化), once the
    colours and sizes the modes change have settled (axe is injected once for both runs)."""
    if aids:
        _axe_clean(tab, where)
        tab.page.evaluate("document.documentElement.classList.add('pufa-large', 'pufa-contrast')")
        tab.page.evaluate(TRANSITIONS_ENDED_JS)
        where += " with large text and high contrast"
    blocking = [f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
                for v in axe_violations(tab.page) if v["impact"] in ("serious", "critical")]
    assert not blocking, f"axe on {where}:\n" + "\n".join(blocking)


# --------------------------------------------------------------------------
# The report


def test_report_shows_all_twelve_months_and_totals_on_a_desktop(media_tab: Callable[..., Tab]) -> None:
    tab = media_tab()
    tab.goto(PAGES["report"])
    table = tab.page.locator("table.pufa-report__table").first
    headers = table.locator("thead th").all_inner_texts()
    assert len(headers) == 14 and headers[-1] == "合计", headers
    assert [text.split("年")[-1].strip() for text in headers[1:13]] == [f"{n}月" for n in range(1, 13)]
    scroller = tab.page.locator(".pufa-report__scroll").first
    assert scroller.evaluate("box => box.scrollWidth <= box.clientWidth"), "the table scrolls sideways at 1280 px"
    frame = _box(scroller)
    for cell in table.locator("thead th").all():
        box = _box(cell)
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    assert tab.page.locator(".pufa-scroll-hint").first.is_hidden(), "no hint when nothing is off-screen"
    chart = tab.page.locator(".pufa-report-chart svg.pufa-chart")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    cells = table.locator("tbody tr").evaluate_all(
        "rows => rows.flatMap(row => [...row.querySelectorAll('td:not(.pufa-report__total)')].map(td => td.textContent))")
    assert chart.locator("rect.pufa-chart__bar").count() == sum(cell != "0" for cell in cells) > 12, "a bar per cell"
    assert "县司法局：" in chart.locator("desc").text_content()
    _axe_clean(tab, "the report on a desktop")


def test_report_keeps_department_and_totals_in_view_on_a_phone(media_tab: Callable[..., Tab]) -> None:
    tab = media_tab(**PHONE)
    tab.goto(PAGES["report"])
    scroller = tab.page.locator(".pufa-report__scroll").first
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    assert tab.page.locator(".pufa-scroll-hint").first.is_visible(), "a sideways scroll is announced"
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390, "only the table scrolls, not the page"
    scroller.evaluate("box => { box.scrollLeft = box.scrollWidth / 2; }")
    frame = _box(scroller)
    row = tab.page.locator("table.pufa-report__table tbody tr").first
    department, total = _box(row.locator("th")), _box(row.locator("td.pufa-report__total"))
    assert abs(department["x"] - frame["x"]) <= 2, "the department column scrolled away"
    assert total["x"] + total["width"] <= frame["x"] + frame["width"] + 1 and total["x"] >= frame["x"]
    assert row.locator("th").inner_text() in ("县司法局", "县人民法院")
    _axe_clean(tab, "the report on a phone", aids=True)


# --------------------------------------------------------------------------
# Listening


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_player_stays_in_view_while_reading_the_transcript(media_tab: Callable[..., Tab], device: str) -> None:
    tab = media_tab(**(PHONE if device == "phone" else {}))
    tab.goto(PAGES["episode"])
    height = tab.page.viewport_size["height"]
    tab.page.locator("p.pufa-cue").last.scroll_into_view_if_needed()
    tab.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert tab.page.evaluate("window.scrollY") > 0, "the page is too short to test scrolling"
    player = tab.page.locator(".pufa-player")
    box = _box(player)
    assert 0 <= box["y"] and box["y"] + box["height"] <= height, f"player at {box} in a {height}px window"
    on_top = tab.page.evaluate("""() => {
        const box = document.getElementById('pufa-audio').getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return hit !== null && hit.closest('.pufa-player') !== null;
    }""")
    assert on_top, "the player is covered"


def test_transcript_and_chapter_times_are_large_enough_to_tap(media_tab: Callable[..., Tab]) -> None:
    tab = media_tab(**PHONE)
    tab.goto(PAGES["episode"])
    targets = tab.page.locator(".pufa-episode a.pufa-cue__time, .pufa-downloads a, .pufa-subscribe a")
    assert targets.count() > 3
    small = [f"{t.inner_text()}: {b['width']:.0f}×{b['height']:.0f}" for t in targets.all()
             if (b := _box(t))["width"] < 44 or b["height"] < 44]
    assert not small, f"tap targets under 44×44 px: {small}"
    assert "WebVTT" not in tab.page.locator(".pufa-downloads").inner_text()
    _axe_clean(tab, "the episode on a phone", aids=True)


def test_transcript_time_seeks_with_byte_ranges(media_tab: Callable[..., Tab]) -> None:
    tab = media_tab()
    tab.goto(PAGES["episode"])
    tab.page.wait_for_function("() => document.getElementById('pufa-audio').readyState >= 1")
    cue = tab.page.locator("p.pufa-cue[data-start]").last
    start = float(cue.get_attribute("data-start"))
    assert start > 10
    cue.locator("a.pufa-cue__time").click()
    tab.page.wait_for_function(f"() => document.getElementById('pufa-audio').currentTime >= {start}")
    assert start <= tab.page.evaluate("document.getElementById('pufa-audio').currentTime") < start + 2


# --------------------------------------------------------------------------
# Subscribing


def test_radio_page_offers_apple_link_qr_code_and_steps_per_app(media_tab: Callable[..., Tab]) -> None:
    tab = media_tab(**PHONE)
    tab.goto(PAGES["radio"])
    apple = tab.page.locator("a.pufa-subscribe-apple")
    assert apple.get_attribute("href") == "pcast://test.example.gov.cn/radio/feed.xml"
    assert _box(apple)["height"] >= 44
    assert _qr_text(tab.page.locator(".pufa-subscribe-qr svg.pufa-qr")) == ["https://test.example.gov.cn/radio/feed.xml"]
    assert tab.page.locator(".pufa-subscribe-qr .pufa-print-url").is_hidden(), "on screen the address is in the input"
    apps = tab.page.locator(".pufa-subscribe-apps dt").all_inner_texts()
    assert any("Apple" in a for a in apps) and any("小宇宙" in a for a in apps) and any("AntennaPod" in a for a in apps)
    assert "提交" in tab.page.locator(".pufa-subscribe-apps").inner_text(), "search-only apps need the feed submitted"
    _axe_clean(tab, "the radio page on a phone", aids=True)


@pytest.mark.parametrize("content_type", ["text/xml", "application/rss+xml"])
def test_feed_opened_in_the_browser_is_a_chinese_subscription_page(media_tab: Callable[..., Tab], content_type: str) -> None:
    """As the test server sends it (text/xml) and as nginx does (application/rss+xml, docs/deploy.md)."""
    tab = media_tab(**PHONE)

    def retype(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-type": content_type})

    tab.page.route("**/radio/feed.xml", retype)
    tab.goto("radio/feed.xml")
    page = tab.page
    assert page.evaluate("document.documentElement.localName") == "rss", "shown as a document, not downloaded"
    assert page.evaluate("document.getElementById('webkit-xml-viewer-source-xml')") is None, "the raw XML tree viewer"
    shown = page.evaluate("""() => {
        const style = (selector, pseudo) => {
            const node = [...document.getElementsByTagName(selector.split(' ')[0])][0];
            return node ? getComputedStyle(node, pseudo || null) : null;
        };
        const rss = document.documentElement, channel = rss.firstElementChild;
        const title = channel.getElementsByTagName('title')[0], link = channel.getElementsByTagName('link')[0];
        const self = document.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'link')[0];
        const items = [...document.getElementsByTagName('item')];
        return {
            banner: getComputedStyle(rss, '::before').content,
            steps: getComputedStyle(link, '::before').content,
            address: getComputedStyle(self, '::after').content,
            title: title.getBoundingClientRect().height > 0 ? title.textContent : '',
            items: items.filter(i => i.getElementsByTagName('title')[0].getBoundingClientRect().height > 0).length,
            hiddenDescription: items.every(i => getComputedStyle(i.getElementsByTagName('description')[0]).display === 'none'),
        };
    }""")
    assert "播客订阅地址" in shown["banner"]
    assert "怎样订阅" in shown["steps"] and "小宇宙" in shown["steps"]
    assert shown["address"] == '"https://test.example.gov.cn/radio/feed.xml"'
    assert shown["title"] == "示例电台" and shown["items"] == 1 and shown["hiddenDescription"]
    # No viewport meta in XML: the phone lays the page out 980 px wide and shrinks it; the
    # stylesheet zooms back, so text reads at ≥ 16 px on the screen and nothing scrolls sideways.
    on_screen = page.evaluate("""() => {
        const title = document.getElementsByTagName('title')[0];
        const zoom = parseFloat(getComputedStyle(document.documentElement).zoom) || 1;
        return parseFloat(getComputedStyle(title.parentNode.parentNode).fontSize) * zoom * visualViewport.scale;
    }""")
    assert on_screen >= 16, f"feed text is {on_screen:.1f} px on the phone's screen"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"feed-phone-{content_type.replace('/', '_')}.png"))


# --------------------------------------------------------------------------
# Print


def test_printed_lesson_has_a_header_a_3cm_qr_code_and_an_unbroken_address(media_tab: Callable[..., Tab]) -> None:
    page = _printed(media_tab, PAGES["lesson"])
    header = page.locator(".md-header")
    assert header.is_visible() and "法治示例" in header.inner_text()
    assert "主办单位：示例县依法治县办" in page.locator(".md-footer").inner_text()
    assert _box(page.locator(".md-footer"))["y"] < _box(page.locator("h1").first)["y"], "the organiser is on top"
    for hidden in (".md-header__button", ".md-search", ".md-footer__inner", ".pufa-footer__beian", ".pufa-permalink"):
        locator = page.locator(hidden)
        assert all(locator.nth(i).is_hidden() for i in range(locator.count())), hidden
    qr = page.locator(".pufa-print-footer svg.pufa-qr")
    box = _box(qr)
    assert box["width"] >= 3 * CM and box["height"] >= 3 * CM, f"QR code {box['width'] / CM:.1f} cm"
    assert _qr_text(qr) == [PERMALINK]
    url = page.locator(".pufa-print-url")
    assert url.inner_text() == PERMALINK
    assert url.evaluate("e => e.getClientRects().length") == 1 and _box(url)["height"] < 30, "the address breaks"
    assert url.evaluate("e => getComputedStyle(e).fontStyle") == "normal"
    assert url.evaluate("e => getComputedStyle(e.closest('figcaption')).fontStyle") == "normal"
    quiz = page.locator(".pufa-quiz > h2")
    assert quiz.evaluate("e => getComputedStyle(e).breakAfter") == "avoid"
    assert page.locator(".pufa-quiz > ol > li").first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_printed_episode_is_its_transcript(media_tab: Callable[..., Tab]) -> None:
    page = _printed(media_tab, PAGES["episode"])
    assert page.locator("#pufa-audio").is_hidden() and page.locator(".pufa-player").is_hidden()
    assert page.locator(".pufa-downloads").is_hidden()
    assert page.locator("p.pufa-cue").first.is_visible()
    assert page.locator(".pufa-transcript h2").first.evaluate("e => getComputedStyle(e).breakAfter") == "avoid"
    assert page.locator("p.pufa-cue").first.evaluate("e => getComputedStyle(e).position") == "static"


def test_printed_radio_page_is_a_poster_with_the_feed_qr_code(media_tab: Callable[..., Tab]) -> None:
    page = _printed(media_tab, PAGES["radio"])
    address = page.locator(".pufa-subscribe-qr .pufa-print-url")
    assert address.is_visible() and address.inner_text() == "https://test.example.gov.cn/radio/feed.xml"
    assert page.locator(".pufa-subscribe-way").is_hidden() and page.locator(".pufa-subscribe-box .pufa-copy").is_hidden()
    qr = page.locator(".pufa-subscribe-qr svg.pufa-qr")
    assert _box(qr)["width"] >= 3.9 * CM
    assert _qr_text(qr) == ["https://test.example.gov.cn/radio/feed.xml"]


# --------------------------------------------------------------------------
# Screenshots for review


def _full_page_screenshot(page: Any, target: Path) -> None:
    """What ``page.screenshot(path=target, full_page=True)`` writes, in half the time: Chromium's own
    capture of the whole page at the device's pixel ratio, with its faster PNG encoder (optimizeForSpeed:
    the same pixels, in a file about a quarter larger)."""
    import base64

    session = page.context.new_cdp_session(page)
    try:
        size = session.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": page.evaluate("devicePixelRatio")}
        shot = session.send("Page.captureScreenshot",
                            {"format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True, "clip": clip})
    finally:
        session.detach()
    target.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_screenshots_of_every_page_kind(media_tab: Callable[..., Tab], device: str) -> None:
    tab = media_tab(**(PHONE if device == "phone" else {}))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, path in PAGES.items():
        response = tab.page.goto(tab.base_url + path)
        assert response is not None and response.ok, f"/{path}: HTTP {response and response.status}"
        tab.page.evaluate("document.fonts.ready.then(() => true)")
        target = SCREENSHOTS / f"{kind}-{device}.png"
        _full_page_screenshot(tab.page, target)
        assert target.stat().st_size > 5_000, target
    # Moving on to the next page aborts what the last one still loaded (the search index): not a failure.
    problems = tab.console_errors + [failure for failure in tab.failures if not failure.endswith("net::ERR_ABORTED")]
    assert not problems, problems
    assert not tab.foreign_requests(), tab.foreign_requests()
