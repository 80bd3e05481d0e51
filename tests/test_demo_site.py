"""The project's own site, built once with `mkdocs build --strict`.

That is the demo county here, and a county's own content once it replaced the demo:
these tests check invariants of any site (every item at its URL, every index lists its
items, nothing loads from another host …), never the demo's slugs, titles or counts, so
an editor who adds, changes or removes a lesson, month or episode breaks none of them.
The few that check what the demo itself shows are marked ``demo`` (see conftest.py).
"""

from __future__ import annotations

import json
import re
from functools import cache
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, Site
from pufa import routes
from pufa.kinds import KINDS
from pufa.pipeline import load_campaign
from pufa.search import BUNDLE_DIR, PART_CLOSE, PART_OPEN, read_fragments, shown
from pufa.siteconfig import load_site_config

#: Hyperlinks the government footer must carry; they are links, not resources.
FOOTER_LINK_HOSTS = {"beian.miit.gov.cn", "beian.mps.gov.cn"}

#: Absolute URLs that remain in Material's JavaScript as code, each checked to
#: never be fetched on a pufa site: repository facts only run when `repo_url`
#: is set (it is not), and the others are text of error messages.
JS_INERT = {
    "https://api.github.com/repos/${e}/${t}",
    "https://api.github.com/users/${e}",
    "https://${e}/api/v4/projects/${encodeURIComponent(t)}",
    "https://github.com/isaacs/node-glob/issues/167",
    "https://bit.ly/2s3ChXG",
    # Pagefind's scripts parse result URLs against a placeholder base (RFC 2606's example.com), never fetched.
    "https://example.com${anchored_url}",
    "https://example.com${normalized}",
}
IDENTIFIERS = (
    "http://www.w3.org/",
    "http://www.sitemaps.org/",
    "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "https://podcastindex.org/namespace/1.0",
    "http://purl.org/rss/1.0/modules/content/",
    "https://json-schema.org/draft/2020-12/schema",  # a JSON Schema dialect identifier, never fetched
)
_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\\"'])//[^\n]*", re.S)
_ABSOLUTE = re.compile(r"""(?:https?:)?//[A-Za-z0-9.\-]+(?::\d+)?[^\s"'`)<>]*""")


def demo_collection():
    config, errors = load_site_config(REPO / "site_config", REPO)
    assert config is not None, errors
    return load_campaign(REPO / "content", config)


@cache
def site_host() -> str:
    return urlsplit(demo_collection().config.site.site_url).hostname or ""


def published_demo():
    """What the demo build (dated today, or SOURCE_DATE_EPOCH) publishes."""
    from pufa.dates import build_today

    return demo_collection().published(build_today())


def html(site: Site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(url), "html.parser")


@pytest.mark.demo
def test_the_demo_shows_every_kind_with_its_features() -> None:
    """The showcase has an item of every kind, and its episodes come with audio and a transcript
    (not how many: editors add and remove items freely)."""
    collection = demo_collection()
    for kind in KINDS:
        if kind.template is not None:
            assert collection.of(kind.name), kind.name
    assert all(episode.transcript.cues and episode.audio for episode in collection.of("episode"))


def test_every_item_has_its_contract_url(demo: Site) -> None:
    collection = published_demo()
    for lesson in collection.of("lesson"):
        assert (demo.out / "lessons" / lesson.meta.topic / lesson.slug / "index.html").is_file()
    for month in collection.of("month"):
        assert (demo.out / "months" / month.meta.month / "index.html").is_file()
    for episode in collection.of("episode"):
        assert (demo.out / "radio" / episode.slug / "index.html").is_file()
    taxonomy = collection.config.taxonomy
    indexes = [routes.lessons(), routes.months(), routes.radio(), routes.departments(),
               *map(routes.topic, taxonomy.topics), *(routes.term("grade", key) for key in taxonomy.grades),
               *(routes.term("audience", key) for key in taxonomy.audiences), *map(routes.department, taxonomy.departments)]
    for index in indexes:
        assert (demo.out / routes.output_path(index)).is_file(), index


