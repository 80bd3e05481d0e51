"""Escape by default: a hostile string in every text field reaches no output as markup.

One real ``mkdocs build --strict`` of the minisite with ``HOSTILE`` written into
every plain-text field of every kind of content and of site_config. No output
file may carry it as live markup; pages, feeds, JSON and captions must show or
hold it as the literal text, escaped exactly once.
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import MINISITE, MKDOCS_YML, Site
from pufa.paths import THEME_DIR
from pufa.search import BUNDLE_DIR, read_fragments
from pufa.site import autoescaped as autoescape

HOSTILE = "\"'<i>pufa-xss</i>&amp;<script>alert(1)</script>"
#: For transcript speakers, which are at most 20 characters long.
SHORT = "<i>pufa-xss</i>"
RAW = ("<i>pufa-xss</i>", "<script>alert(1)")
OUTPUTS = (".html", ".xml", ".json", ".csv", ".vtt", ".srt")
H = HOSTILE


def front(meta: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_hostile(root: Path) -> None:
    config = root / "site_config"
    dump(config / "site.yml", {
        "county": f"{H}县", "county_short": f"{H}简称", "title": f"{H}站名", "campaign": f"{H}行动",
        "description": f"{H}简介", "site_url": "https://test.example.gov.cn/", "organizer": f"{H}主办",
        "legal_aid_hotline": f"{H}热线",
        "contact": {"address": f"{H}地址", "phone": f"{H}电话", "email": f"{H}邮箱"},
        # police_beian_code and site_code only take digits and letters: not text fields.
        "footer": {"icp": f"{H}备案", "police_beian": f"{H}公安备案"},
        "programme": {"name": f"{H}栏目", "description": f"{H}栏目简介"},
    })
    dump(config / "taxonomy.yml", {
        "topics": {
            "xianfa": {"name": f"{H}宪法", "law": f"{H}宪法全称", "description": f"{H}主题简介"},
            "minfadian": {"name": f"{H}民法典", "law": f"{H}民法典全称"},
        },
        "audiences": {"qingshaonian": f"{H}青少年", "wugong": f"{H}务工"},
        "grades": {"xiaoxue": f"{H}小学", "chuzhong": f"{H}初中"},
        "departments": {"sifaju": f"{H}司法局", "fayuan": f"{H}法院"},
        "venues": {"xuexiao": f"{H}进学校", "shequ": f"{H}进社区"},
    })
    laws = yaml.safe_load((config / "laws.yml").read_text(encoding="utf-8"))
    for law in laws["laws"].values():  # `short` names are how citations are written: not free text
        law["title"] = f"{H}{law['title']}"
        law["version"] = f"{H}{law['version']}"
        for paragraphs in law["articles"].values():
            paragraphs[0] = f"{H}{paragraphs[0]}"
    dump(config / "laws.yml", laws)
    podcast = yaml.safe_load((config / "podcast.yml").read_text(encoding="utf-8"))
    # owner.email must be an e-mail address: not a text field.
    podcast.update(title=f"{H}电台", description=f"{H}播客简介", author=f"{H}作者", copyright=f"{H}版权")
    podcast["owner"]["name"] = f"{H}所有者"
    dump(config / "podcast.yml", podcast)

    content = root / "content"
    (content / "lessons/xianfa/xianfa-ri.md").write_text(front({
        "title": f"{H}课", "topic": "xianfa", "slug": "guojia-xianfa-ri", "audiences": ["qingshaonian"],
        "grades": ["xiaoxue"], "department": "sifaju", "date": "2026-03-01", "summary": f"{H}课简介",
        "tags": [f"{H}标签"], "objectives": [f"{H}目标"], "articles": ["宪法第三十三条"], "case": f"{H}案例",
        "questions": [f"{H}问题"],
        "quiz": [{"question": f"{H}测验", "options": [f"{H}选项", "12月4日"], "answer": f"{H}选项",
                  "explanation": f"{H}解析"}],
        "aliases": ["/old/xianfa-ri/"],
    }, "## 什么是宪法\n\n宪法是国家的根本法【宪法第五条】。\n"), encoding="utf-8")
    (content / "months/2026-03.md").write_text(front({
        "month": "2026-03", "title": f"{H}月", "summary": f"{H}月简介", "topics": ["xianfa"], "laws": [f"{H}法律"],
        "key_dates": [{"date": "2026-03-15", "name": f"{H}纪念日"}],
        "lessons": ["xianfa/guojia-xianfa-ri"], "episodes": [1],
    }, "三月的主题。\n"), encoding="utf-8")
    (content / "events/2026-03-10-xianfa-jinxiaoyuan.md").write_text(front({
        "title": f"{H}活动", "date": "2026-03-10", "place": f"{H}地点", "department": "sifaju", "venue": "xuexiao",
        "summary": f"{H}活动简介",
    }, ""), encoding="utf-8")
    (content / "radio/ep001.md").write_text(front({
        "number": 1, "title": f"{H}节目", "air": "2026-03-13 18:30", "topic": "xianfa", "department": "sifaju",
        "summary": f"{H}节目简介", "hosts": [{"name": f"{H}主持", "role": f"{H}主持人"}],
        "guests": [{"name": f"{H}嘉宾", "role": f"{H}法官", "department": "fayuan"}], "tags": [f"{H}节目标签"],
        # Remote audio needs no file and puts the episode into the podcast feed.
        "audio": "https://media.example.gov.cn/ep001.mp3", "audio_length": 1000, "audio_duration": 100,
    }, f"## {H}章节\n\n[00:00] {SHORT}：{H}文字稿\n\n[00:05] 王法官：大家好。\n"), encoding="utf-8")
    (content / "about.md").write_text(front({"title": f"{H}关于"}, "# 关于本站\n\n这是测试站点。\n"), encoding="utf-8")
    # An ordinary page whose title comes from its heading (Markdown escapes the text).
    (content / "heading.md").write_text('# 标题 1 < 2 & "引号"\n\n正文。\n', encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("hostile") / "site-src"
    shutil.copytree(MINISITE, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today="2026-03-20"), encoding="utf-8")
    make_hostile(root)
    site = Site(root)
    result = site.build()
    assert result.returncode == 0, result.output
    return site


def soup(site: Site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(url), "html.parser")


def as_reader_shows(fragment: str) -> str:
    """The text a feed reader shows for an HTML fragment, which must hold no element."""
    parsed = BeautifulSoup(fragment, "html.parser")
    assert parsed.find() is None, fragment
    return parsed.get_text()


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [element.get_text() for element in page.select(selector)]


def test_no_output_file_carries_the_hostile_string_as_markup(hostile: Site) -> None:
    checked = 0
    for path in sorted(hostile.out.rglob("*")):
        if path.suffix not in OUTPUTS:
            continue
        text = path.read_text(encoding="utf-8")
        checked += 1
        if path.suffix == ".csv":
            continue  # spreadsheet cells hold the literal text; see the CSV test
        for raw in RAW:
            assert raw not in text, f"{path.relative_to(hostile.out)} contains {raw}"
        if path.suffix == ".html":  # feeds rightly hold two layers: HTML inside XML
            assert "&amp;amp;amp;" not in text, f"{path.relative_to(hostile.out)} escapes twice"
    assert checked > 30


def test_lesson_page_shows_every_field_as_text(hostile: Site) -> None:
    page = soup(hostile, "lessons/xianfa/guojia-xianfa-ri")
    assert page.title.get_text() == f"{H}课 - {H}站名"
    assert page.find("meta", attrs={"name": "description"})["content"] == f"{H}课简介"
    assert page.find("meta", attrs={"property": "og:title"})["content"] == f"{H}课"
    assert page.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == f"{H}站名"
    assert texts(page, ".pufa-lesson h1") == [f"{H}课"]
    assert texts(page, ".pufa-lesson .pufa-summary") == [f"{H}课简介"]
    assert texts(page, ".pufa-kicker a") == [f"{H}宪法"]
    assert f"{H}青少年" in texts(page, ".pufa-facts a.pufa-tag")
    assert f"{H}司法局" in texts(page, ".pufa-facts a")
    assert texts(page, ".pufa-objectives li") == [f"{H}目标"]
    assert texts(page, ".pufa-case p") == [f"{H}案例"]
    assert texts(page, ".pufa-questions li") == [f"{H}问题"]
    assert texts(page, ".pufa-quiz > ol > li > p") == [f"{H}测验"]
    assert texts(page, ".pufa-quiz__options li") == [f"{H}选项", "12月4日"]
    assert texts(page, ".pufa-teacher strong") == [f"{H}选项"]
    assert f"{H}解析" in page.select_one(".pufa-teacher li").get_text()
    assert texts(page, ".pufa-tags .pufa-tag") == [f"{H}标签"]
    key_article = page.select_one(".pufa-key-articles .pufa-cite")
    key_card = key_article.select_one(".pufa-cite__text")
    assert key_card.get_text().startswith(f"{H}凡具有") and key_article.a["aria-describedby"] == key_card["id"]
    citation = page.select_one(".pufa-body .pufa-cite")
    card = citation.select_one(".pufa-cite__text")
    assert card.get_text().startswith(f"{H}中华人民共和国实行依法治国") and citation.a["aria-describedby"] == card["id"]
    assert page.select_one(".pufa-qr title").get_text() == f"扫码打开：{H}课"
    footer = page.select_one(".pufa-footer").get_text()
    for value in ("主办", "地址", "电话", "邮箱", "热线", "备案", "公安备案"):
        assert f"{H}{value}" in footer


def test_month_episode_law_and_index_pages_show_text(hostile: Site) -> None:
    month = soup(hostile, "months/2026-03")
    assert texts(month, ".pufa-month h1") == [f"{H}行动·三月：{H}月"]
    assert texts(month, ".pufa-key-dates li")[0].endswith(f"{H}纪念日")
    cells = texts(month, ".pufa-activities td")
    assert f"{H}活动" in cells and f"{H}地点" in cells and f"{H}进学校" in cells
    assert f"《{H}法律》" in month.select_one(".pufa-laws").get_text()

    episode = soup(hostile, "radio/ep001")
    assert texts(episode, ".pufa-episode h1") == [f"{H}节目"]
    facts = episode.select_one(".pufa-facts").get_text()
    assert f"{H}主持" in facts and f"{H}嘉宾（{H}法院{H}法官）" in facts
    assert texts(episode, ".pufa-cue__speaker")[0] == SHORT
    assert texts(episode, ".pufa-cue__text")[0] == f"{H}文字稿"
    assert f"{H}章节" in texts(episode, ".pufa-chapters li")[0]
    assert episode.select_one(".pufa-transcript h2[id]").get_text() == f"{H}章节¶"

    law = soup(hostile, "laws/xianfa")
    assert texts(law, ".pufa-summary")[0].startswith(H)
    assert law.select_one(".pufa-article p").get_text().startswith(H)
    assert law.title.get_text() == f"《{H}中华人民共和国宪法》 - {H}站名"

    home = soup(hostile, "")
    assert texts(home, ".pufa-home h1") == [f"{H}站名"]
    assert home.select_one(".pufa-home .pufa-summary").get_text() == f"{H}简介"
    assert f"{H}课" in texts(home, ".pufa-card__title")
    lessons = soup(hostile, "lessons")
    assert f"{H}主题简介" in texts(lessons, ".pufa-topic p")
    assert soup(hostile, "departments/sifaju").title.get_text() == f"{H}司法局 - {H}站名"


def test_navigation_shows_the_programme_name_as_text(hostile: Site) -> None:
    """Material prints navigation titles raw: the programme's name is escaped once before it gets there."""
    for page in (soup(hostile, "radio/ep001"), BeautifulSoup((hostile.out / "404.html").read_text(encoding="utf-8"), "html.parser")):
        assert f"{H}栏目" in [a.get_text(strip=True) for a in page.select(".md-tabs a, .md-nav--primary a")]
    assert f"{H}栏目" in texts(BeautifulSoup((hostile.out / "404.html").read_text(encoding="utf-8"), "html.parser"), ".pufa-ways-back a")


