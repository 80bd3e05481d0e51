"""No page grows with the site: indexes come a page at a time, at stable URLs, and nothing is lost."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

import plain_renderer
from conftest import Site, copy_minisite
from corpus import Case, check_case, lesson
from pufa import pagination, routes
from pufa.kinds.base import View
from pufa.pagination import Pager, paginate
from pufa.pipeline import load_campaign
from pufa.site import build_site
from pufa.siteconfig import load_site_config

TODAY = date(2026, 3, 20)

#: Bad input this task adds: keys that would take the later pages' URL segment.
CASES = [
    Case("scale-topic-key-page", {}, "site_config/taxonomy.yml", 5, "topics.page", "键 page 已被网站目录占用",
         replace={"site_config/taxonomy.yml": ("  minfadian:", "  page:")}),
    Case("scale-department-key-page", {}, "site_config/taxonomy.yml", 20, "departments.page",
         "键 page 已被网站目录占用（/departments/ 下的页面）",
         replace={"site_config/taxonomy.yml": ("  fayuan: 县人民法院", "  page: 县人民法院")}),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_reported(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def _view(entries: list[Any]) -> View:
    return View("lessons/", "普法课程", "pufa/lessons.html", lambda campaign, today: {}, paginate="lessons",
                data={"lessons": entries, "topics": ["kept on every page"]})


@pytest.mark.parametrize("total,size,count", [(0, 3, 1), (1, 3, 1), (3, 3, 1), (4, 3, 2), (10, 3, 4), (10, 1, 10)])
def test_pages_hold_every_entry_once_in_order(total: int, size: int, count: int) -> None:
    entries = [f"item{i}" for i in range(total)]
    pages = paginate(_view(entries), size)
    assert len(pages) == count
    assert [entry for page in pages for entry in page.data["lessons"]] == entries
    assert all(len(page.data["lessons"]) <= size for page in pages)
    assert all(page.data["topics"] == ["kept on every page"] for page in pages)
    assert [page.url for page in pages] == ["lessons/"] + [f"lessons/page/{n}/" for n in range(2, count + 1)]
    assert pages[0].title == "普法课程" and all(page.title == f"普法课程（第 {n} 页）" for n, page in enumerate(pages[1:], 2))


def test_prev_and_next_chain_the_pages() -> None:
    pages = [page.data["pager"] for page in paginate(_view(list(range(7))), 2)]
    assert [p.previous for p in pages] == [None, "lessons/", "lessons/page/2/", "lessons/page/3/"]
    assert [p.next for p in pages] == ["lessons/page/2/", "lessons/page/3/", "lessons/page/4/", None]
    assert [(p.start, p.end, p.total) for p in pages] == [(0, 2, 7), (2, 4, 7), (4, 6, 7), (6, 7, 7)]


def test_page_links_are_bounded_however_many_pages() -> None:
    assert Pager("radio/", 1, 1, 5, 0, 5).numbers == [1]
    assert Pager("radio/", 1, 3, 9, 0, 3).numbers == [1, 2, 3]
    assert Pager("radio/", 500, 1000, 20000, 0, 20).numbers == [1, None, 498, 499, 500, 501, 502, None, 1000]
    assert Pager("radio/", 1000, 1000, 20000, 0, 20).numbers == [1, None, 998, 999, 1000]


def test_page_one_keeps_the_index_url_and_others_are_reserved() -> None:
    assert routes.paged(routes.lessons(), 1) == routes.lessons()
    assert routes.paged(routes.topic("xianfa"), 3) == "lessons/xianfa/page/3/"
    assert "page" in routes.RESERVED_TOPIC_KEYS and "page" in routes.RESERVED_DEPARTMENT_KEYS
    with pytest.raises(ValueError):
        routes.paged(routes.radio(), 0)


# -- the built site, with a page size of two --------------------------------------------------

EXTRA = 5  # lessons added to the minisite's two


def _grow(site: Site, extra: int) -> None:
    for n in range(extra):
        site.write(f"content/lessons/xianfa/extra{n}.md",
                   lesson(title=f"附加课程{n}", slug=f"extra-{n:03d}", date=f"2026-02-{n + 1:02d}",
                          grades="[chuzhong]"))


def _built(site: Site, out: Path) -> Path:
    config, errors = load_site_config(site.root / "site_config", site.root)
    assert config is not None, errors
    campaign = load_campaign(site.root / "content", config)
    plain_renderer.render(build_site(campaign.published(TODAY), TODAY), out)
    return out


def _walk(out: Path, index: str, entries: str = ".pufa-card__title, .pufa-event-link",
          size: int | None = None) -> tuple[list[str], list[str]]:
    """Page URLs reached from ``index`` by “next” links, and the item links of every page in order."""
    urls, items, url = [], [], index
    while url is not None:
        urls.append(url)
        html = BeautifulSoup((out / routes.output_path(url)).read_text(encoding="utf-8"), "html.parser")
        cards = [a["href"] for a in html.select(entries)]
        assert 0 < len(cards) <= (size or pagination.PAGE_SIZE), (url, cards)
        items += [_site_url(url, href) for href in cards]
        following = html.select_one(".pufa-pager__next")
        if following is not None:
            assert following["rel"] == ["next"]
        url = _site_url(url, following["href"]) if following is not None else None
        if url is not None:
            back = BeautifulSoup((out / routes.output_path(url)).read_text(encoding="utf-8"), "html.parser")
            assert _site_url(url, back.select_one(".pufa-pager__prev")["href"]) == urls[-1]
    return urls, items


def _site_url(page: str, href: str) -> str:
    import posixpath

    joined = posixpath.normpath(posixpath.join(page, href))
    return "" if joined == "." else joined + "/"


@pytest.fixture(scope="module")
def grown_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The minisite grown by EXTRA lessons and rendered with two entries a page, once for the module's tests
    (they only read it)."""
    root = tmp_path_factory.mktemp("grown")
    minisite = copy_minisite(root / "minisite")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pagination, "PAGE_SIZE", 2)
        _grow(minisite, EXTRA)
        config, errors = load_site_config(minisite.root / "site_config", minisite.root)
        assert config is not None, errors
        campaign = load_campaign(minisite.root / "content", config).published(TODAY)
        return _built(minisite, root / "out"), campaign


