"""The report's chart, the feed's stylesheet and byte ranges in preview (issue 10, points 2–4), in process."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import feedparser
import podcastparser
import pytest
from lxml import etree

from conftest import FIXTURE_MP3, MINISITE, Site
from pufa import routes
from pufa.chart import BAR_HEIGHT, monthly_chart
from pufa.feeds import podcast_feed
from pufa.paths import FEED_CSS, THEME_CSS, THEME_DIR, THEME_JS
from pufa.pipeline import load_campaign
from pufa.podcastindex import PODCAST_NS
from pufa.ranges import parse_range, with_ranges
from pufa.report import Row, month_span
from pufa.siteconfig import load_site_config

SVG = "{http://www.w3.org/2000/svg}"
DEPARTMENTS = [("sifaju", "县司法局"), ("fayuan", "县人民法院"), ("gongan", "县公安局")]


# --------------------------------------------------------------------------
# The chart


def test_chart_draws_one_bar_per_month_with_output_scaled_to_the_busiest() -> None:
    months = ["2026-11", "2026-12", "2027-01"]
    counts = {"sifaju": {"2026-11": 4, "2027-01": 1}, "fayuan": {"2026-12": 2}}
    svg = etree.fromstring(str(monthly_chart(DEPARTMENTS, months, counts)))
    assert svg.get("role") == "img" and svg.get("viewBox")
    assert svg.get("width") is None, "sized by its box, not fixed"
    bars = svg.findall(f"{SVG}rect")
    assert sorted(float(bar.get("height")) for bar in bars) == [BAR_HEIGHT / 4, BAR_HEIGHT / 2, BAR_HEIGHT]
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert texts.count("合计") == 1 and {"县司法局", "县人民法院", "县公安局"} <= set(texts)
    months = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "pufa-chart__month"]
    assert months == ["11", "12", "1", "月"]
    assert texts.count("2026年") == 1 and texts.count("2027年") == 1, "the year where the axis starts and where it turns"
    totals = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "pufa-chart__total"]
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "pufa-chart__value"]
    assert totals == ["5", "2", "0"] and sorted(values) == ["1", "2", "4"]


def test_chart_has_a_text_alternative_naming_every_count() -> None:
    counts = {"sifaju": {"2026-03": 2}}
    svg = etree.fromstring(str(monthly_chart(DEPARTMENTS[:2], ["2026-03", "2026-04"], counts, chart_id="c")))
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == title.get("id") == "c-title"
    assert svg.get("aria-describedby") == desc.get("id") == "c-desc"
    assert title.text == "各部门每月发布数量"
    assert desc.text == "县司法局：2026年3月 2 项；合计 2 项。县人民法院：没有发布；合计 0 项。"


def test_chart_fits_a_long_department_name_into_its_column() -> None:
    names = [("a", "县人力资源和社会保障局"), ("b", "县市场监督管理局"), ("c", "县法院")]
    svg = etree.fromstring(str(monthly_chart(names, ["2026-03"], {})))
    labels = {t.text: t.get("textLength") for t in svg.iter(f"{SVG}text") if t.get("class") == "pufa-chart__label"}
    assert labels == {"县人力资源和": "76", "社会保障局": None, "县市场监": None, "督管理局": None, "县法院": None}


def test_chart_escapes_names_and_is_empty_without_months() -> None:
    svg = str(monthly_chart([("x", "<b>&局")], ["2026-03"], {"x": {"2026-03": 1}}))
    assert "<b>" not in svg and "&lt;b&gt;&amp;局" in svg
    assert str(monthly_chart(DEPARTMENTS, [], {})) == ""


def test_report_months_run_without_gaps_across_the_year() -> None:
    rows = [Row("sifaju", "课程", "a", day, "xianfa", "x/") for day in (date(2026, 11, 3), date(2027, 2, 1))]
    assert month_span(rows) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert month_span([]) == []


# --------------------------------------------------------------------------
# The feed, styled for browsers, plain RSS for apps


@pytest.fixture
def podcast_bytes(tmp_path: Path) -> bytes:
    root = tmp_path / "site"
    shutil.copytree(MINISITE, root)
    shutil.copy(FIXTURE_MP3, root / "content" / "radio" / "ep001.mp3")
    episode = root / "content" / "radio" / "ep001.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("guests:", "audio: ep001.mp3\nguests:", 1), encoding="utf-8")
    config, errors = load_site_config(root / "site_config", root)
    assert config is not None, errors
    campaign = load_campaign(root / "content", config)
    return podcast_feed(campaign, campaign.config.podcast)


def test_feed_names_a_stylesheet_the_theme_ships_by_a_relative_href(podcast_bytes: bytes) -> None:
    tree = etree.parse(io.BytesIO(podcast_bytes))
    instructions = [node for node in tree.getroot().itersiblings(preceding=True)
                    if isinstance(node, etree._ProcessingInstruction)]
    assert [(pi.target, pi.get("type")) for pi in instructions] == [("xml-stylesheet", "text/css")]
    href = instructions[0].get("href")
    assert href == "../assets/pufa-feed.css"
    assert (Path("/site") / routes.podcast_feed()).parent.joinpath(href).resolve() == Path("/site") / FEED_CSS
    assert (THEME_DIR / FEED_CSS).is_file() and FEED_CSS not in THEME_CSS


def test_styled_feed_still_reads_as_plain_rss(podcast_bytes: bytes) -> None:
    parsed = feedparser.parse(podcast_bytes)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "示例电台" and len(parsed.entries) == 1
    assert parsed.entries[0].enclosures[0].href == "https://test.example.gov.cn/radio/ep001.mp3"
    podcastparser.Namespace.NAMESPACES.setdefault(PODCAST_NS, "podcast")
    podcast = podcastparser.parse("https://test.example.gov.cn/radio/feed.xml", io.BytesIO(podcast_bytes))
    assert podcast["title"] == "示例电台"
    assert [episode["title"] for episode in podcast["episodes"]] == ["宪法和我们"]
    assert podcast["episodes"][0]["enclosures"][0]["url"].endswith("/radio/ep001.mp3")


def test_feed_stylesheet_explains_subscribing_in_chinese_and_loads_nothing() -> None:
    css = (THEME_DIR / FEED_CSS).read_text(encoding="utf-8")
    assert "怎样订阅" in css and "订阅地址" in css
    assert "url(" not in css and "@import" not in css


def test_media_assets_are_part_of_every_site() -> None:
    for asset in ("assets/pufa-media.css", "assets/pufa-print.css"):
        assert asset in THEME_CSS and (THEME_DIR / asset).is_file()
    assert THEME_CSS[-1] == "assets/pufa-print.css", "print rules load last, to override the screen's"
    assert "assets/pufa-media.js" in THEME_JS and (THEME_DIR / "assets/pufa-media.js").is_file()


# --------------------------------------------------------------------------
# Byte ranges in `mkdocs serve`


@pytest.mark.parametrize(("header", "size", "expected"), [
    ("bytes=0-99", 1000, (0, 99)),
    ("bytes=900-", 1000, (900, 999)),
    ("bytes=-100", 1000, (900, 999)),
    ("bytes=990-2000", 1000, (990, 999)),
    ("", 1000, None),
    ("bytes=0-1,5-6", 1000, None),
    ("items=0-1", 1000, None),
    ("bytes=-", 1000, None),
    ("bytes=5-1", 1000, None),
])
def test_parse_range(header: str, size: int, expected: tuple[int, int] | None) -> None:
    assert parse_range(header, size) == expected


def test_range_past_the_end_is_unsatisfiable() -> None:
    with pytest.raises(ValueError):
        parse_range("bytes=1000-", 1000)


@pytest.fixture
def preview(tmp_path: Path):
    """MkDocs' own preview server (not listening), its application wrapped as the plugin does."""
    from mkdocs.livereload import LiveReloadServer

    from pufa.plugin import PufaPlugin

    (tmp_path / "radio").mkdir()
    shutil.copy(FIXTURE_MP3, tmp_path / "radio" / "ep001.mp3")
    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    config = SimpleNamespace(dev_addr=SimpleNamespace(host="127.0.0.1", port=0))  # port 0: never busy
    assert PufaPlugin().on_serve(server, config=config, builder=None) is server

    def get(path: str, range_header: str | None = None) -> tuple[str, dict[str, str], bytes]:
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
        if range_header:
            environ["HTTP_RANGE"] = range_header
        answer: dict = {}
        body = server.get_app()(environ, lambda status, headers, exc=None: answer.update(status=status, headers=dict(headers)))
        data = b"".join(body)
        getattr(body, "close", lambda: None)()
        return answer["status"], answer["headers"], data

    yield get
    server.server_close()