def test_ordinary_pages_and_redirects(hostile: Site) -> None:
    assert soup(hostile, "about").title.get_text() == f"{H}关于 - {H}站名"
    heading = soup(hostile, "heading")
    assert heading.title.get_text() == f'标题 1 < 2 & "引号" - {H}站名'
    assert heading.select_one(".md-header__topic:last-child .md-ellipsis").get_text(strip=True) == '标题 1 < 2 & "引号"'
    redirect = BeautifulSoup((hostile.out / "old/xianfa-ri/index.html").read_text(encoding="utf-8"), "html.parser")
    assert redirect.title.get_text() == f"页面已移动：{H}课"
    assert redirect.a.get_text() == f"{H}课"


def test_feeds_carry_plain_text_escaped_once(hostile: Site) -> None:
    site_feed = feedparser.parse(str(hostile.out / "feed.xml"))
    assert not site_feed.bozo, site_feed.bozo_exception
    assert site_feed.feed.title == f"{H}站名"
    lesson = next(entry for entry in site_feed.entries if entry.link.endswith("guojia-xianfa-ri/"))
    assert lesson.title == f"{H}课"
    # <description> is HTML to readers: they get the summary escaped, and show it as text.
    assert "&lt;i&gt;" in lesson.summary
    assert as_reader_shows(lesson.summary) == f"{H}课简介"
    assert lesson.tags[0].term == f"{H}宪法"
    podcast = feedparser.parse(str(hostile.out / "radio/feed.xml"))
    assert not podcast.bozo, podcast.bozo_exception
    assert podcast.feed.title == f"{H}电台"
    assert podcast.feed.author_detail.name == f"{H}所有者"
    assert "&lt;i&gt;" in podcast.feed.subtitle and "<i>" not in podcast.feed.subtitle
    episode = podcast.entries[0]
    assert episode.title == f"{H}节目"
    description = BeautifulSoup(episode.summary, "html.parser")
    assert description.find(["i", "script"]) is None
    assert description.p.get_text() == f"{H}节目简介"
    assert f"{H}章节" in description.ul.get_text()


