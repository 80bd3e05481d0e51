"""The site's feeds: RSS 2.0 for readers, and the programme's podcast feed.

Every date comes from content, never the clock, so two builds of the same
content produce byte-identical feeds. Entries are appended in the order we
sort them (newest first); feedgen's default is to prepend.
"""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

import lxml.html
from feedgen.feed import FeedGenerator

from .captions import chapters_json, to_srt, to_vtt
from .channel import Channel
from . import routes
from .dates import TZ, format_time
from .paths import FEED_CSS
from .kinds import KINDS
from .kinds.base import Item, per_item
from .podcastindex import EXTENSION_NAME, Person, PodcastIndexEntryExtension, PodcastIndexExtension, Transcript

if TYPE_CHECKING:
    from .campaign import Campaign
    from .kinds.episode import Episode

#: How many items the site feed and each topic feed carry (newest first).
FEED_ITEMS = 30
#: Apple's limit for an episode description.
DESCRIPTION_BYTES = 4000
GENERATOR = "pufa"


def episode_guid(channel_guid: uuid.UUID, episode: Episode) -> str:
    """Stable across moves: derived from the channel's pinned guid and the episode number."""
    if episode.meta.guid:
        return episode.meta.guid
    return f"urn:uuid:{uuid.uuid5(channel_guid, f'episode-{episode.meta.number}')}"


def companion_files(episodes: list[Episode]) -> dict[str, bytes]:
    """Each episode's transcript as WebVTT and SRT, and its chapters as JSON."""
    files: dict[str, bytes] = {}
    for episode in episodes:
        files.update(_companion_files(episode))
    return files


@per_item
def _companion_files(episode: Episode) -> dict[str, bytes]:
    if not episode.transcript.cues:
        return {}
    duration = episode.audio.duration if episode.audio else None
    paths = episode.files
    return {paths.vtt: to_vtt(episode.transcript, duration).encode("utf-8"),
            paths.srt: to_srt(episode.transcript, duration).encode("utf-8"),
            paths.chapters: chapters_json(episode.transcript, episode.title).encode("utf-8")}


def _new_feed(title: str, link: str, self_url: str, description: str, updated: datetime) -> FeedGenerator:
    feed = FeedGenerator()
    feed.title(title)
    # feedgen lets the last link win RSS's <link>: self first, then the page.
    feed.link(href=self_url, rel="self")
    feed.link(href=link, rel="alternate")
    feed.description(escape(description))
    feed.language("zh-cn")
    feed.generator(GENERATOR)
    feed.docs("")  # feedgen's default links to rssboard.org: no foreign hosts in our output
    feed.lastBuildDate(updated)
    return feed


@lru_cache(maxsize=1024)  # the live preview makes every feed again on every save, mostly of the same pages
def _absolute_html(html: str, page_url: str) -> str:
    """Rendered page HTML for a feed: absolute links, no ¶ permalink anchors.

    Text hidden from screen readers (a citation's article text, shown only in
    its hover card) is dropped too: feed readers apply no CSS and would inline
    it mid-sentence; the citation keeps its link and label.
    """
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for anchor in root.xpath('.//a[contains(concat(" ", normalize-space(@class), " "), " headerlink ")]'):
        anchor.drop_tree()
    for hidden in root.xpath('.//*[@aria-hidden="true"]'):
        hidden.drop_tree()
    for described in root.xpath(".//*[@aria-describedby]"):  # by the card just dropped
        del described.attrib["aria-describedby"]
    root.make_links_absolute(page_url, resolve_base_href=False)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def _rss(campaign: Campaign, items: list[Item], title: str, link_path: str, feed_path: str,
         description: str, rendered: Mapping[str, str]) -> bytes:
    site = campaign.config.site
    items = sorted(items, key=lambda item: (item.published, item.url), reverse=True)[:FEED_ITEMS]
    updated = max((item.published for item in items), default=datetime(2000, 1, 1, tzinfo=TZ))
    feed = _new_feed(title, site.site_url + link_path, site.site_url + feed_path, description, updated)
    topics = campaign.config.taxonomy.topics
    for item in items:
        url = site.site_url + item.url
        entry = feed.add_entry(order="append")
        entry.title(item.label)
        entry.link(href=url)
        entry.guid(url, permalink=True)
        entry.pubDate(item.published)
        # Readers take <description> as HTML: the plain summary is escaped once here
        # (feedgen then escapes it for XML), so a reader shows “<b>” as text.
        entry.description(escape(item.summary))
        content = _absolute_html(rendered.get(item.url, ""), url)
        if content:
            entry.content(content, type="CDATA")
        for topic in item.topics:
            entry.category(term=topics[topic].name)
    return feed.rss_str(pretty=True)


