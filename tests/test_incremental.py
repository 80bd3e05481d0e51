"""The live preview renders again only what an edit changes, and leaves nothing stale (pufa.incremental).

Dirty builds of the minisite in this process, with one plugin instance kept from build to
build as ``pufa serve`` keeps it: the first build renders every page; after an edit only
the pages that show what changed are rendered, yet the whole site is what a full build
makes of the new content.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import Site, inside
from pufa import routes
from pufa.errors import ContentErrors
from pufa.pipeline import Reuse, load_campaign
from pufa.siteconfig import load_site_config

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


def test_files_besides_pages_are_written_again_only_when_their_bytes_change(
        minisite: Site, preview: Callable[[], dict[str, float]], tmp_path: Path) -> None:
    out = tmp_path / "preview"
    preview()
    feed, site_feed = out / routes.topic_feed("xianfa"), out / routes.site_feed()
    written = {path: path.stat().st_mtime_ns for path in (feed, site_feed, out / routes.catalog())}
    preview()
    assert {path: path.stat().st_mtime_ns for path in written} == written
    catalog = (out / routes.catalog()).read_bytes()
    (out / routes.catalog()).unlink()  # a file changed behind the preview's back is written again, not trusted
    site_feed.write_bytes(b"")
    preview()
    assert (out / routes.catalog()).read_bytes() == catalog and site_feed.stat().st_size > 0
    minisite.write(LESSON, minisite.read(LESSON).replace("正文。", "又改过的正文。"))
    preview()
    assert "又改过的正文" in feed.read_text(encoding="utf-8") and "又改过的正文" in site_feed.read_text(encoding="utf-8")


# -- the items of the previous build (pufa.pipeline.Reuse) ----------------------------------------

def _campaign(site: Site, reuse: Reuse):
    config, errors = load_site_config(site.root / "site_config", site.root)
    assert config is not None, errors
    return load_campaign(site.root / "content", config, reuse=reuse)


def _same(first, second) -> set[str]:
    """The files whose item in ``second`` is the very object of ``first``."""
    before = {item.source.src_uri: item for item in first.items}
    return {item.source.src_uri for item in second.items if before.get(item.source.src_uri) is item}


def test_the_next_build_reuses_the_items_of_unchanged_files_and_reads_an_edited_one(minisite: Site) -> None:
    reuse = Reuse()
    first = _campaign(minisite, reuse)
    assert _same(first, _campaign(minisite, reuse)) == {item.source.src_uri for item in first.items}
    minisite.write(LESSON, minisite.read(LESSON).replace("正文。", "改过的正文。"))
    second = _campaign(minisite, reuse)
    assert _same(first, second) == {item.source.src_uri for item in first.items} - {LESSON.removeprefix("content/")}
    assert "改过的正文" in next(item for item in second.items if item.source.src_uri.endswith("quanli.md")).body


def test_a_configuration_change_reads_every_file_again(minisite: Site) -> None:
    reuse = Reuse()
    first = _campaign(minisite, reuse)
    minisite.write("site_config/taxonomy.yml", minisite.read("site_config/taxonomy.yml").replace("name: 宪法", "name: 中华人民共和国宪法"))
    assert _same(first, _campaign(minisite, reuse)) == set()


def test_a_reused_file_with_an_error_is_reported_on_every_build(minisite: Site) -> None:
    reuse = Reuse()
    _campaign(minisite, reuse)
    minisite.write(LESSON, minisite.read(LESSON).replace("topic: xianfa", "topic: 不存在"))
    for _ in range(2):
        with pytest.raises(ContentErrors) as raised:
            _campaign(minisite, reuse)
        assert any(e.path == LESSON and e.field == "topic" for e in raised.value.errors)


def test_a_file_swapped_for_a_link_out_of_the_content_is_refused_not_reused(minisite: Site, tmp_path: Path) -> None:
    reuse = Reuse()
    _campaign(minisite, reuse)
    outside = tmp_path / "outside.md"
    outside.write_text(minisite.read(LESSON), encoding="utf-8")  # the same bytes, elsewhere
    (minisite.root / LESSON).unlink()
    (minisite.root / LESSON).symlink_to(outside)
    with pytest.raises(ContentErrors) as raised:
        _campaign(minisite, reuse)
    assert any(e.path == LESSON and "符号链接" in e.message for e in raised.value.errors), raised.value.report()


def test_an_episode_whose_audio_changed_is_read_again(minisite: Site) -> None:
    import shutil

    from conftest import FIXTURE_MP3

    episode = "content/radio/ep001.md"
    shutil.copy(FIXTURE_MP3, minisite.root / "content" / "radio" / "ep001.mp3")
    minisite.write(episode, minisite.read(episode).replace("guests:", "audio: ep001.mp3\nguests:", 1))
    reuse = Reuse()
    first = _campaign(minisite, reuse)
    assert "radio/ep001.md" in _same(first, _campaign(minisite, reuse))
    with (minisite.root / "content" / "radio" / "ep001.mp3").open("ab") as audio:
        audio.write(b"\0" * 417)  # the .md file itself is untouched
    assert "radio/ep001.md" not in _same(first, _campaign(minisite, reuse))


def test_for_the_search_index_the_preview_reads_only_the_pages_it_wrote_again(
        minisite: Site, preview: Callable[[], dict[str, float]], monkeypatch: pytest.MonkeyPatch) -> None:
    from pufa import search
    from pufa.cache import Cache

    looked_up: list[str] = []
    original = Cache.get

    def get(self: Cache, namespace: str, key: str) -> object:
        if namespace == search.RECORDS:
            looked_up.append(key)
        return original(self, namespace, key)

    monkeypatch.setattr(Cache, "get", get)
    first = preview()
    assert len(looked_up) >= len(first)
    looked_up.clear()
    assert preview() == first and looked_up == []
    minisite.write(EDITED, minisite.read(EDITED).replace("学习宪法，遵守宪法。", "改过的正文。"))
    second = preview()
    assert 1 <= len(looked_up) == sum(second[path] != first.get(path) for path in second)


def _index_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("pufa-search-")]


def test_the_preview_indexes_the_last_build_for_search_in_the_background(
        minisite: Site, preview: Callable[[], dict[str, float]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pufa import search

    monkeypatch.setattr(search, "QUIET_SECONDS", 0.0)
    preview()
    minisite.write(EDITED, minisite.read(EDITED).replace("学习宪法，遵守宪法。", "预览里刚改的正文。"))
    preview()
    for thread in _index_threads():
        thread.join(timeout=60)
    indexed = {url: search.shown(str(fragment["content"]))
               for url, fragment in search.read_fragments(tmp_path / "preview" / search.BUNDLE_DIR).items()}
    assert any("预览里刚改的正文" in text for text in indexed.values()), indexed.keys()


def test_an_index_a_newer_build_overtakes_while_it_waits_is_never_started(
        preview: Callable[[], dict[str, float]], monkeypatch: pytest.MonkeyPatch) -> None:
    from pufa import search

    started: list[Path] = []
    monkeypatch.setattr(search, "QUIET_SECONDS", 600.0)
    monkeypatch.setattr(search, "_index", lambda entries, output, cache, key: started.append(output))
    preview()
    (first,) = _index_threads()
    preview()  # the editor saved again within the quiet time
    first.join(timeout=10)
    assert not first.is_alive() and started == []
    search.abandon_background_index()  # the preview stops
    for thread in _index_threads():
        thread.join(timeout=10)
    assert not _index_threads() and started == []


def test_an_index_running_when_a_newer_build_comes_is_stopped_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import pagefind_bin_extended

    from pufa import search

    pid_file = tmp_path / "pid"
    slow = tmp_path / "slow-pagefind"  # stands in for a Pagefind run of a thousand lessons
    slow.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setattr(pagefind_bin_extended, "get_executable", lambda: slow)
    newer = threading.Event()
    threading.Timer(0.5, newer.set).start()
    began = time.monotonic()
    with pytest.raises(search._Abandoned):
        search._write([search.Record("/a/", "<html><body>甲</body></html>", "a/index.html")], tmp_path / "out", newer.is_set)
    assert time.monotonic() - began < 10
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left running


def test_what_is_derived_from_an_item_is_made_once_per_item_and_goes_with_it() -> None:
    import gc
    import weakref

    from pufa.kinds.base import per_item

    class Thing:  # stands for an item: per_item keys by the object, weakly
        pass

    made: list[str] = []

    @per_item
    def derived(thing: Thing, suffix: str) -> str:
        made.append(suffix)
        return f"{id(thing)}{suffix}"

    first, second = Thing(), Thing()
    assert derived(first, "!") == derived(first, "!") == f"{id(first)}!"
    assert derived(second, "?") == f"{id(second)}?"
    assert made == ["!", "?"]  # once per object, whatever the calls
    held = weakref.ref(first)
    del first
    gc.collect()
    assert held() is None  # what was derived does not keep an edited file's old item alive
    assert derived(second, "?") == f"{id(second)}?" and made == ["!", "?"]