def test_json_and_captions_hold_the_literal_text(hostile: Site) -> None:
    raw = (hostile.out / "lessons/catalog.json").read_text(encoding="utf-8")
    assert "\\u003ci\\u003e" in raw
    catalog = json.loads(raw)
    lesson = next(entry for entry in catalog["lessons"] if entry["id"] == "xianfa/guojia-xianfa-ri")
    assert lesson["title"] == f"{H}课"
    assert lesson["objectives"] == [f"{H}目标"]
    assert catalog["site"]["organizer"] == f"{H}主办"
    chapters = json.loads((hostile.out / "radio/ep001.chapters.json").read_text(encoding="utf-8"))
    assert chapters["chapters"][0]["title"] == f"{H}章节"
    assert chapters["title"] == f"{H}节目"
    vtt = (hostile.out / "radio/ep001.vtt").read_text(encoding="utf-8")
    assert f"<v {html.escape(SHORT, quote=False)}>{html.escape(H, quote=False)}文字稿" in vtt
    srt = (hostile.out / "radio/ep001.srt").read_text(encoding="utf-8")
    assert f"{html.escape(SHORT, quote=False)}：{html.escape(H, quote=False)}文字稿" in srt


def test_report_csv_keeps_the_literal_text(hostile: Site) -> None:
    """CSV is data for Excel/WPS, not markup: the cell holds exactly what the editor wrote."""
    text = (hostile.out / "departments/report.csv").read_text(encoding="utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert f"{H}课" in cells and f"{H}司法局" in cells


def test_search_index_holds_titles_as_text(hostile: Site) -> None:
    """pufa-search.js shows titles with textContent: the index keeps them as the editor wrote them."""
    fragments = read_fragments(hostile.out / BUNDLE_DIR)
    titles = {str(fragment["meta"]["title"]) for fragment in fragments.values()}  # type: ignore[index]
    assert {f"{H}课", f"{H}节目"} <= titles
    assert not any("&lt;i&gt;" in title or "&amp;amp;" in title for title in titles)  # never escaped on the way


def test_every_pufa_template_renders_with_autoescape() -> None:
    """A template added to pufa's theme escapes too; Material's own keep their raw prints."""
    themes = THEME_DIR
    names = {path.relative_to(themes).as_posix() for path in themes.rglob("*.html")}
    assert names and all(autoescape(name) for name in names), sorted(n for n in names if not autoescape(n))
    for material in ("base.html", "partials/footer.html", "partials/content.html", "partials/toc-item.html"):
        assert not autoescape(material)