def test_all_urls_are_lower_case_ascii(demo: Site) -> None:
    for path in demo.out.rglob("*"):
        relative = path.relative_to(demo.out).as_posix()
        assert relative.isascii() and relative == relative.lower(), relative


def test_indexes_list_their_lessons(demo: Site) -> None:
    collection = published_demo()
    taxonomy = collection.config.taxonomy
    expected = {routes.topic(key): {f"/{lesson.url}" for lesson in collection.of("lesson") if lesson.meta.topic == key}
                for key in taxonomy.topics}
    expected.update({routes.term("grade", key): {f"/{lesson.url}" for lesson in collection.of("lesson")
                                                 if key in lesson.meta.grades} for key in taxonomy.grades})
    for url, lessons in expected.items():
        linked = {urljoin(f"/{url}", a["href"]) for a in html(demo, url).select("a.pufa-card__title")}
        assert linked == lessons, url


def test_month_page_resolves_its_references(demo: Site) -> None:
    collection = published_demo()
    refs = {lesson.ref: lesson for lesson in collection.of("lesson")}
    numbers = {episode.meta.number: episode for episode in collection.of("episode")}
    for month in collection.of("month"):  # what is published of each month's featured items is linked
        page = html(demo, month.url)
        hrefs = {urljoin(f"/{month.url}", a["href"]) for a in page.select(".pufa-featured a.pufa-card__title")}
        assert {f"/{refs[ref].url}" for ref in month.meta.lessons if ref in refs} <= hrefs
        assert {f"/{numbers[n].url}" for n in month.meta.episodes if n in numbers} <= hrefs
        events = [event for event in collection.of("event") if event.month == month.meta.month]
        assert len(page.select(".pufa-activities tbody tr")) == len(events)


def test_navigation_lists_sections_not_items(demo: Site) -> None:
    lesson = published_demo().of("lesson")[0]
    page = html(demo, lesson.url)
    nav_links = {a.get("href") for a in page.select("nav.md-nav--primary a.md-nav__link")}
    assert len(nav_links) <= 8
    assert not any(lesson.slug in (href or "") for href in nav_links)


def test_chinese_headings_get_pinyin_anchors(demo: Site) -> None:
    for lesson in published_demo().of("lesson"):
        ids = [h2.get("id") or "" for h2 in html(demo, lesson.url).select(".pufa-body h2")]
        assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids), (lesson.url, ids)


def test_episode_page_has_transcript_with_seekable_times(demo: Site) -> None:
    for episode in published_demo().of("episode"):
        page = html(demo, episode.url)
        cues = page.select(".pufa-transcript p.pufa-cue")
        assert len(cues) == len(episode.transcript.cues), episode.url
        for cue, expected in zip(cues, episode.transcript.cues):
            assert cue["data-start"] == str(expected.start)
            assert cue.select_one(".pufa-cue__speaker").get_text() == expected.speaker
        chapters = page.select(".pufa-chapters li")
        assert len(chapters) == len([c for c in episode.transcript.chapters if c.title]), episode.url


def test_home_shows_a_month_and_latest_items(demo: Site) -> None:
    from pufa.views import HOME_LATEST

    collection = published_demo()
    site = collection.config.site
    page = html(demo, "")
    this_month = page.select_one(".pufa-this-month")
    if collection.of("month"):
        assert this_month is not None and site.campaign in this_month.get_text()
    latest = min(HOME_LATEST, len(collection.of("lesson"))) + min(HOME_LATEST, len(collection.of("episode")))
    assert len(page.select("a.pufa-card__title")) >= latest
    footer = page.select_one(".pufa-footer").get_text()
    assert site.organizer in footer and site.legal_aid_hotline in footer
    for shown in (site.footer.icp, site.footer.police_beian, site.footer.site_code):
        assert shown is None or shown in footer


