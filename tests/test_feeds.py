"""Feeds as real clients read them: feedparser, gPodder's podcastparser, lxml XPath."""

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

from conftest import FIXTURE_MP3, REPO, BIN, Site, run
from pufa.channel import feed_guid
from pufa.podcastindex import PODCAST_NS

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
NS = {"itunes": ITUNES, "podcast": PODCAST_NS, "atom": "http://www.w3.org/2005/Atom",
      "content": "http://purl.org/rss/1.0/modules/content/"}
SITE_URL = "https://pufa.example.gov.cn/"


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


def test_site_feed_reads_cleanly_in_feedparser(demo: Site) -> None:
    parsed = feedparser.parse(str(demo.out / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "法治安澜"
    assert parsed.feed.link == SITE_URL
    assert len(parsed.entries) == 30
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    lesson = next(e for e in parsed.entries if e.link == SITE_URL + "lessons/xianfa/guojia-xianfa-ri/")
    html = lesson.content[0].value
    assert "国家宪法日" in html
    for attribute in ("href=\"", "src=\""):
        for part in html.split(attribute)[1:]:
            assert part.startswith(("https://", "mailto:", "tel:")), part[:80]
    assert "headerlink" not in html


def test_topic_feeds_hold_their_topic_only(demo: Site) -> None:
    parsed = feedparser.parse(str(demo.out / "lessons" / "weibaofa" / "feed.xml"))
    assert not parsed.bozo
    assert parsed.entries and all("/lessons/weibaofa/" in e.link for e in parsed.entries)


def test_every_page_advertises_both_feeds(demo: Site) -> None:
    for page in ("index.html", "lessons/xianfa/guojia-xianfa-ri/index.html", "radio/ep001/index.html", "about/index.html"):
        html = (demo.out / page).read_text(encoding="utf-8")
        assert html.count('type="application/rss+xml"') >= 2, page
    topic = (demo.out / "lessons" / "xianfa" / "index.html").read_text(encoding="utf-8")
    assert 'title="宪法课程" href="feed.xml"' in topic


def test_podcast_feed_in_feedparser(demo: Site) -> None:
    parsed = feedparser.parse(str(demo.out / "radio" / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.language == "zh-cn"
    assert len(parsed.entries) == 8
    for entry in parsed.entries:
        assert entry.enclosures and entry.enclosures[0].type == "audio/mpeg"


def test_podcast_feed_in_podcastparser(demo: Site, podcastindex_aware_podcastparser) -> None:
    feed_url = SITE_URL + "radio/feed.xml"
    with open(demo.out / "radio" / "feed.xml", "rb") as stream:
        parsed = podcastindex_aware_podcastparser.parse(feed_url, stream)
    assert parsed["title"] == "见事说法"
    assert parsed["cover_url"] == SITE_URL + "radio/cover.png"
    assert parsed["import_prohibited"] is True
    assert len(parsed["episodes"]) == 8
    for episode in parsed["episodes"]:
        enclosure = episode["enclosures"][0]
        local = demo.out / enclosure["url"].removeprefix(SITE_URL)
        assert enclosure["file_size"] == local.stat().st_size
        assert episode["total_time"] == int(MP3(local).info.length + 0.5)
        assert episode["transcript_url"].startswith(SITE_URL + "radio/ep")
        assert episode["chapters_json_url"].endswith(".chapters.json")
        assert {p["role"] for p in episode["persons"]} >= {"host", "guest"}
        assert episode["number"] >= 1


def test_podcast_feed_tags(demo: Site) -> None:
    root = xml(demo.out / "radio" / "feed.xml")
    channel = root.find("channel")
    text = lambda path: channel.findtext(path, namespaces=NS)  # noqa: E731
    assert text("podcast:guid") == "f388e4b7-5f06-51a6-9b4c-cb69be1e090d"
    assert text("itunes:explicit") == "false"
    assert text("language") == "zh-cn"
    assert channel.find("podcast:locked", NS).get("owner") == "radio@example.gov.cn"
    assert channel.find("itunes:image", NS).get("href") == SITE_URL + "radio/cover.png"
    assert [c.get("text") for c in channel.findall("itunes:category", NS)] == ["Government", "Education"]
    assert text("itunes:owner/itunes:email") == "radio@example.gov.cn"
    assert text("itunes:author") and text("description")
    assert channel.find("atom:link[@rel='self']", NS).get("href") == SITE_URL + "radio/feed.xml"
    guids = set()
    for item in channel.findall("item"):
        enclosure = item.find("enclosure")
        local = demo.out / enclosure.get("url").removeprefix(SITE_URL)
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
            assert (demo.out / url.removeprefix(SITE_URL)).is_file(), url
    items = channel.findall("item")
    assert items and len(guids) == len(items)  # every episode's guid is its own, however many there are


def test_transcript_files_parse_and_match_the_episode(demo: Site) -> None:
    vtt = webvtt.read(str(demo.out / "radio" / "ep001.vtt"))
    srt = webvtt.from_srt(str(demo.out / "radio" / "ep001.srt"))
    assert len(vtt.captions) == len(srt.captions) > 10
    assert vtt.captions[0].voice == "林晓"
    assert srt.captions[0].text.startswith("林晓：")
    starts = [c.start_in_seconds for c in vtt.captions]
    assert starts == sorted(starts)
    duration = MP3(str(demo.out / "radio" / "audio" / "ep001.mp3")).info.length
    assert abs(vtt.captions[-1].end_in_seconds - duration) < 1.0
    chapters = json.loads((demo.out / "radio" / "ep001.chapters.json").read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    times = [c["startTime"] for c in chapters["chapters"]]
    assert times[0] == 0 and times == sorted(times) and all(c["title"] for c in chapters["chapters"])


def test_episode_page_links_transcripts_and_player(demo: Site) -> None:
    page = demo.page("radio/ep001")
    assert 'src="../audio/ep001.mp3"' in page
    assert 'href="../ep001.vtt"' in page and 'href="../ep001.srt"' in page


def test_rebuild_gives_byte_identical_feeds(demo: Site, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(again)], REPO)
    assert result.returncode == 0, result.output
    produced = ["feed.xml", "radio/feed.xml", "lessons/xianfa/feed.xml", "radio/ep001.vtt", "radio/ep001.srt",
                "radio/ep001.chapters.json"]
    for relative in produced:
        assert (again / relative).read_bytes() == (demo.out / relative).read_bytes(), relative


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


def test_radio_page_offers_the_podcast_address(demo: Site) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(demo.page("radio"), "html.parser")
    assert page.select_one("#pufa-podcast-url")["value"] == SITE_URL + "radio/feed.xml"
    assert page.select_one("button.pufa-copy")["data-copy-target"] == "pufa-podcast-url"
