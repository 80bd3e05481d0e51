"""What a feed reader (no CSS) shows of a page: the citation's link and label, not its hover text."""

from __future__ import annotations

import feedparser
import lxml.html
from feedgen.feed import FeedGenerator

from pufa.citing import render
from pufa.feeds import _absolute_html
from test_citing import BOOK

PAGE = "https://test.example.gov.cn/lessons/xianfa/demo/"


def _in_a_feed_reader(html: str) -> str:
    """The entry's content as feedparser hands it to a reader."""
    feed = FeedGenerator()
    feed.title("测试")
    feed.link(href=PAGE)
    feed.description("测试")
    entry = feed.add_entry()
    entry.title("课程")
    entry.link(href=PAGE)
    entry.guid(PAGE)
    entry.description("摘要")  # without one, feedgen moves the content into <description>
    entry.content(html, type="CDATA")
    parsed = feedparser.parse(feed.rss_str())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed.entries[0].content[0].value


def test_citation_in_feed_content_is_a_link_without_hover_text() -> None:
    page = "<p>" + render("人人平等【宪法第三十三条】，这是原则。", BOOK, "lessons/xianfa/demo/", {}) + "</p>"
    assert 'aria-hidden="true">中华人民共和国公民' in page and "aria-describedby" in page  # the page's hover card
    content = _in_a_feed_reader(_absolute_html(page, PAGE))
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    assert root.text_content() == "人人平等《中华人民共和国宪法》第三十三条，这是原则。"
    (link,) = root.xpath("//a")
    assert link.get("href") == "https://test.example.gov.cn/laws/xianfa/#article-33"
    assert "aria-hidden" not in content