def test_chinese_search_index_is_segmented(demo: Site) -> None:
    """jieba's words and their parts, marked so that readers see the text as written (pufa.search)."""
    fragments = read_fragments(demo.out / BUNDLE_DIR)
    content = str(fragments["/laws/weibaofa/"]["content"])
    assert f" 成年人 {PART_CLOSE} 未成年人 " in content
    assert "未成年人" in shown(content) and PART_OPEN not in shown(content) and PART_CLOSE not in shown(content)


def test_no_google_fonts_and_chinese_language(demo: Site) -> None:
    raw = demo.page("")
    assert 'lang="zh"' in raw
    assert "fonts.googleapis" not in raw and "fonts.gstatic" not in raw


def _foreign(url: str) -> bool:
    host = urlsplit(url if "://" in url else "http:" + url).hostname or ""
    return host != site_host()


def test_output_loads_nothing_from_other_hosts(demo: Site) -> None:
    problems: list[str] = []
    for path in sorted(demo.out.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".mp3", ".m4a", ".png", ".jpg", ".ico", ".woff", ".woff2"):
            continue
        relative = path.relative_to(demo.out).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            soup = BeautifulSoup(text, "html.parser")
            for tag in soup.find_all(True):
                for attribute in ("src", "href", "srcset", "poster", "data", "action", "content"):
                    value = tag.get(attribute)
                    if not value or not isinstance(value, str):
                        continue
                    for url in _ABSOLUTE.findall(value):
                        if not _foreign(url) or url.startswith(IDENTIFIERS):
                            continue
                        link = tag.name == "a" and attribute == "href"
                        if link and urlsplit(url).hostname in FOOTER_LINK_HOSTS:
                            continue
                        problems.append(f"{relative}: <{tag.name} {attribute}={url}>")
            for style in soup.find_all("style"):
                problems += [f"{relative}: style {u}" for u in _ABSOLUTE.findall(style.get_text()) if _foreign(u)]
        elif path.suffix == ".css":
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
                if url.startswith(("http:", "https:", "//")) and _foreign(url):
                    problems.append(f"{relative}: css {url}")
        elif path.suffix == ".js":
            code = _JS_COMMENT.sub("", text)
            for url in re.findall(r"""https?://[^\s"'`]+""", code):
                if _foreign(url) and url not in JS_INERT and not url.startswith(IDENTIFIERS):
                    problems.append(f"{relative}: js {url}")
        elif path.suffix in (".json", ".xml", ".txt"):
            for url in re.findall(r"""https?://[^\s"'<]+""", text):
                if _foreign(url) and not url.startswith(IDENTIFIERS):
                    problems.append(f"{relative}: {url}")
    assert not problems, "\n".join(problems[:50])
    assert not list(demo.out.rglob("*.map"))


def test_unpkg_scripts_are_served_locally(demo: Site) -> None:
    bundle = next((demo.out / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert "unpkg.com" not in bundle
    assert "vendor/resize-observer-polyfill.js" in bundle
    polyfill = demo.out / "assets" / "javascripts" / "vendor" / "resize-observer-polyfill.js"
    assert "ResizeObserver" in polyfill.read_text(encoding="utf-8")


def test_mkdocs_repo_url_is_unset() -> None:
    """The repository-facts code in Material's bundle (api.github.com) stays inert."""
    assert "repo_url" not in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def test_department_pages_count_what_each_published(demo: Site) -> None:
    collection = published_demo()
    page = html(demo, "departments")
    rows = {tr.select("td")[0].get_text(): [td.get_text() for td in tr.select("td")[1:]] for tr in page.select("tbody tr")}
    filed = [kind for kind in KINDS if kind.filed]
    assert [th.get_text() for th in page.select("thead th")[1:]] == [kind.label for kind in filed]
    for key, name in collection.config.taxonomy.departments.items():
        counts = [sum(1 for item in collection.of(kind.name) if item.department == key) for kind in filed]
        assert rows[name] == [str(count) for count in counts], name


def test_pufa_check_passes_on_the_demo() -> None:
    result = Site(REPO).check()  # in this process: the installed command is test_build's
    assert result.returncode == 0, result.output
    assert "检查通过" in result.stdout