def site_feed(campaign: Campaign, rendered: Mapping[str, str]) -> bytes:
    """``/feed.xml``: every item of a kind the site feed carries, from its day on (a plan shown
    ahead, such as a month's theme, enters the feed on its first day)."""
    site = campaign.config.site
    kinds = [kind for kind in KINDS if kind.in_site_feed]
    everything = [item for item in campaign.items if item.kind in kinds and campaign.begun(item)]
    return _rss(campaign, everything, site.title, routes.home(), routes.site_feed(), site.description, rendered)


def topic_feeds(campaign: Campaign, rendered: Mapping[str, str]) -> dict[str, bytes]:
    """``/lessons/<topic>/feed.xml``: each topic's lessons."""
    site = campaign.config.site
    feeds = {}
    lessons_by_topic = campaign.group("topic")
    for key, topic in campaign.config.taxonomy.topics.items():
        feeds[routes.topic_feed(key)] = _rss(
            campaign, list(lessons_by_topic.get(key, [])), f"{site.title} · {topic.name}课程",
            routes.topic(key), routes.topic_feed(key), topic.description or topic.law, rendered,
        )
    return feeds


def _episode_description(episode: Episode, campaign: Campaign, page_url: str) -> str:
    """Simple HTML that podcast apps show: summary, people, chapters, link. ≤ 4,000 bytes."""
    departments = campaign.config.taxonomy.departments
    parts = [f"<p>{escape(episode.meta.summary)}</p>"]
    if episode.meta.guests:
        guests = "、".join(
            escape(f"{g.name}（{departments[g.department] if g.department else ''}{g.role}）") for g in episode.meta.guests
        )
        parts.append(f"<p>嘉宾：{guests}</p>")
    footer = f'<p>文字稿：<a href="{escape(page_url)}">{escape(page_url)}</a></p>'
    chapters = [c for c in episode.transcript.chapters if c.title]
    if chapters:
        lines = "".join(f"<li>{format_time(c.start)} {escape(c.title)}</li>" for c in chapters)
        parts.append(f"<ul>{lines}</ul>")
    text = "".join(parts) + footer
    while len(text.encode("utf-8")) > DESCRIPTION_BYTES and len(parts) > 1:
        parts.pop()
        text = "".join(parts) + footer
    if len(text.encode("utf-8")) > DESCRIPTION_BYTES:
        text = text.encode("utf-8")[:DESCRIPTION_BYTES].decode("utf-8", "ignore")
    return text


def podcast_feed(campaign: Campaign, channel: Channel) -> bytes:
    """The podcast feed: every episode that has audio, newest first.

    Made again only when what it reads changed: the live preview builds on every save, most of
    which change no episode (the feed of five hundred episodes took a tenth of a second a save).
    """
    global _last_podcast
    episodes: list[Episode] = [episode for episode in campaign.of("episode") if episode.audio is not None]
    episodes.sort(key=lambda e: (e.meta.air, e.meta.number), reverse=True)
    # Items are immutable: the same objects (kept by the preview) are the same episodes.
    key = (tuple(episodes), channel.model_dump_json(), campaign.config.site.site_url,
           tuple(campaign.config.taxonomy.departments.items()))
    if _last_podcast is None or _last_podcast[0] != key:
        _last_podcast = (key, _podcast_feed(campaign, channel, episodes))
    return _last_podcast[1]


#: The last podcast feed this process made, and what it was made from.
_last_podcast: tuple[tuple[object, ...], bytes] | None = None