@pytest.fixture
def grown(grown_site: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Any]:
    """grown_site, with the page size it was rendered with in force while the test checks it."""
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    return grown_site


@pytest.mark.parametrize("index,expected", [
    (routes.lessons(), lambda c: c.of("lesson")),
    (routes.topic("xianfa"), lambda c: c.group("topic")["xianfa"]),
    (routes.audience("qingshaonian"), lambda c: c.group("audiences")["qingshaonian"]),
    (routes.grade("chuzhong"), lambda c: c.group("grades")["chuzhong"]),
    (routes.department("sifaju"), lambda c: [i for i in c.items if i.department == "sifaju" and i.kind.name != "page"]),
])
def test_every_item_is_on_exactly_one_page_of_its_index(grown: tuple[Path, Any], index: str, expected: Any) -> None:
    out, campaign = grown
    wanted = [item.url for item in expected(campaign)]
    assert len(wanted) > pagination.PAGE_SIZE  # the index really is split
    urls, items = _walk(out, index)
    assert urls == [routes.paged(index, n) for n in range(1, len(urls) + 1)]
    assert len(urls) == -(-len(wanted) // pagination.PAGE_SIZE)
    assert items == wanted  # the index's order, nothing lost, nothing twice


def test_department_pages_head_each_kind_where_its_entries_are(grown: tuple[Path, Any]) -> None:
    out, _ = grown
    def headings(url: str) -> list[str]:
        html = BeautifulSoup((out / routes.output_path(url)).read_text(encoding="utf-8"), "html.parser")
        return [h2.get_text() for h2 in html.select("h2")]

    department = routes.department("sifaju")
    urls, _ = _walk(out, department)
    assert headings(department) == ["课程"]  # two lessons fill the first page: no “暂无节目”
    assert headings(urls[-1]) == ["《示例说法》节目", "活动"]  # the department's one episode and one event


def test_months_are_paginated_by_year(minisite: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagination, "PAGE_SIZE", 1)
    out = _built(minisite, tmp_path / "out")
    urls, items = _walk(out, routes.months())
    assert items == [routes.month("2026-03"), routes.month("2026-04")]
    assert urls == [routes.months(), routes.paged(routes.months(), 2)]


def test_the_report_is_a_page_a_year_the_latest_first(minisite: Site, tmp_path: Path) -> None:
    """The report's table gets no wider as the campaign goes on: each calendar year has its page."""
    for n, day in enumerate(["2024-12-01", "2025-05-10", "2025-11-20"]):
        minisite.write(f"content/lessons/xianfa/old{n}.md", lesson(title=f"往年课程{n}", slug=f"old-{n}", date=day))
    out = _built(minisite, tmp_path / "out")
    urls = [routes.paged(routes.report(), n) for n in (1, 2, 3)]
    pages = [BeautifulSoup((out / routes.output_path(url)).read_text(encoding="utf-8"), "html.parser") for url in urls]
    headers = [[th.get_text() for th in page.select("table")[0].select("thead th")][1:-1] for page in pages]
    assert headers == [["2026年3月"], ["2025年5月", "2025年6月", "2025年7月", "2025年8月", "2025年9月", "2025年10月",
                                     "2025年11月"], ["2024年12月"]]
    assert [page.select_one("#by-month").get_text() for page in pages] == ["2026 年按月份", "2025 年按月份", "2024 年按月份"]
    for url, page in zip(urls, pages, strict=True):  # every page links every year, marking its own
        years = page.select('nav[aria-label="年度"] li')
        assert [li.get_text() for li in years] == ["2026 年", "2025 年", "2024 年"]
        assert [_site_url(url, a["href"]) for a in page.select('nav[aria-label="年度"] a')] == [u for u in urls if u != url]
        assert page.select_one('nav[aria-label="年度"] [aria-current="page"]').get_text() == f"{2026 - urls.index(url)} 年"
    def total(page: BeautifulSoup, department: str) -> str:
        row = next(tr for tr in page.select("table")[0].select("tbody tr") if tr.th.get_text() == department)
        return row.select_one("td.pufa-report__total").get_text()

    assert [total(page, "县司法局") for page in pages] == ["3", "2", "1"]  # each year's own, not all years'
    assert not (out / routes.output_path(routes.paged(routes.report(), 4))).exists()


def test_a_lesson_page_does_not_grow_with_the_site(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built by MkDocs and Material (their navigation included): the same lesson, byte for byte,
    beside two other lessons and beside twenty-two."""
    monkeypatch.chdir(minisite.root)
    page = minisite.out / routes.output_path(routes.lesson("xianfa", "guojia-xianfa-ri"))
    sizes = []
    for extra in (0, 20):
        _grow(minisite, extra)
        build(load_config(str(minisite.root / "mkdocs.yml")))
        sizes.append(page.read_bytes())
    assert sizes[0] == sizes[1]


def test_a_law_page_lists_the_first_few_and_the_article_page_all(minisite: Site, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from pufa import views

    monkeypatch.setattr(views, "TAUGHT_PAGE_SIZE", 2)
    monkeypatch.setattr(views, "TAUGHT_SHOWN", 1)
    for n in range(3):
        minisite.write(f"content/lessons/xianfa/cites{n}.md", lesson(title=f"高空抛物{n}", slug=f"cites-{n:03d}")
                       .replace("正文。", "不要高空抛物（【民法典第1254条】）。"))
    out = _built(minisite, tmp_path / "out")
    law = BeautifulSoup((out / routes.output_path(routes.law("minfadian"))).read_text(encoding="utf-8"), "html.parser")
    article = law.select_one("#article-1254 .pufa-taught")
    assert article.select_one("summary").get_text() == "哪里讲到这一条（3）"
    links = [a["href"] for a in article.select("a")]
    assert len(links) == 2 and links[-1] == "article-1254/"
    urls, items = _walk(out, routes.taught("minfadian", "1254"), ".pufa-taught-list a", 2)
    assert urls == [routes.taught("minfadian", "1254"), routes.paged(routes.taught("minfadian", "1254"), 2)]
    assert sorted(items) == [routes.lesson("xianfa", f"cites-{n:03d}") for n in range(3)]
    assert _site_url(routes.law("minfadian"), links[0]) == items[0]


def test_an_article_taught_no_more_than_its_law_page_shows_has_no_page_of_its_own(
        minisite: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pufa import views

    monkeypatch.setattr(views, "TAUGHT_SHOWN", 3)
    minisite.write("content/lessons/xianfa/cites.md", lesson(title="高空抛物", slug="cites-one")
                   .replace("正文。", "不要高空抛物（【民法典第1254条】）。"))
    out = _built(minisite, tmp_path / "out")
    assert not (out / routes.output_path(routes.taught("minfadian", "1254"))).exists()
    assert not list((out / routes.law("minfadian")).glob("article-*"))
    law = BeautifulSoup((out / routes.output_path(routes.law("minfadian"))).read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in law.select("#article-1254 .pufa-taught a")] == ["../../lessons/xianfa/cites-one/"]


def test_search_finds_a_list_by_its_own_words_once_and_a_lesson_on_its_own_page(grown: tuple[Path, Any]) -> None:
    """A list's cards repeat what each lesson's page says: the search index leaves them out, and with
    them pages 2 and later of a list, which without cards say what page 1 says."""
    from lxml import html as lxml_html

    from pufa import search

    out, campaign = grown
    site = build_site(campaign, TODAY)
    records = {record.url: record for record in search.records(out, site.pages, campaign.config)}
    lesson = campaign.group("topic")["xianfa"][0]

    def text(url: str) -> str:
        return search.shown(lxml_html.fromstring(records["/" + url].html).text_content())

    for index in (routes.lessons(), routes.topic("xianfa"), routes.department("sifaju")):
        assert "/" + index in records and "/" + routes.paged(index, 2) not in records, index
        assert lesson.title not in text(index) and lesson.summary not in text(index), index
    assert lesson.title in text(lesson.url) and lesson.summary in text(lesson.url)
