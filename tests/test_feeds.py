"""Feeds as real clients read them: feedparser, gPodder's podcastparser, lxml XPath.

Read from ``built_minisite`` (tests/fixtures/minisite with real audio and a citation), never
from the demo county's episodes; that the project's own site's feeds parse cleanly is checked
as an invariant on ``demo`` too.
"""

from __future__ import annotations

import json
import shutil
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import podcastparser
import pytest
import webvtt
from lxml import etree
from mutagen.mp3 import MP3

from conftest import FIXTURE_MP3, BIN, Site, run
from pufa import routes
from pufa.channel import feed_guid
from pufa.podcastindex import PODCAST_NS

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
NS = {"itunes": ITUNES, "podcast": PODCAST_NS, "atom": "http://www.w3.org/2005/Atom",
      "content": "http://purl.org/rss/1.0/modules/content/"}
#: tests/fixtures/minisite's site_url.
SITE_URL = "https://test.example.gov.cn/"
LESSON = routes.lesson("xianfa", "guojia-xianfa-ri")
#: The whole-site checks run on built_minisite and on the project's own site (the demo county, or
#: the county's own content that replaced it): invariants of any content, never its slugs or counts.
SITES = pytest.mark.parametrize("site_fixture", ["built_minisite", "demo"])


@pytest.fixture(scope="module")
def podcastindex_aware_podcastparser():
    """podcastparser 0.6.11 knows the Podcasting 2.0 namespace only by its old
    GitHub URL; the namespace now lives at podcastindex.org (which we declare,
    as the spec asks). Teach this parser the current URL, as its upstream
    mapping of the old one intends; everything else is parsed unchanged."""
    namespaces = podcastparser.Namespace.NAMESPACES
    added = PODCAST_NS not in namespaces
    namespaces[PODCAST_NS] = "podcast"
    yield podcastparser
    if added:
        del namespaces[PODCAST_NS]