def test_preview_server_answers_byte_ranges(preview) -> None:
    audio = FIXTURE_MP3.read_bytes()
    status, headers, data = preview("/radio/ep001.mp3")
    assert status.startswith("200") and headers["Accept-Ranges"] == "bytes" and data == audio
    status, headers, data = preview("/radio/ep001.mp3", "bytes=1000-1999")
    assert status == "206 Partial Content"
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(audio)}" and headers["Content-Length"] == "1000"
    assert data == audio[1000:2000]
    status, headers, data = preview("/radio/ep001.mp3", "bytes=-10")
    assert status.startswith("206") and data == audio[-10:]
    status, headers, data = preview("/radio/ep001.mp3", f"bytes={len(audio)}-")
    assert status.startswith("416") and headers["Content-Range"] == f"bytes */{len(audio)}" and data == b""


def test_preview_server_leaves_other_answers_alone(preview) -> None:
    status, _, data = preview("/no/such/file.mp3", "bytes=0-1")
    assert status.startswith("404")
    status, headers, data = preview("/", None)
    assert status.startswith("200") and "首页".encode() in data


def test_mkdocs_serve_answers_byte_ranges(minisite: Site) -> None:
    """End to end: `mkdocs serve` (what `make serve` runs) loads the plugin, which wraps its server.

    MkDocs calls ``on_serve`` only with live reloading on (its default): ``--no-livereload`` serves no ranges.
    """
    import os
    import socket
    import subprocess
    import time
    import urllib.error
    import urllib.request

    from conftest import BIN

    shutil.copy(FIXTURE_MP3, minisite.root / "content" / "radio" / "ep001.mp3")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=minisite.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/radio/ep001.mp3", headers={"Range": "bytes=10-19"})
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    status, headers, data = answer.status, answer.headers, answer.read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "mkdocs serve did not come up"
                time.sleep(0.5)
        size = FIXTURE_MP3.stat().st_size
        assert status == 206 and headers["Content-Range"] == f"bytes 10-19/{size}"
        assert data == FIXTURE_MP3.read_bytes()[10:20]
    finally:
        server.terminate()
        server.wait(timeout=30)
