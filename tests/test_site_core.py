"""The core builds the site: a registry of kinds, one pipeline, immutable items, any renderer."""

from __future__ import annotations

import argparse
import dataclasses
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pydantic import BaseModel, ConfigDict

import plain_renderer
from conftest import Site
from pufa import kinds, routes
from pufa.cli import main
from pufa.dates import TZ
from pufa.kinds.base import Filed, Item, Kind, LoadContext, View
from pufa.pipeline import load_campaign
from pufa.site import build_site
from pufa.siteconfig import load_site_config

TODAY = date(2026, 3, 20)


def campaign_of(site: Site) -> Any:
    config, errors = load_site_config(site.root / "site_config", site.root)
    assert config is not None, errors
    return load_campaign(site.root / "content", config)


def mkdocs_build(site: Site, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    monkeypatch.chdir(site.root)
    build(load_config(str(site.root / "mkdocs.yml")))
    return {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if p.is_file()}


# -- a kind defined here, in one class and one template, joins every part of the site ----------

class NoticeMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    title: str
    date: date
    department: str
    topic: str
    summary: str


@dataclasses.dataclass(frozen=True, eq=False)
class Notice(Filed, Item):
    @property
    def url(self) -> str:
        return f"notices/{self.source.path.stem}/"

    @property
    def published(self) -> datetime:
        return datetime(self.meta.date.year, self.meta.date.month, self.meta.date.day, tzinfo=TZ)


class NoticeKind(Kind):
    name, label, section = "notice", "公告", "notices"
    schema = NoticeMeta
    template = "pufa/notice.html"
    in_site_feed = True

    def make(self, meta: Any, source: Any, context: LoadContext) -> Item:
        return Notice(meta, source)

    def views(self, config: Any) -> list[View]:
        return [View("notices/", "公告", "pufa/notices.html", lambda c, t: {"items": c.of(self.name)})]

    def report_rows(self, item: Any) -> list[Any]:
        from pufa.report import Row

        return [Row(item.department, self.label, item.label, item.meta.date, item.meta.topic, item.url)]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--title", required=True)

    def scaffold(self, args: argparse.Namespace, config: Any, content_dir: Any, today: date, load: Any) -> Any:
        from pufa.scaffold import Scaffold

        text = f"---\ntitle: {args.title}\ndate: {today}\ndepartment: fayuan\ntopic: xianfa\nsummary: 摘要\n---\n"
        return Scaffold(content_dir / self.section / "new-notice.md", text)


NOTICE = NoticeKind()
Notice.kind = NOTICE
NOTICE_TEMPLATE = '{% extends "main.html" %}{% block content %}<h1 class="notice">{{ pufa.item.label }}</h1>{{ pufa.content }}{% endblock %}'
NOTICES_TEMPLATE = '{% extends "main.html" %}{% block content %}{% for n in pufa.view.data["items"] %}<a href="{{ n.url | url }}">{{ n.label }}</a>{% endfor %}{% endblock %}'


@pytest.fixture
def notice_kind(tmp_path: Path) -> Any:
    templates = tmp_path / "templates"
    (templates / "pufa").mkdir(parents=True)
    (templates / "pufa" / "notice.html").write_text(NOTICE_TEMPLATE, encoding="utf-8")
    (templates / "pufa" / "notices.html").write_text(NOTICES_TEMPLATE, encoding="utf-8")
    kinds.register(NOTICE)
    yield templates
    kinds.unregister(NOTICE)


def test_a_new_kind_is_one_class_and_one_template(minisite: Site, notice_kind: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    minisite.write("content/notices/tingdian.md", "---\ntitle: 法院开放日\ndate: 2026-03-10\ndepartment: fayuan\n"
                   "topic: xianfa\nsummary: 欢迎旁听。\n---\n\n依据【宪法第三十三条】。\n")
    campaign = campaign_of(minisite)
    notice = campaign.of("notice")[0]
    assert notice.citations and notice.citations[0].law == "xianfa"
    site = build_site(campaign.published(TODAY), TODAY)
    out = tmp_path / "plain"
    written = plain_renderer.render(site, out, notice_kind)
    assert "notices/tingdian/index.html" in written and "notices/index.html" in written
    page = (out / "notices/tingdian/index.html").read_text(encoding="utf-8")
    assert '<h1 class="notice">法院开放日</h1>' in page and "pufa-cite" in page
    assert "法院开放日" in (out / "feed.xml").read_text(encoding="utf-8")
    assert "公告,法院开放日" in (out / routes.report_csv()).read_bytes().decode("utf-8-sig")
    # Its department lists it in a section of its own, and the departments table counts it.
    department = BeautifulSoup((out / routes.output_path(routes.department("fayuan"))).read_text(encoding="utf-8"),
                               "html.parser")
    headings = [h2.get_text() for h2 in department.select("h2")]
    assert headings == ["课程", "《示例说法》节目", "活动", "公告"]
    notices = department.select_one("h2:-soup-contains('公告') + ul")
    assert [(a.get_text(), a["href"]) for a in notices.select("a")] == [("法院开放日", "../../notices/tingdian/")]
    other = BeautifulSoup((out / routes.output_path(routes.department("sifaju"))).read_text(encoding="utf-8"),
                          "html.parser")
    assert other.select_one("h2:-soup-contains('公告') + p.pufa-empty").get_text() == "暂无公告。"
    table = BeautifulSoup((out / routes.output_path(routes.departments())).read_text(encoding="utf-8"), "html.parser")
    assert [th.get_text() for th in table.select("thead th")] == ["部门", "课程", "节目", "活动", "公告"]
    row = next(tr for tr in table.select("tbody tr") if tr.td.get_text() == "县人民法院")
    assert row.select("td")[-1].get_text() == "1"
    # `pufa new notice` comes from the registry as well.
    monkeypatch.chdir(minisite.root)
    assert main(["new", "notice", "--title", "新公告"]) == 0, capsys.readouterr().err
    assert (minisite.root / "content/notices/new-notice.md").is_file()
    assert main(["check"]) == 0, capsys.readouterr().err


def test_items_are_immutable_after_resolve(minisite: Site) -> None:
    campaign = campaign_of(minisite)
    lesson = campaign.of("lesson")[0]
    assert isinstance(lesson.citations, tuple) and isinstance(campaign.items, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.citations = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        campaign.items = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        campaign.published(TODAY).unpublished["x"] = None  # type: ignore[index]


def test_each_file_is_read_once_per_build(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """pufa reads each Markdown file once; MkDocs renders the body pufa read and opens none itself."""
    from mkdocs.structure.files import File

    import pufa.sources

    reads: list[str] = []
    read_text = pufa.sources.read_text
    monkeypatch.setattr(pufa.sources, "read_text", lambda path, *a: reads.append(str(path)) or read_text(path, *a))
    content_string = File.content_string
    monkeypatch.setattr(File, "content_string", property(
        lambda self: reads.append(self.src_uri) or content_string.fget(self),  # type: ignore[attr-defined]
        content_string.fset))  # type: ignore[attr-defined]
    mkdocs_build(minisite, monkeypatch)
    markdown = sorted(str(p) for p in (minisite.root / "content").rglob("*.md"))
    assert sorted(r for r in reads if r.endswith(".md")) == markdown


def test_a_renderer_without_mkdocs_writes_the_same_site(minisite: Site, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = campaign_of(minisite)
    site = build_site(campaign.published(TODAY), TODAY)
    plain = plain_renderer.render(site, tmp_path / "plain")
    built = mkdocs_build(minisite, monkeypatch)
    theirs = {"404.html", "sitemap.xml", "sitemap.xml.gz"}
    content_files = {p.relative_to(minisite.root / "content").as_posix()
                     for p in (minisite.root / "content").rglob("*") if p.is_file() and p.suffix != ".md"}
    mkdocs_own = {path for path in built if path.removesuffix(".gz") in theirs or path.startswith(("assets/", "search/"))}
    # Precompressed copies depend on each page's size, which differs with the stub base template;
    # so do the search index's parts, named by their content (pagefind/fragment/und_<hash>…).
    def uncompressed(paths: set[str]) -> set[str]:
        return {path for path in paths if not path.endswith(".gz") and not re.match(r"pagefind/.*und_[0-9a-f]+", path)}

    assert uncompressed(plain) == uncompressed(built - mkdocs_own - content_files)
    for path in (routes.site_feed(), routes.podcast_feed(), routes.catalog(), routes.topic_feed("xianfa"),
                 routes.report_csv()):
        assert (tmp_path / "plain" / path).read_bytes() == (minisite.out / path).read_bytes(), path


def test_a_second_county_shows_no_trace_of_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another county, programme, taxonomy and laws: identity comes from site_config/ alone."""
    import shutil

    from conftest import MKDOCS_YML

    root = tmp_path / "qingshan"
    shutil.copytree(Path(__file__).parent / "fixtures" / "qingshan", root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today="2026-03-20"), encoding="utf-8")
    site = Site(root)
    built = mkdocs_build(site, monkeypatch)
    texts = {path: (site.out / path).read_bytes().decode("utf-8", "replace") for path in built
             if not path.startswith("assets/") and not path.endswith((".png", ".gz"))}
    assert "《青山说法》" in texts["radio/index.html"] and "青山说法" in texts["index.html"]
    assert "《青山说法》第1期：河长说河" in texts[routes.site_feed()]
    assert "护河宣讲" in texts["months/2026-03/index.html"] and "护河宣讲" in texts[routes.site_feed()]
    for word in ("安澜", "见事说法", "xianfa", "宪法"):
        assert not [path for path, text in texts.items() if word in text], word


def test_today_may_be_written_without_quotes(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """YAML reads an unquoted 2026-03-20 as a date: the documented form builds."""
    yml = minisite.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace('today: "2026-03-20"', "today: 2026-03-20"), encoding="utf-8")
    assert "index.html" in mkdocs_build(minisite, monkeypatch)


@pytest.mark.parametrize("value", [20260320, "2026-3-20", "明天", [2026]])
def test_a_bad_today_is_a_chinese_error(value: object) -> None:
    from pufa.dates import parse_today

    with pytest.raises(ValueError, match="mkdocs.yml: plugins.pufa.today: 日期 .* 应写作 2026-03-15"):
        parse_today(value)
    assert parse_today(date(2026, 3, 20)) == parse_today("2026-03-20") == parse_today(datetime(2026, 3, 20, 9)) == date(2026, 3, 20)