def _podcast_feed(campaign: Campaign, channel: Channel, episodes: list[Episode]) -> bytes:
    site = campaign.config.site
    assert channel.guid is not None, "validated by load_campaign"
    updated = episodes[0].meta.air if episodes else datetime(2000, 1, 1, tzinfo=TZ)
    feed = _new_feed(channel.title, site.site_url + routes.radio(), site.site_url + routes.podcast_feed(), channel.description, updated)
    feed.load_extension("podcast")
    feed.register_extension(EXTENSION_NAME, PodcastIndexExtension, PodcastIndexEntryExtension, atom=False)
    image = site.site_url + channel.image
    feed.image(url=image, title=channel.title, link=site.site_url + routes.radio())
    if channel.copyright:
        feed.copyright(channel.copyright)
    itunes = feed.podcast  # type: ignore[attr-defined]
    itunes.itunes_author(channel.author)
    itunes.itunes_owner(name=channel.owner.name, email=channel.owner.email)
    itunes.itunes_image(image)
    itunes.itunes_summary(channel.description)
    itunes.itunes_type(channel.type)
    itunes.itunes_category([_category(value) for value in channel.categories])
    extension = getattr(feed, EXTENSION_NAME)
    extension.guid(str(channel.guid))
    extension.locked(channel.locked, channel.owner.email)
    extension.explicit(channel.explicit)
    for episode in episodes:
        audio = episode.audio
        assert audio is not None
        page = site.site_url + episode.url
        entry = feed.add_entry(order="append")
        # Apple: no episode number in <title>; apps show <itunes:episode> themselves.
        entry.title(episode.title)
        entry.link(href=page)
        entry.guid(episode_guid(channel.guid, episode), permalink=False)
        entry.pubDate(episode.meta.air)
        entry.description(_episode_description(episode, campaign, page))
        enclosure = audio.url if not audio.local else site.site_url + audio.url
        entry.enclosure(enclosure, str(audio.length), audio.mime_type)
        entry.podcast.itunes_duration(audio.seconds)
        entry.podcast.itunes_episode(episode.meta.number)
        entry.podcast.itunes_title(episode.title)
        entry.podcast.itunes_episode_type(episode.meta.episode_type)
        entry.podcast.itunes_author(channel.author)
        ext = getattr(entry, EXTENSION_NAME)
        if episode.transcript.cues:
            paths = episode.files
            ext.transcript(Transcript(site.site_url + paths.vtt, "text/vtt"))
            ext.transcript(Transcript(site.site_url + paths.srt, "application/x-subrip"))
            if any(c.title for c in episode.transcript.chapters):
                ext.chapters(site.site_url + paths.chapters)
        for host in episode.meta.hosts:
            ext.person(Person(host.name, "host"))
        for guest in episode.meta.guests:
            ext.person(Person(guest.name, "guest"))
        ext.explicit(episode.meta.explicit)
    return with_stylesheet(feed.rss_str(pretty=True), routes.podcast_feed())


def with_stylesheet(xml: bytes, feed_path: str) -> bytes:
    """The feed with a CSS stylesheet named right after the XML declaration.

    A listener who taps the feed link gets a Chinese page on how to subscribe
    instead of raw XML under the browser's English message; apps ignore the
    processing instruction. CSS rather than XSLT: Chromium 156 lays an English
    "XSLT is being removed" banner over XSLT-styled pages, and Chromium plans
    to turn XSLT off by default from 158; CSS on XML keeps working everywhere.
    The href is relative, so the site also works under a sub-path.
    """
    href = posixpath.relpath(FEED_CSS, posixpath.dirname(feed_path) or ".")
    declaration, newline, rest = xml.partition(b"\n")
    assert declaration.startswith(b"<?xml"), "feedgen writes the XML declaration first"
    return declaration + newline + f'<?xml-stylesheet type="text/css" href="{href}"?>\n'.encode() + rest


def _category(value: str) -> dict[str, str]:
    top, _, sub = value.partition("/")
    return {"cat": top, "sub": sub} if sub else {"cat": top}
