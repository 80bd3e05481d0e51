"""Issue 4: permalinks, aliases, the catalogue, and law citations."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import REPO, Site
from pufa import routes
from pufa.catalog_document import catalog_schema
from pufa.dates import build_today
from pufa.laws import CITATION, LawBook, resolve, to_int
from pufa.pipeline import load_campaign
from pufa.siteconfig import load_site_config

#: tests/fixtures/minisite's site_url.
SITE_URL = "https://test.example.gov.cn/"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_chinese_and_arabic_article_numbers() -> None:
    assert to_int("一千零四十三") == 1043 and to_int("1043") == 1043 and to_int("１０４３") == 1043
    assert to_int("三十三") == 33 and to_int("十") == 10


def test_citations_resolve_both_numeral_styles(minisite: Site) -> None:
    import yaml

    book = LawBook.model_validate(yaml.safe_load(minisite.read("site_config/laws.yml")))
    chinese = resolve(CITATION.search("【民法典第一千二百五十四条】"), book)
    arabic = resolve(CITATION.search("【民法典第1254条】"), book)
    full = resolve(CITATION.search("【中华人民共和国民法典第1254条】"), book)
    assert chinese == arabic == full
    assert chinese.label(book) == "《中华人民共和国民法典》第一千二百五十四条"
    sub = resolve(CITATION.search("【刑法第二百九十一条之二】"), book)
    assert sub.anchor == "article-291-2" and sub.article_label() == "第二百九十一条之二"
    paragraph = resolve(CITATION.search("【宪法第三十三条第二款】"), book)
    assert paragraph.text(book) == ["中华人民共和国公民在法律面前一律平等。"]


def test_citations_render_as_links_quotes_and_law_pages(minisite: Site) -> None:
    lesson = minisite.read("content/lessons/xianfa/xianfa-ri.md").replace(
        "宪法是国家的根本法。", "根据【宪法第5条】，宪法是国家的根本法。\n\n> 【宪法第三十三条第一款】\n")
    minisite.write("content/lessons/xianfa/xianfa-ri.md", lesson.replace("summary:", "articles: [宪法第三十三条]\nsummary:", 1))
    result = minisite.build()
    assert result.returncode == 0, result.output
    page = soup(minisite.page("lessons/xianfa/guojia-xianfa-ri"))
    inline = page.select_one(".pufa-body .pufa-cite a.pufa-cite__link")
    assert inline.get_text() == "《中华人民共和国宪法》第五条"
    assert inline["href"] == "../../../laws/xianfa/#article-5"
    assert "建设社会主义法治国家" in page.select_one(f'#{inline["aria-describedby"]}').get_text()  # its description
    quote = page.select_one(".pufa-body blockquote.pufa-quote")
    assert "第三十三条第一款" in quote.get_text() and "凡具有中华人民共和国国籍的人都是中华人民共和国公民。" in quote.get_text()
    assert "国家尊重和保障人权" not in quote.get_text()  # only the paragraph cited
    assert "第三十三条" in page.select_one(".pufa-key-articles").get_text()
    law = soup(minisite.page("laws/xianfa"))
    article = law.select_one("#article-33")
    assert article is not None and "国家尊重和保障人权。" in article.get_text()
    taught = [a.get_text() for a in article.select(".pufa-taught a")]
    assert taught == ["国家宪法日"]
    assert law.select_one("#article-5 .pufa-taught") is not None


def test_every_citation_link_in_the_demo_resolves(demo: Site) -> None:
    """On the project's own site, whatever it cites: each link to an article lands on that article."""
    config, errors = load_site_config(demo.root / "site_config", demo.root)
    assert config is not None, errors
    published = load_campaign(demo.root / "content", config).published(build_today())
    citing_pages = {item.url for item in published.items if item.citations}
    checked, pages = 0, set()

    @cache
    def ids(page: Path) -> frozenset[str]:  # a law page is read once, however many links land on it
        return frozenset(tag["id"] for tag in soup(page.read_text(encoding="utf-8")).find_all(id=True))

    for path in demo.out.rglob("*.html"):
        page_url = "/" + path.relative_to(demo.out).as_posix()
        for link in soup(path.read_text(encoding="utf-8")).select("a.pufa-cite__link"):
            target = urlsplit(urljoin(page_url, link["href"]))
            assert target.path.startswith("/laws/") and target.fragment.startswith("article-"), link
            law_page = demo.out / target.path.lstrip("/") / "index.html"
            assert law_page.is_file(), target.path
            assert target.fragment in ids(law_page), (page_url, link["href"])
            checked += 1
            pages.add(page_url.removeprefix("/").removesuffix("index.html"))
    assert citing_pages <= pages  # every item that cites an article links to it


