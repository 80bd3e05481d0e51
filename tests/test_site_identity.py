"""site.yml's county names: what each one names on the site (none is read by nothing)."""

from __future__ import annotations

from typing import Any

from conftest import Site
from pufa import routes
from pufa.site import generated_pages
from pufa.siteconfig import load_site_config

SITE_YML = "site_config/site.yml"


def load(site: Site) -> tuple[Any, list[Any]]:
    return load_site_config(site.root / "site_config", site.root)


def without(site: Site, *keys: str) -> None:
    lines = site.read(SITE_YML).splitlines(keepends=True)
    site.write(SITE_YML, "".join(line for line in lines if line.split(":", 1)[0] not in keys))


def test_the_report_is_the_countys(minisite: Site) -> None:
    config, errors = load(minisite)
    assert config is not None, errors
    assert generated_pages(config)[routes.report()] == "示例县普法责任制落实情况"


def test_the_short_name_names_site_and_campaign(minisite: Site) -> None:
    without(minisite, "title", "campaign")
    config, errors = load(minisite)
    assert config is not None, errors
    assert (config.site.title, config.site.campaign) == ("法治示例", "法治示例行")


def test_written_names_win_over_the_short_name(minisite: Site) -> None:
    minisite.write(SITE_YML, minisite.read(SITE_YML).replace("title: 法治示例\n", "title: 示例普法网\n"))
    config, errors = load(minisite)
    assert config is not None, errors
    assert (config.site.title, config.site.campaign) == ("示例普法网", "法治示例行")


def test_without_a_short_name_the_names_are_required(minisite: Site) -> None:
    without(minisite, "county_short", "campaign")
    config, errors = load(minisite)
    assert config is None
    assert [(e.path, e.field) for e in errors] == [(SITE_YML, "campaign")]
    assert "缺少必填字段" in errors[0].message
    without(minisite, "title")
    minisite.write(SITE_YML, minisite.read(SITE_YML) + "campaign: 法治示例行\n")
    config, errors = load(minisite)
    assert config is None and [(e.path, e.field) for e in errors] == [(SITE_YML, "title")]
