"""pufa's pages as readers get them: real headless Chromium, axe-core, the Nu Html
Checker, and every internal link followed.

The browser opens a fixture site (tests/fixtures/minisite with real audio and a
citation: ``built_minisite`` in conftest_browser.py), never fixed URLs of the
demo county, whose editors may change any lesson or episode. Whole-site
invariants (valid HTML, no broken link) also run on the project's own site.
Browser fixtures (Debian's Chromium via Playwright) and the local server are in
conftest_browser.py; without Chromium or Java these tests skip on a developer's
machine and fail on CI.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import Site
from conftest_browser import Tab, axe_violations
from pufa import routes
from pufa.siteconfig import load_site_config

#: One page of every kind the site has, on built_minisite (tests/fixtures/minisite).
PAGES = {
    "home": routes.home(),
    "lessons": routes.lessons(),
    "topic": routes.topic("xianfa"),
    "lesson": routes.lesson("xianfa", "guojia-xianfa-ri"),
    "audience": routes.term("audience", "wugong"),
    "grade": routes.term("grade", "chuzhong"),
    "months": routes.months(),
    "month": routes.month("2026-03"),
    "radio": routes.radio(),
    "episode": routes.episode("ep001"),
    "event": routes.event("2026-03-10-xianfa-jinxiaoyuan"),
    "departments": routes.departments(),
    "department": routes.department("sifaju"),
    "about": "about/",
    "laws": routes.laws(),
    "law": routes.law("xianfa"),
    "report": routes.report(),
}
page_params = pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
#: The whole-site checks run on built_minisite and on the project's own site (the demo county,
#: or the county's own content that replaced it): invariants of any content, never its slugs.
SITES = pytest.mark.parametrize("site_fixture", ["built_minisite", "demo"])


def _fail_if(problems: list[str], heading: str) -> None:
    if problems:
        pytest.fail(f"{heading}:\n" + "\n".join(f"  {problem}" for problem in problems), pytrace=False)


# --------------------------------------------------------------------------
# Accessibility: axe-core (bundled by axe-playwright-python) in Chromium

#: Impacts that fail the build. axe's "moderate" and "minor" findings are advice.
BLOCKING = ("serious", "critical")
# No exclusions. What axe found in Material's own markup is fixed by overrides:
# the search dialog's name in src/pufa/theme/partials/search.html, and the contrast
# of Material's red, its tabs and its footer text in src/pufa/theme/assets/pufa.css. If a
# Material violation ever cannot be fixed that way, exclude it here by rule id
# AND element, with the reason, never a whole rule.


def _axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


@page_params
def test_every_page_kind_in_chromium(open_tab: Callable[..., Tab], path: str) -> None:
    """Each page kind, loaded once on a desktop and once on a 375 px phone: it loads cleanly from the
    local server alone (no console error, no failed request, nothing from another host), axe-core
    finds nothing serious, and nothing scrolls sideways on the phone. What a reader does on a page
    (DESKTOP_CHECKS: the episode's transcript seeks, the lesson's citation) is checked last in the
    desktop load: it plays, seeks or follows a link away."""
    tab = open_tab()
    tab.goto(path)
    tab.settle()
    problems = tab.console_errors + tab.failures
    problems += [f"request to another host: {url}" for url in tab.foreign_requests()]
    tab.page.evaluate("document.fonts.ready.then(() => true)")
    blocking = [v for v in axe_violations(tab.page) if v["impact"] in BLOCKING]
    if blocking:
        problems.append(f"axe-core:\n{_axe_report(blocking)}")
    for check in DESKTOP_CHECKS.get(path, []):
        try:
            check(tab)
        except AssertionError as error:
            problems.append(f"{check.__name__}: {error}")
    phone = open_tab(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(path)
    phone.page.evaluate("document.fonts.ready.then(() => true)")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    if width > 375:
        problems.append(f"{width}px wide on a 375px phone: it scrolls sideways")
    _fail_if(problems, f"/{path} in Chromium")


# --------------------------------------------------------------------------
# HTML validity: the Nu Html Checker (vnu.jar) on every page, and our CSS

#: Errors in markup that Material writes outside any template block, so that
#: only replacing its whole base.html could change them: (message start, text
#: in the extract) -> why it stays.
VNU_EXCLUDED = {
    ("Attribute “autocomplete” is only allowed when the input type is", 'id="__drawer"'):
        "Material's base.html sets autocomplete=off on its hidden drawer toggle so that Firefox does "
        "not restore the toggle's state on back navigation; it is not in a block pufa can override.",
    ("Attribute “autocomplete” is only allowed when the input type is", 'id="__search"'):
        "Material's base.html, as above, for its hidden search toggle.",
}


def _vnu_excluded(message: dict) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(text.startswith(start) and part in extract for start, part in VNU_EXCLUDED)


@SITES
def test_every_page_is_valid_html(site_fixture: str, request: pytest.FixtureRequest, vnu: list[str]) -> None:
    site: Site = request.getfixturevalue(site_fixture)
    pages = sorted(site.out.rglob("*.html"))
    if site_fixture == "built_minisite":
        assert {site.out / routes.output_path(url) for url in PAGES.values()} <= set(pages)
    stylesheet = site.out / "assets" / "pufa.css"
    done = subprocess.run(
        [*vnu, "--format", "json", "--stdout", "--exit-zero-always", "--no-langdetect", "--also-check-css",
         *map(str, pages), str(stylesheet)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    messages = json.loads(done.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error") and not _vnu_excluded(m)]
    report = [
        f"{urlsplit(m.get('url', '')).path.removeprefix(str(site.out))}:{m.get('lastLine', '?')}: {m['message']}"
        f"\n    {' '.join(m.get('extract', '').split())}"
        for m in errors
    ]
    _fail_if(report[:40], f"the Nu Html Checker found {len(errors)} errors")


# --------------------------------------------------------------------------
# Internal links: every href and src in every page resolves, #fragments too

LINK_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset"),
    "audio": ("src",), "video": ("src", "poster"), "source": ("src", "srcset"), "track": ("src",),
    "iframe": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
}


def _urls(tag: Tag, attribute: str) -> list[str]:
    value = (tag.get(attribute) or "").strip()
    if attribute == "srcset":
        return [part.split()[0] for part in value.split(",") if part.strip()]
    return [value] if value else []


@SITES
def test_no_internal_link_is_broken(site_fixture: str, request: pytest.FixtureRequest) -> None:
    built: Site = request.getfixturevalue(site_fixture)
    config, errors = load_site_config(built.root / "site_config", built.root)
    assert config is not None, errors
    site = urlsplit(config.site.site_url)

    @cache
    def ids(target: Path) -> frozenset[str]:
        soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        return frozenset(tag["id"] for tag in soup.find_all(id=True))

    def resolve(url: str) -> Path | None:
        path = unquote(url)[len(site.path):]
        target = built.out / path
        if path == "" or path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    problems: list[str] = []
    checked = 0
    for page in sorted(built.out.rglob("*.html")):
        relative = page.relative_to(built.out).as_posix()
        directory = relative == "index.html" or relative.endswith("/index.html")
        base = config.site.site_url + (relative.removesuffix("index.html") if directory else relative)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for name, attributes in LINK_ATTRIBUTES.items():
            for tag in soup.find_all(name):
                for attribute in attributes:
                    for raw in _urls(tag, attribute):
                        url = urlsplit(urljoin(base, raw))
                        if url.scheme not in ("http", "https") or url.netloc != site.netloc:
                            continue  # mailto:, tel:, data:, javascript: and other hosts
                        checked += 1
                        where = f"{relative}: <{name} {attribute}={raw!r}>"
                        if not url.path.startswith(site.path):
                            problems.append(f"{where} leaves the site ({site.path})")
                            continue
                        target = resolve(url.path)
                        if target is None:
                            problems.append(f"{where}: no such file")
                        elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in ids(target):
                            problems.append(f"{where}: no id {unquote(url.fragment)!r} in "
                                            f"{target.relative_to(built.out).as_posix()}")
    assert checked > 10 * len(list(built.out.rglob("*.html")))  # each page links its navigation, at least
    _fail_if(problems[:50], f"{len(problems)} broken internal links")


# --------------------------------------------------------------------------
# Behaviour in the browser


def _wait_for_audio_metadata(tab: Tab) -> float:
    tab.page.wait_for_function("() => document.getElementById('pufa-audio').readyState >= 1")
    return tab.page.evaluate("document.getElementById('pufa-audio').duration")


def _current_time(tab: Tab) -> float:
    return tab.page.evaluate("document.getElementById('pufa-audio').currentTime")


def _transcript_time_seeks_the_episode_audio(tab: Tab) -> None:
    """The episode page on a desktop, as loaded."""
    from playwright.sync_api import expect

    duration = _wait_for_audio_metadata(tab)
    assert tab.page.evaluate("document.getElementById('pufa-audio').currentSrc").startswith(tab.base_url)
    starts = [float(s) for s in tab.page.locator("p.pufa-cue[data-start]").evaluate_all(
        "cues => cues.map(cue => cue.dataset.start)")]
    assert len(starts) > 3 and starts[-1] < duration
    index = len(starts) // 2  # a cue well inside the episode
    start = starts[index]
    assert start > 0

    cue = tab.page.locator("p.pufa-cue[data-start]").nth(index)
    cue.locator("a.pufa-cue__time").click()
    now = _current_time(tab)
    assert start <= now < start + 2, f"clicked the cue at {start}s, audio is at {now}s"
    expect(cue).to_have_class(re.compile(r"\bpufa-cue--active\b"))

    chapter = tab.page.locator(".pufa-chapters a.pufa-cue__time[data-start]").last
    chapter_start = float(chapter.get_attribute("data-start"))
    chapter.click()
    now = _current_time(tab)
    assert chapter_start <= now < chapter_start + 2, f"clicked the chapter at {chapter_start}s, audio is at {now}s"

    problems = list(tab.console_errors)
    problems += [f"request to another host: {url}" for url in tab.foreign_requests()]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# Lessons for schools (issue 4)

PERMALINK = "https://test.example.gov.cn/" + PAGES["lesson"]


def test_printed_lesson_is_a_clean_handout_with_a_working_qr_code(open_tab: Callable[..., Tab]) -> None:
    import io

    import zxingcpp
    from PIL import Image

    # A printer's resolution, not a screen's: 3 cm of QR code at 96 dpi is too
    # few pixels per module for any reader, on paper it is plenty.
    tab = open_tab(device_scale_factor=4)
    tab.goto(PAGES["lesson"])
    page = tab.page
    footer = page.locator(".pufa-print-footer")
    assert footer.is_hidden(), "the QR block is for paper, not the screen"
    page.emulate_media(media="print")
    # The header and footer print only the site's name and organiser (tests/test_media_browser.py).
    for selector in (".md-header__button", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer__inner",
                     ".md-search", ".pufa-permalink", ".pufa-teacher"):
        locator = page.locator(selector)
        assert locator.count() == 0 or all(locator.nth(i).is_hidden() for i in range(locator.count())), selector
    assert page.locator("h1").first.is_visible() and page.locator(".pufa-body").is_visible()
    qr = footer.locator("svg.pufa-qr")
    assert footer.is_visible() and qr.is_visible()
    assert PERMALINK in footer.inner_text()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot(scale="device"))))
    assert [result.text for result in decoded] == [PERMALINK]
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_copy_control_copies_the_permalink(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(permissions=["clipboard-read", "clipboard-write"])
    tab.goto(PAGES["lesson"])
    tab.page.locator("button.pufa-copy").click()
    tab.page.wait_for_function("() => document.querySelector('.pufa-copy__status').textContent === '已复制'")
    assert tab.page.evaluate("navigator.clipboard.readText()") == PERMALINK


def _citation_shows_the_article_on_hover_and_links_to_it(tab: Tab) -> None:
    """The lesson page on a desktop, as loaded (it follows the citation's link away)."""
    cite = tab.page.locator(".pufa-body .pufa-cite").first
    text = cite.locator(".pufa-cite__text")
    assert text.is_hidden()
    cite.locator("a").hover()
    assert text.is_visible() and "公民" in text.inner_text()
    cite.locator("a").click()
    tab.page.wait_for_url("**/laws/xianfa/#article-33")
    assert tab.page.locator("#article-33").is_visible()


#: What test_every_page_kind_in_chromium checks last in its desktop load of a page, by path.
DESKTOP_CHECKS: dict[str, list[Callable[[Tab], None]]] = {
    PAGES["episode"]: [_transcript_time_seeks_the_episode_audio],
    PAGES["lesson"]: [_citation_shows_the_article_on_hover_and_links_to_it],
}


# --------------------------------------------------------------------------
# Reading aids (适老化)


def test_reading_aids_enlarge_text_and_raise_contrast_and_are_remembered(tab: Tab) -> None:
    tab.goto(PAGES["lesson"])
    page = tab.page
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")  # noqa: E731
    before = size()
    large = page.locator('[data-pufa-aid="large"]')
    large.click()
    assert large.get_attribute("aria-pressed") == "true"
    assert size() >= before * 1.25
    contrast = page.locator('[data-pufa-aid="contrast"]')
    contrast.click()
    color = page.evaluate("getComputedStyle(document.querySelector('.pufa-body p')).color")
    assert color == "rgb(0, 0, 0)"
    page.reload()
    assert page.locator('[data-pufa-aid="large"]').get_attribute("aria-pressed") == "true"
    assert "pufa-large" in page.evaluate("document.documentElement.className")
    assert "pufa-contrast" in page.evaluate("document.documentElement.className")
    assert size() >= before * 1.25
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, _axe_report(blocking)
    large = page.locator('[data-pufa-aid="large"]')
    large.click()
    assert size() == pytest.approx(before)


def test_citation_on_a_touch_screen_shows_the_article_first(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(viewport={"width": 375, "height": 667}, has_touch=True, is_mobile=True)
    tab.goto(PAGES["lesson"])
    page = tab.page
    assert page.evaluate("matchMedia('(hover: none)').matches")
    cite = page.locator(".pufa-body .pufa-cite").first
    cite.scroll_into_view_if_needed()
    cite.locator("a").tap()
    assert page.url.endswith(PAGES["lesson"])  # the first tap shows the text, it does not leave the page
    assert cite.locator(".pufa-cite__text").is_visible()
    cite.locator("a").tap()
    page.wait_for_url("**/laws/xianfa/#article-33")