def xml(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def test_podcast_guid_follows_the_namespace_spec() -> None:
    # The two examples in podcast-namespace docs/tags/guid.md.
    assert feed_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert feed_guid("https://podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


@SITES
def test_feeds_read_cleanly(site_fixture: str, request: pytest.FixtureRequest,
                            podcastindex_aware_podcastparser) -> None:
    """Every feed the site writes parses without error, newest first, with absolute links only."""
    site: Site = request.getfixturevalue(site_fixture)
    feeds = sorted(site.out.rglob("feed.xml"))
    assert site.out / routes.site_feed() in feeds
    for path in feeds:
        parsed = feedparser.parse(str(path))
        assert not parsed.bozo, (path, parsed.bozo_exception)
        dates = [entry.published_parsed for entry in parsed.entries]
        assert dates == sorted(dates, reverse=True), path
        for entry in parsed.entries:
            for content in entry.get("content", []):
                for attribute in ("href=\"", "src=\""):
                    for part in content.value.split(attribute)[1:]:
                        assert part.startswith(("https://", "mailto:", "tel:")), (path, part[:80])
    podcast = site.out / routes.podcast_feed()
    if podcast.is_file():
        with open(podcast, "rb") as stream:
            parsed = podcastindex_aware_podcastparser.parse("https://example.invalid/feed.xml", stream)
        assert all(episode["enclosures"] for episode in parsed["episodes"])


def test_site_feed_reads_cleanly_in_feedparser(built_minisite: Site) -> None:
    parsed = feedparser.parse(str(built_minisite.out / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "法治示例"
    assert parsed.feed.link == SITE_URL
    # Two lessons, the episode, the event and March's theme; April's theme waits for April 1.
    assert sorted(entry.link.removeprefix(SITE_URL) for entry in parsed.entries) == sorted([
        LESSON, routes.lesson("xianfa", "gongmin-de-jibenquanli"), routes.episode("ep001"),
        routes.event("2026-03-10-xianfa-jinxiaoyuan"), routes.month("2026-03")])
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    lesson = next(e for e in parsed.entries if e.link == SITE_URL + LESSON)
    html = lesson.content[0].value
    assert lesson.title == "国家宪法日" and "什么是宪法" in html and "《中华人民共和国宪法》第三十三条" in html
    for attribute in ("href=\"", "src=\""):
        for part in html.split(attribute)[1:]:
            assert part.startswith(("https://", "mailto:", "tel:")), part[:80]
    assert SITE_URL + "laws/xianfa/#article-33" in html
    assert "headerlink" not in html


def test_topic_feeds_hold_their_topic_only(built_minisite: Site) -> None:
    for topic in ("xianfa", "minfadian"):
        parsed = feedparser.parse(str(built_minisite.out / routes.topic_feed(topic)))
        assert not parsed.bozo
        assert all(f"/lessons/{topic}/" in e.link for e in parsed.entries)
        assert len(parsed.entries) == (2 if topic == "xianfa" else 0)


def test_every_page_advertises_both_feeds(built_minisite: Site) -> None:
    for url in (routes.home(), LESSON, routes.episode("ep001"), "about/"):
        html = (built_minisite.out / routes.output_path(url)).read_text(encoding="utf-8")
        assert html.count('type="application/rss+xml"') >= 2, url
    topic = built_minisite.page(routes.topic("xianfa"))
    assert 'title="宪法课程" href="feed.xml"' in topic


def test_podcast_feed_in_feedparser(built_minisite: Site) -> None:
    parsed = feedparser.parse(str(built_minisite.out / "radio" / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.language == "zh-cn"
    assert len(parsed.entries) == 1
    for entry in parsed.entries:
        assert entry.enclosures and entry.enclosures[0].type == "audio/mpeg"


def test_podcast_feed_in_podcastparser(built_minisite: Site, podcastindex_aware_podcastparser) -> None:
    feed_url = SITE_URL + "radio/feed.xml"
    with open(built_minisite.out / "radio" / "feed.xml", "rb") as stream:
        parsed = podcastindex_aware_podcastparser.parse(feed_url, stream)
    assert parsed["title"] == "示例电台"
    assert parsed["cover_url"] == SITE_URL + "radio/cover.png"
    assert parsed["import_prohibited"] is True
    (episode,) = parsed["episodes"]
    enclosure = episode["enclosures"][0]
    local = built_minisite.out / enclosure["url"].removeprefix(SITE_URL)
    assert enclosure["url"] == SITE_URL + "radio/ep001.mp3"
    assert enclosure["file_size"] == local.stat().st_size == FIXTURE_MP3.stat().st_size
    assert episode["total_time"] == int(MP3(local).info.length + 0.5) == 95
    assert episode["transcript_url"] in {SITE_URL + "radio/ep001.vtt", SITE_URL + "radio/ep001.srt"}
    assert episode["chapters_json_url"] == SITE_URL + "radio/ep001.chapters.json"
    # The fixture's episode has a host and a guest (the guest from another department).
    assert {(p["name"], p["role"]) for p in episode["persons"]} == {("林晓", "host"), ("王法官", "guest")}
    assert episode["number"] == 1


def test_podcast_feed_tags(built_minisite: Site) -> None:
    root = xml(built_minisite.out / "radio" / "feed.xml")
    channel = root.find("channel")
    text = lambda path: channel.findtext(path, namespaces=NS)  # noqa: E731
    assert text("podcast:guid") == "3b7e3f8e-0b4c-5b43-9f7e-1f5a0d7a4c11"
    assert text("itunes:explicit") == "false"
    assert text("language") == "zh-cn"
    assert channel.find("podcast:locked", NS).get("owner") == "radio@test.example.gov.cn"
    assert channel.find("itunes:image", NS).get("href") == SITE_URL + "radio/cover.png"
    assert [c.get("text") for c in channel.findall("itunes:category", NS)] == ["Government", "Education"]
    assert text("itunes:owner/itunes:email") == "radio@test.example.gov.cn"
    assert text("itunes:author") and text("description")
    assert channel.find("atom:link[@rel='self']", NS).get("href") == SITE_URL + "radio/feed.xml"
    guids = set()
    for item in channel.findall("item"):
        enclosure = item.find("enclosure")
        local = built_minisite.out / enclosure.get("url").removeprefix(SITE_URL)
        assert int(enclosure.get("length")) == local.stat().st_size
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text.startswith("urn:uuid:")
        guids.add(guid.text)
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published.utcoffset().total_seconds() == 8 * 3600
        assert item.findtext("pubDate").endswith("+0800")
        assert item.findtext("itunes:duration", namespaces=NS).isdigit()
        number = item.findtext("itunes:episode", namespaces=NS)
        assert number.isdigit()
        assert "第" + number + "期" not in item.findtext("title")  # Apple: the number goes in itunes:episode
        assert item.findtext("itunes:title", namespaces=NS) == item.findtext("title")
        assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
        assert item.findtext("itunes:explicit", namespaces=NS) == "false"
        assert len(item.findtext("description").encode("utf-8")) <= 4000
        transcripts = {t.get("type"): t for t in item.findall("podcast:transcript", NS)}
        assert set(transcripts) == {"text/vtt", "application/x-subrip"}
        assert all(t.get("language") == "zh-cn" for t in transcripts.values())
        chapters = item.find("podcast:chapters", NS)
        assert chapters.get("type") == "application/json+chapters"
        roles = [p.get("role") for p in item.findall("podcast:person", NS)]
        assert "host" in roles and "guest" in roles
        for url in [t.get("url") for t in transcripts.values()] + [chapters.get("url")]:
            assert (built_minisite.out / url.removeprefix(SITE_URL)).is_file(), url
    items = channel.findall("item")
    assert items and len(guids) == len(items)  # every episode's guid is its own, however many there are


def test_transcript_files_parse_and_match_the_episode(built_minisite: Site) -> None:
    out = built_minisite.out
    vtt = webvtt.read(str(out / "radio" / "ep001.vtt"))
    srt = webvtt.from_srt(str(out / "radio" / "ep001.srt"))
    assert len(vtt.captions) == len(srt.captions) == 4  # the fixture's four cues
    assert [c.voice for c in vtt.captions] == ["林晓", "王法官", "林晓", "王法官"]
    assert srt.captions[0].text.startswith("林晓：")
    starts = [c.start_in_seconds for c in vtt.captions]
    assert starts == [0, 5, 70, 80]
    duration = MP3(str(out / "radio" / "ep001.mp3")).info.length
    assert abs(vtt.captions[-1].end_in_seconds - duration) < 1.0  # the last cue runs to the end of the audio
    chapters = json.loads((out / "radio" / "ep001.chapters.json").read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    assert [(c["startTime"], c["title"]) for c in chapters["chapters"]] == [(0, "开场"), (70, "宪法是什么")]


def test_episode_page_links_transcripts_and_player(built_minisite: Site) -> None:
    page = built_minisite.page("radio/ep001")
    assert 'src="../ep001.mp3"' in page
    assert 'href="../ep001.vtt"' in page and 'href="../ep001.srt"' in page


def test_rebuild_gives_byte_identical_feeds(built_minisite: Site, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(again)], built_minisite.root)
    assert result.returncode == 0, result.output
    produced = ["feed.xml", "radio/feed.xml", "lessons/xianfa/feed.xml", "radio/ep001.vtt", "radio/ep001.srt",
                "radio/ep001.chapters.json", "lessons/catalog.json", "departments/report.csv"]
    for relative in produced:
        assert (again / relative).read_bytes() == (built_minisite.out / relative).read_bytes(), relative


def _with_audio(site: Site) -> None:
    shutil.copy(FIXTURE_MP3, site.root / "content" / "radio" / "ep001.mp3")
    text = site.read("content/radio/ep001.md").replace("guests:", "audio: ep001.mp3\nguests:", 1)
    site.write("content/radio/ep001.md", text)


def test_sub_path_site_feeds(minisite: Site, podcastindex_aware_podcastparser) -> None:
    base = "https://www.example.gov.cn/pufa/"
    minisite.write("site_config/site.yml", minisite.read("site_config/site.yml").replace("https://test.example.gov.cn/", base))
    _with_audio(minisite)
    result = minisite.build()
    assert result.returncode == 0, result.output
    with open(minisite.out / "radio" / "feed.xml", "rb") as stream:
        parsed = podcastindex_aware_podcastparser.parse(base + "radio/feed.xml", stream)
    episode = parsed["episodes"][0]
    assert episode["enclosures"][0]["url"] == base + "radio/ep001.mp3"
    assert episode["link"] == base + "radio/ep001/"
    assert episode["transcript_url"].startswith(base)
    site_feed = feedparser.parse(str(minisite.out / "feed.xml"))
    assert all(entry.link.startswith(base) for entry in site_feed.entries)
    assert site_feed.feed.link == base


def test_remote_audio_needs_length_and_duration(minisite: Site) -> None:
    text = minisite.read("content/radio/ep001.md").replace(
        "guests:", "audio: https://media.example.gov.cn/ep001.mp3\naudio_length: 1234567\naudio_duration: \"12:34\"\nguests:", 1)
    minisite.write("content/radio/ep001.md", text)
    assert minisite.build().returncode == 0
    item = xml(minisite.out / "radio" / "feed.xml").find("channel/item")
    assert item.find("enclosure").get("url") == "https://media.example.gov.cn/ep001.mp3"
    assert item.find("enclosure").get("length") == "1234567"
    assert item.findtext("itunes:duration", namespaces=NS) == "754"


def test_transcript_from_a_vtt_file(minisite: Site) -> None:
    minisite.write("content/radio/ep002.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v 林晓>第二期开始了。\n\n"
                   "00:00:04.000 --> 00:00:09.000\n<v 王法官>今天讲民法典。\n")
    minisite.write("content/radio/ep002.md", "---\nnumber: 2\ntitle: 第二期\nair: 2026-03-20 18:30\ntopic: minfadian\n"
                   "department: fayuan\nsummary: 第二期。\nhosts:\n  - name: 林晓\ntranscript: ep002.vtt\n"
                   "chapters:\n  - start: 0\n    title: 开场\n  - start: \"00:04\"\n    title: 民法典\n---\n")
    result = minisite.build()
    assert result.returncode == 0, result.output
    page = minisite.page("radio/ep002")
    assert "今天讲民法典。" in page and 'data-start="4"' in page
    chapters = json.loads((minisite.out / "radio" / "ep002.chapters.json").read_text(encoding="utf-8"))
    assert [c["title"] for c in chapters["chapters"]] == ["开场", "民法典"]


def test_radio_page_offers_the_podcast_address(built_minisite: Site) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(built_minisite.page("radio"), "html.parser")
    assert page.select_one("#pufa-podcast-url")["value"] == SITE_URL + "radio/feed.xml"
    assert page.select_one("button.pufa-copy")["data-copy-target"] == "pufa-podcast-url"