@pytest.mark.demo
def test_demo_quotes_come_from_laws_yml() -> None:
    """No lesson types article text by hand any more: every blockquote of law is generated."""
    for path in (REPO / "content" / "lessons").rglob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not (line.startswith(">") and "》第" in line and "【" not in line), f"{path}: {line}"


def test_lesson_page_shows_permalink_copy_control_and_qr(built_minisite: Site) -> None:
    page = soup(built_minisite.page("lessons/xianfa/guojia-xianfa-ri"))
    permalink = SITE_URL + "lessons/xianfa/guojia-xianfa-ri/"
    assert page.select_one("#pufa-permalink-url")["value"] == permalink
    button = page.select_one("button.pufa-copy")
    assert button["data-copy-target"] == "pufa-permalink-url"
    figure = page.select_one(".pufa-print-footer")
    assert figure.select_one("svg.pufa-qr") is not None
    assert permalink in figure.get_text()


def test_aliases_redirect_to_the_lesson(minisite: Site) -> None:
    text = minisite.read("content/lessons/xianfa/xianfa-ri.md").replace(
        "summary:", "aliases:\n  - /lessons/xianfa/xianfa-ri/\n  - /old/constitution-day/\nsummary:", 1)
    minisite.write("content/lessons/xianfa/xianfa-ri.md", text)
    assert minisite.build().returncode == 0
    target = "https://test.example.gov.cn/lessons/xianfa/guojia-xianfa-ri/"
    for alias in ("lessons/xianfa/xianfa-ri", "old/constitution-day"):
        page = soup((minisite.out / alias / "index.html").read_text(encoding="utf-8"))
        assert page.select_one('link[rel="canonical"]')["href"] == target
        # Relative, so a copy on a staging host (here under a sub-path) stays on that host.
        refresh = page.select_one('meta[http-equiv="refresh"]')["content"]
        assert refresh.startswith("0; url=")
        for url in (refresh.removeprefix("0; url="), page.select_one("a")["href"]):
            assert "//" not in url, url
            staging = urljoin(f"http://staging.local:8080/pufa/{alias}/", url)
            assert staging == "http://staging.local:8080/pufa/lessons/xianfa/guojia-xianfa-ri/"


@pytest.mark.parametrize(
    ("alias", "phrase"),
    [
        ("/lessons/xianfa/gongmin-de-jibenquanli/", "正被 content/lessons/xianfa/quanli.md 使用"),
        ("/lessons/xianfa/", "正被 系统生成的页面（宪法课程） 使用"),
        ("/Lessons/Old/", "应写作站内路径"),
    ],
)
def test_alias_collisions_are_errors(minisite: Site, alias: str, phrase: str) -> None:
    text = minisite.read("content/lessons/xianfa/xianfa-ri.md").replace("summary:", f"aliases: [\"{alias}\"]\nsummary:", 1)
    minisite.write("content/lessons/xianfa/xianfa-ri.md", text)
    result = minisite.check()
    assert result.returncode == 1
    assert "content/lessons/xianfa/xianfa-ri.md:9: aliases[0]: " in result.stderr and phrase in result.stderr, result.stderr


