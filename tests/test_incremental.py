"""The live preview renders again only what an edit changes, and leaves nothing stale (pufa.incremental).

Dirty builds of the minisite in this process, with one plugin instance kept from build to
build as ``pufa serve`` keeps it: the first build renders every page; after an edit only
the pages that show what changed are rendered, yet the whole site is what a full build
makes of the new content.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import Site, inside
from pufa import routes

LESSON = "content/lessons/xianfa/quanli.md"
EDITED = "content/lessons/xianfa/xianfa-ri.md"


@pytest.fixture
def preview(minisite: Site, tmp_path: Path) -> Iterator[Callable[[], dict[str, float]]]:
    """Dirty builds into one folder, as the preview server makes them; each returns output -> mtime."""
    out = tmp_path / "preview"
    plugins: list[object] = []

    def rebuild() -> dict[str, float]:
        with inside(minisite.root):
            config = load_config("mkdocs.yml", site_dir=str(out))
            if plugins:
                config.plugins = plugins[0]  # type: ignore[assignment]
            else:
                plugins.append(config.plugins)
            config.plugins.on_startup(command="serve", dirty=True)
            build(config, dirty=True)
        return {path.relative_to(out).as_posix(): path.stat().st_mtime_ns for path in out.rglob("index.html")}

    yield rebuild
    if plugins:
        plugins[0].on_shutdown()  # type: ignore[attr-defined]  # MkDocs keeps the plugin for this process's next build


def _pages(site: Site, out: Path, *urls: str) -> list[str]:
    return [(out / routes.output_path(url)).read_text(encoding="utf-8") for url in urls]


def test_an_unchanged_site_renders_nothing_again(preview: Callable[[], dict[str, float]]) -> None:
    first = preview()
    assert len(first) > 10
    assert preview() == first  # not one page written again


def test_an_edit_renders_its_page_and_the_lists_that_show_it_and_nothing_else(
        minisite: Site, preview: Callable[[], dict[str, float]], tmp_path: Path) -> None:
    minisite.write(LESSON, minisite.read(LESSON).replace("正文。", "这一句只在未改的课程正文里。"))
    first = preview()
    # A lesson with a slug of its own: its URL stays (a new URL renders every page, whose links may change).
    minisite.write(EDITED, minisite.read(EDITED).replace("title: 国家宪法日", "title: 国家宪法日（改）")
                   .replace("学习宪法，遵守宪法。", "改过的正文。"))
    second = preview()
    rewritten = {path for path in second if second[path] != first.get(path)}
    out = tmp_path / "preview"
    showing = {path for path in second if "国家宪法日（改）" in (out / path).read_text(encoding="utf-8")}
    assert showing == rewritten  # rendered again: exactly the pages that show it
    assert {"lessons/xianfa/guojia-xianfa-ri/index.html", "lessons/index.html", "lessons/xianfa/index.html"} <= showing
    assert "lessons/xianfa/gongmin-de-jibenquanli/index.html" not in rewritten
    assert "改过的正文" in (out / "lessons/xianfa/guojia-xianfa-ri/index.html").read_text(encoding="utf-8")
    # Feeds carry every lesson's text, also of the lessons this build did not render.
    feed = (out / routes.topic_feed("xianfa")).read_text(encoding="utf-8")
    assert "改过的正文" in feed and "国家宪法日（改）" in feed and "公民的基本权利" in feed
    assert "这一句只在未改的课程正文里" in feed


def test_a_configuration_change_renders_every_page(minisite: Site, preview: Callable[[], dict[str, float]]) -> None:
    first = preview()
    site_yml = minisite.read("site_config/site.yml")
    minisite.write("site_config/site.yml", site_yml.replace("organizer: ", "organizer: 新", 1))
    second = preview()
    assert all(second[path] != first[path] for path in first)


def test_a_removed_lesson_leaves_no_page_behind(minisite: Site, preview: Callable[[], dict[str, float]],
                                                tmp_path: Path) -> None:
    first = preview()
    lesson_pages = {path for path in first if path.startswith("lessons/xianfa/") and path.count("/") == 3}
    os.remove(minisite.root / LESSON)
    second = preview()
    gone = lesson_pages - set(second)
    assert len(gone) == 1 and not (tmp_path / "preview" / gone.pop()).exists()
    assert "公民的基本权利" not in (tmp_path / "preview" / "lessons/index.html").read_text(encoding="utf-8")
