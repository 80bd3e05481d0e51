"""The site search in Chromium, on the search fixture site (tests/search_site.py).

Nothing is fetched for search before the box is used; Chinese queries find compounds by
their parts with the page meant first; filters, pasting, input-method entry, the keyboard
shortcut and a sub-path all work, with no request to another host.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Site, made_once
from conftest_browser import DESKTOP, TIMEOUT_MS, SiteServer, Tab
from search_site import CHILD, EPISODE, LAW, WAGE, write_search_site

RESULTS = ".pufa-search__list .md-search-result__item"


def _build_search_site(directory: Path) -> None:
    result = write_search_site(directory / "site").build()
    assert result.returncode == 0, result.output


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Built once per run, however many workers search it (tests only read it)."""
    return Site(made_once(tmp_path_factory, "search-browser-site", _build_search_site) / "site")


@pytest.fixture
def open_search(chromium: Any, serve_site: Callable[[Path], SiteServer], search_site: Site,
                tmp_path: Path) -> Iterator[Callable[..., Tab]]:
    """Tabs on the search site, served at the root or (``sub_path="pufa/"``) below a path."""
    contexts: list[Any] = []

    def open_(sub_path: str = "", **options: Any) -> Tab:
        root = search_site.out
        if sub_path:
            root = tmp_path / "www"
            shutil.copytree(search_site.out, root / sub_path)
        server = serve_site(root)
        context = chromium.new_context(**{"viewport": DESKTOP, "locale": "zh-CN", **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        tab = Tab(context.new_page(), server.url + sub_path)
        context.on("request", lambda request: tab.requests.append(request.url))
        context.on("requestfailed", lambda request: tab.failures.append(f"{request.url}: {request.failure}"))
        context.on("response", lambda response: response.status >= 400
                   and tab.failures.append(f"{response.url}: HTTP {response.status}"))
        tab.page.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
        tab.page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught: {error}"))
        return tab

    yield open_
    for context in contexts:
        context.close()


def search_requests(tab: Tab) -> list[str]:
    return [url for url in tab.requests if "/pagefind/" in url]


def results(tab: Tab) -> list[str]:
    """Result links, site-relative, once the results for the current query are shown."""
    tab.page.locator(RESULTS).first.wait_for()
    tab.page.wait_for_function("!document.querySelector('.md-search-result__meta').textContent.includes('正在搜索')")
    base = tab.base_url.split("://", 1)[1].split("/", 1)[1]
    hrefs = tab.page.locator(f"{RESULTS} > .md-search-result__link").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    return [href.removeprefix("/" + base) for href in hrefs]


def clean(tab: Tab) -> None:
    assert tab.console_errors == [] and tab.failures == [] and tab.foreign_requests() == []


def test_nothing_is_fetched_for_search_until_the_box_is_used(open_search: Callable[..., Tab]) -> None:
    tab = open_search()
    tab.goto(WAGE, wait_until="networkidle")
    tab.page.mouse.wheel(0, 400)
    tab.page.wait_for_timeout(300)
    assert search_requests(tab) == []
    tab.page.keyboard.press("/")  # the shortcut opens the box and puts the cursor in it
    assert tab.page.evaluate("document.activeElement.classList.contains('md-search__input')")
    tab.page.wait_for_function("document.querySelector('.pufa-search__filters').hidden === false")
    fetched = search_requests(tab)
    assert any(url.endswith("/pagefind/pagefind.js") for url in fetched)
    assert not any("/fragment/" in url for url in fetched)  # no page's text before a query
    clean(tab)


def test_chinese_query_finds_the_compound_by_its_part_with_the_page_meant_first(open_search: Callable[..., Tab]) -> None:
    tab = open_search()
    tab.goto("")
    tab.page.locator(".md-search__input").focus()
    tab.page.keyboard.type("未成年人")
    found = results(tab)
    assert found[0] == CHILD
    assert WAGE in found  # only 未成年人保护法 there
    excerpts = tab.page.locator(f"{RESULTS} p").all_inner_texts()
    assert "家长学习未成年人保护法" in "".join(excerpts)
    assert not any(mark in "".join(excerpts) for mark in ("\u2060", "\u2063", "\u2064"))
    assert "未成年人" in tab.page.locator(f"{RESULTS} mark").all_inner_texts()
    fetched = [url for url in search_requests(tab) if "/fragment/" in url]
    assert 0 < len(fetched) <= len(found)  # only the fragments of the results shown
    tab.page.locator(".md-search__input").fill("12348")  # the original's own spaces are shown
    tab.page.wait_for_function("[...document.querySelectorAll('.pufa-search__list p')].some(p => p.innerText.includes('12348'))")
    assert "拨打 12348 法律援助热线" in "".join(tab.page.locator(f"{RESULTS} p").all_inner_texts())
    clean(tab)


def test_words_apart_in_the_text_are_found_together(open_search: Callable[..., Tab]) -> None:
    tab = open_search()
    tab.goto("")
    tab.page.locator(".md-search__input").fill("拖欠工资")
    assert results(tab)[0] == WAGE
    clean(tab)


def test_article_text_leads_to_the_article_on_its_law_page(open_search: Callable[..., Tab]) -> None:
    """The article is on the law page (not in the lesson's citation pop-up) and linked to directly."""
    tab = open_search()
    tab.goto("")
    tab.page.locator(".md-search__input").fill("尊重和保障人权")
    assert results(tab)[0] == LAW
    section = tab.page.locator(f"{RESULTS} .pufa-search__section").first
    assert section.get_attribute("href").endswith(f"{LAW}#article-33") and "第三十三条" in section.inner_text()
    clean(tab)


def test_filter_by_kind_keeps_only_that_kind(open_search: Callable[..., Tab]) -> None:
    tab = open_search()
    tab.goto("")
    tab.page.locator(".md-search__input").fill("宪法")
    everything = results(tab)
    assert EPISODE in everything and len(everything) > 1
    tab.page.locator(".pufa-search__filters select[name=kind]").select_option("节目")
    tab.page.wait_for_function("document.querySelectorAll('.pufa-search__list .md-search-result__item').length === 1")
    assert results(tab) == [EPISODE]
    clean(tab)


def test_pasted_text_searches(open_search: Callable[..., Tab]) -> None:
    tab = open_search(permissions=["clipboard-read", "clipboard-write"])
    tab.goto("")
    tab.page.evaluate("navigator.clipboard.writeText('12348')")
    tab.page.locator(".md-search__input").focus()
    tab.page.keyboard.press("Control+V")
    assert results(tab)[0] == WAGE
    clean(tab)


def test_input_method_entry_searches_when_composition_ends(open_search: Callable[..., Tab]) -> None:
    tab = open_search()
    tab.goto("")
    box = tab.page.locator(".md-search__input")
    box.focus()
    tab.page.wait_for_function("document.querySelector('.pufa-search__filters').hidden === false")
    box.dispatch_event("compositionstart")
    box.evaluate("input => { input.value = 'gongzi'; input.dispatchEvent(new InputEvent('input', {isComposing: true})); }")
    tab.page.wait_for_timeout(400)
    assert tab.page.locator(RESULTS).count() == 0  # pinyin being composed is no query
    box.evaluate("input => { input.value = '工资'; input.dispatchEvent(new CompositionEvent('compositionend', {data: '工资'})); }")
    assert results(tab)[0] == WAGE
    clean(tab)


def test_search_under_a_sub_path_links_to_the_pages_there(open_search: Callable[..., Tab]) -> None:
    tab = open_search(sub_path="pufa/")
    tab.goto(CHILD)
    tab.page.locator(".md-search__input").fill("拖欠工资")
    assert results(tab)[0] == WAGE
    assert all("/pufa/pagefind/" in url for url in search_requests(tab))
    tab.page.locator(f"{RESULTS} > .md-search-result__link").first.click()
    tab.page.wait_for_url(tab.base_url + WAGE)
    assert tab.page.locator("h1").first.inner_text() == "工资被拖欠了怎么办"
    clean(tab)


def test_open_search_with_results_has_no_serious_accessibility_violations(open_search: Callable[..., Tab]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    tab = open_search()
    tab.goto(WAGE)
    tab.page.keyboard.press("/")
    tab.page.keyboard.type("宪法")
    results(tab)
    report = Axe().run(tab.page, options={"resultTypes": ["violations"]})
    blocking = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in report.response["violations"]
                if v["impact"] in ("serious", "critical")]
    assert blocking == []
