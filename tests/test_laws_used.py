"""laws.yml entries nobody cites: reported by `pufa check`, never shown on the site (issue 11, item 2)."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MINISITE, MKDOCS_YML, Site
from pufa.cli import main
from pufa.pipeline import load_campaign
from pufa.site import build_site
from pufa.siteconfig import load_site_config

TODAY = date(2026, 3, 20)
LAWS = "site_config/laws.yml"


def _lesson(slug: str, body: str, *, day: str = "2026-03-02", draft: bool = False) -> str:
    return (f"---\ntitle: 课{slug}\ntopic: xianfa\nslug: {slug}\naudiences: [qingshaonian]\ndepartment: sifaju\n"
            f"date: {day}\nsummary: 简介。\n{'draft: true' + chr(10) if draft else ''}---\n\n{body}\n")


@pytest.fixture
def citing(minisite: Site) -> Site:
    """宪法第五条 published; 民法典第1254条 only in a draft; 刑法第二百九十一条之二 only in a lesson
    scheduled after the build date; 宪法第三十三条 nowhere."""
    minisite.write("content/lessons/xianfa/wufa.md", _lesson("wufa", "根据【宪法第5条】，宪法是根本法。"))
    minisite.write("content/lessons/xianfa/caogao.md", _lesson("caogao", "【民法典第1254条】", draft=True))
    minisite.write("content/lessons/xianfa/jihua.md", _lesson("jihua", "【刑法第二百九十一条之二】", day="2026-04-02"))
    return minisite


def _line(site: Site, text: str) -> int:
    """1-based line of the first line of laws.yml that is exactly ``text``."""
    return site.read(LAWS).splitlines().index(text) + 1


def _check(site: Site, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["-f", str(site.root / "mkdocs.yml"), "check"])
    out = capsys.readouterr()
    return code, out.out + out.err


def _campaign(site: Site):  # type: ignore[no-untyped-def]
    config, errors = load_site_config(site.root / "site_config", site.root)
    assert config is not None, errors
    return load_campaign(site.root / "content", config)


def test_check_warns_at_each_law_and_article_nothing_cites(citing: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _check(citing, capsys)
    assert code == 0, output
    assert "Traceback" not in output
    warnings = [line for line in output.splitlines() if line.startswith(LAWS)]
    assert warnings == [
        f"{LAWS}:{_line(citing, '      33:')}: laws.xianfa.articles.33: "
        "没有任何内容引用《中华人民共和国宪法》第三十三条（草稿和定时发布的也没有），法条页不显示它：不再需要就删除这一条",
    ]
    # A draft's and a scheduled lesson's citations keep their laws: deleting them would break those lessons.


def test_a_law_nobody_cites_is_reported_at_its_key(minisite: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _check(minisite, capsys)
    assert code == 0
    assert f"{LAWS}:{_line(minisite, '  xingfa:')}: laws.xingfa: 没有任何内容引用《中华人民共和国刑法》" in output
    assert f"{LAWS}:{_line(minisite, '  minfadian:')}: laws.minfadian: " in output
    assert "laws.xingfa.articles" not in output  # the law, not each of its articles


def test_no_warning_when_everything_is_cited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "qingshan"
    shutil.copytree(MINISITE.parent / "qingshan", root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today="2026-03-20"), encoding="utf-8")
    code, output = _check(Site(root), capsys)
    assert code == 0 and "提示" not in output and "laws.yml" not in output, output


def test_law_pages_hold_only_what_the_build_publishes(citing: Site) -> None:
    campaign = _campaign(citing)
    site = build_site(campaign.published(TODAY), TODAY)
    pages = {page.url: page for page in site.pages}
    assert "laws/xianfa/" in pages
    assert "laws/minfadian/" not in pages  # cited by a draft only
    assert "laws/xingfa/" not in pages  # cited by a lesson not published yet
    assert [article["citation"].article for article in pages["laws/xianfa/"].context["view"].data["articles"]] == ["5"]
    index = pages["laws/"].context["view"].data["laws"]
    assert [(key, count) for key, _law, count in index] == [("xianfa", 1)]

    on_the_day = build_site(campaign.published(date(2026, 4, 2)), date(2026, 4, 2))
    assert "laws/xingfa/" in {page.url for page in on_the_day.pages}
    preview = build_site(campaign.published(TODAY, preview=True), TODAY)
    assert {"laws/minfadian/", "laws/xingfa/"} <= {page.url for page in preview.pages}


def test_a_strict_build_shows_cited_text_only_and_logs_the_warnings(
    citing: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(citing.root)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(load_config(str(citing.root / "mkdocs.yml"), strict=True))
    law = BeautifulSoup(citing.page("laws/xianfa"), "html.parser")
    assert [section["id"] for section in law.select(".pufa-article")] == ["article-5"]
    assert "中华人民共和国公民在法律面前一律平等。" not in law.get_text()  # article 33's text
    assert not (citing.out / "laws/xingfa").exists() and not (citing.out / "laws/minfadian").exists()
    index = BeautifulSoup(citing.page("laws"), "html.parser")
    assert [a.get_text() for a in index.select(".pufa-card__title")] == ["《中华人民共和国宪法》"]
    assert "本站引用 1 条" in index.get_text()
    logged = [record for record in caplog.records if "laws.xianfa.articles.33" in record.getMessage()]
    assert logged and all(record.levelno == logging.INFO for record in logged)


def test_a_site_that_cites_nothing_has_an_empty_laws_index(minisite: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The minisite's laws.yml holds three laws and no page cites any: none is shown."""
    monkeypatch.chdir(minisite.root)
    build(load_config(str(minisite.root / "mkdocs.yml"), strict=True))
    index = BeautifulSoup(minisite.page("laws"), "html.parser")
    assert index.select(".pufa-card") == []
    assert "本站还没有引用法律条文。" in index.select_one(".pufa-empty").get_text()
    assert sorted(path.name for path in (minisite.out / "laws").iterdir() if path.is_dir()) == []


def test_a_link_to_the_page_of_a_law_nobody_cites_is_an_error(minisite: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """That law has no page: the link would lead nowhere. (A law a draft cites has one in the preview
    and gets one on the site with the draft, so a link to it is left alone.)"""
    minisite.write("content/lessons/xianfa/wufa.md", _lesson("wufa", "【宪法第5条】"))
    text = "[宪法](/laws/xianfa/) 与 [刑法](/laws/xingfa/)"
    minisite.write("content/about.md", minisite.read("content/about.md") + f"\n{text}\n")
    line = minisite.read("content/about.md").splitlines().index(text) + 1
    code, output = _check(minisite, capsys)
    assert code == 1
    assert f"content/about.md:{line}: 正文: 链接 “/laws/xingfa/” 指向的页面或文件不存在" in output
    assert "/laws/xianfa/” 指向" not in output