def test_alias_taken_twice_names_both_files(minisite: Site) -> None:
    for path in ("content/lessons/xianfa/xianfa-ri.md", "content/lessons/xianfa/quanli.md"):
        minisite.write(path, minisite.read(path).replace("summary:", "aliases: [/old/page/]\nsummary:", 1))
    result = minisite.check()
    assert result.returncode == 1
    assert "旧网址 /old/page/ 已是 content/lessons/xianfa/quanli.md 的旧网址" in result.stderr


@pytest.mark.parametrize("site_fixture", ["built_minisite", "demo"])
def test_catalog_matches_its_schema(site_fixture: str, request: pytest.FixtureRequest) -> None:
    """On the fixture and on the project's own site: the catalogue validates and lists every lesson."""
    site: Site = request.getfixturevalue(site_fixture)
    catalog = json.loads((site.out / routes.catalog()).read_text(encoding="utf-8"))
    schema = json.loads((site.out / routes.catalog_schema()).read_text(encoding="utf-8"))
    assert schema == catalog_schema()  # what the build publishes is what the model generates
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(catalog, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert catalog["schema_version"] == "1.0"
    config, errors = load_site_config(site.root / "site_config", site.root)
    assert config is not None, errors
    assert catalog["schema"] == config.site.site_url + routes.catalog_schema()
    published = load_campaign(site.root / "content", config).published(
        date(2026, 3, 20) if site_fixture == "built_minisite" else build_today())
    assert sorted(lesson["id"] for lesson in catalog["lessons"]) == sorted(lesson.ref for lesson in published.of("lesson"))
    for lesson in catalog["lessons"]:
        assert (site.out / lesson["url"].removeprefix(config.site.site_url) / "index.html").is_file()


def test_catalog_describes_each_lesson(built_minisite: Site) -> None:
    catalog = json.loads((built_minisite.out / routes.catalog()).read_text(encoding="utf-8"))
    lessons = {lesson["id"]: lesson for lesson in catalog["lessons"]}
    assert set(lessons) == {"xianfa/guojia-xianfa-ri", "xianfa/gongmin-de-jibenquanli"}
    day = lessons["xianfa/guojia-xianfa-ri"]
    assert day["url"] == SITE_URL + "lessons/xianfa/guojia-xianfa-ri/"
    assert [g["key"] for g in day["grades"]] == ["xiaoxue", "chuzhong"] and day["class_minutes"] is None  # not given
    assert [a["url"] for a in day["articles"]] == [SITE_URL + "laws/xianfa/#article-33"]
    assert lessons["xianfa/gongmin-de-jibenquanli"]["articles"] == []


def test_catalog_is_deterministic(minisite: Site) -> None:
    assert minisite.build().returncode == 0
    first = (minisite.out / "lessons" / "catalog.json").read_bytes()
    assert minisite.build().returncode == 0
    assert (minisite.out / "lessons" / "catalog.json").read_bytes() == first


def test_citations_in_a_transcript_and_a_month(minisite: Site) -> None:
    episode = minisite.read("content/radio/ep001.md").replace("宪法是国家的根本法。", "【宪法第五条】说，依法治国。")
    minisite.write("content/radio/ep001.md", episode)
    month = minisite.read("content/months/2026-03.md").replace("三月的主题。", "三月学习【民法典第1254条】。")
    minisite.write("content/months/2026-03.md", month)
    result = minisite.build()
    assert result.returncode == 0, result.output
    cue = soup(minisite.page("radio/ep001")).select_one("p.pufa-cue[data-start='80'] .pufa-cite__link")
    assert cue.get_text() == "《中华人民共和国宪法》第五条" and cue["href"] == "../../laws/xianfa/#article-5"
    link = soup(minisite.page("months/2026-03")).select_one(".pufa-body .pufa-cite__link")
    assert link["href"] == "../../laws/minfadian/#article-1254"
    taught = soup(minisite.page("laws/minfadian")).select("#article-1254 .pufa-taught a")
    assert [a.get_text() for a in taught] == ["法治示例行·三月：宪法学习月"]
