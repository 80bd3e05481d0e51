"""The build cache: what changes misses, what does not hits, and a damaged cache is only slower."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import pytest

import pufa.cache
from pufa import routes
from pufa.cache import Cache
from pufa.pipeline import ITEMS, load_campaign
from pufa.search import BUNDLE_DIR, BUNDLES as SEARCH_BUNDLES, RECORDS as SEARCH_RECORDS, read_fragments, shown
from pufa.siteconfig import load_site_config

from conftest import Site, build_in_process

LESSON = "content/lessons/xianfa/quanli.md"


def _load(site: Site, cache: Cache):
    config, errors = load_site_config(site.root / "site_config", site.root)
    assert config is not None, errors
    return load_campaign(site.root / "content", config, cache=cache)


def _hits(cache: Cache) -> tuple[int, int]:
    return cache.stats[ITEMS, "hit"], cache.stats[ITEMS, "miss"] + cache.stats[ITEMS, "damaged"]


def _lesson(campaign, title: str):
    return next(item for item in campaign.of("lesson") if item.title == title)


def test_unchanged_files_come_from_the_cache(minisite: Site, tmp_path: Path) -> None:
    cold = _load(minisite, Cache(tmp_path / "c"))
    warm_cache = Cache(tmp_path / "c")
    warm = _load(minisite, warm_cache)
    hits, misses = _hits(warm_cache)
    assert misses == 0 and hits == len(cold.items) > 0
    assert [(i.url, i.title, i.body) for i in warm.items] == [(i.url, i.title, i.body) for i in cold.items]


def test_an_edited_file_misses_alone_and_shows_its_change(minisite: Site, tmp_path: Path) -> None:
    total = len(_load(minisite, Cache(tmp_path / "c")).items)
    minisite.write(LESSON, minisite.read(LESSON).replace("正文。", "改过的正文。"))
    cache = Cache(tmp_path / "c")
    campaign = _load(minisite, cache)
    assert _hits(cache) == (total - 1, 1)
    assert "改过的正文" in _lesson(campaign, "公民的基本权利").body


def test_a_configuration_change_misses_everything(minisite: Site, tmp_path: Path) -> None:
    _load(minisite, Cache(tmp_path / "c"))
    taxonomy = "site_config/taxonomy.yml"
    minisite.write(taxonomy, minisite.read(taxonomy).replace("name: 宪法", "name: 中华人民共和国宪法"))
    cache = Cache(tmp_path / "c")
    _load(minisite, cache)
    assert _hits(cache)[0] == 0


def test_another_pufa_version_misses_everything(minisite: Site, tmp_path: Path, monkeypatch) -> None:
    _load(minisite, Cache(tmp_path / "c"))
    monkeypatch.setattr(pufa.cache, "__version__", "99.0")
    pufa.cache.code_version.cache_clear()
    try:
        cache = Cache(tmp_path / "c")
        _load(minisite, cache)
        assert _hits(cache)[0] == 0
    finally:
        pufa.cache.code_version.cache_clear()


def test_a_file_with_an_error_is_reported_on_every_run(minisite: Site, tmp_path: Path) -> None:
    from pufa.errors import ContentErrors

    minisite.write(LESSON, minisite.read(LESSON).replace("topic: xianfa", "topic: 不存在"))
    for _ in range(2):
        with pytest.raises(ContentErrors) as raised:
            _load(minisite, Cache(tmp_path / "c"))
        assert any(e.path == LESSON and e.field == "topic" for e in raised.value.errors)


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated by a crash
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
    lambda data: b"not a cache entry",
    lambda data: b"",
])
def test_a_damaged_entry_is_ignored_and_rebuilt(minisite: Site, tmp_path: Path, damage) -> None:
    total = len(_load(minisite, Cache(tmp_path / "c")).items)
    entries = sorted((tmp_path / "c" / ITEMS).rglob("*"))
    entries = [path for path in entries if path.is_file()]
    victim = entries[0]
    victim.write_bytes(damage(victim.read_bytes()))
    cache = Cache(tmp_path / "c")
    assert len(_load(minisite, cache).items) == total
    assert cache.stats[ITEMS, "damaged"] + cache.stats[ITEMS, "miss"] == 1
    again = Cache(tmp_path / "c")  # rebuilt: every entry hits again
    _load(minisite, again)
    assert _hits(again) == (total, 0)


def test_a_value_that_unpickles_wrongly_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("x", "k" * 64, {"a": 1})
    assert cache.get("x", "k" * 64) == {"a": 1}
    path = tmp_path / "x" / "kk" / ("k" * 64)
    payload = b"\x80\x05cno_such_module\nthing\n."  # a valid checksum over a pickle that cannot load
    import hashlib

    path.write_bytes(pufa.cache._MAGIC + hashlib.sha256(payload).digest() + payload)
    assert cache.get("x", "k" * 64) is None and not path.exists()


def test_an_unwritable_cache_directory_only_disables_caching(minisite: Site, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = Cache(blocker / "c")
    assert len(_load(minisite, cache).items) > 0
    assert _hits(cache)[0] == 0


def test_the_cache_is_bounded_least_recently_used_first(tmp_path: Path) -> None:
    import os

    cache = Cache(tmp_path, max_bytes=3000)
    for index in range(6):
        key = f"{index:064d}"
        cache.put("x", key, b"x" * 900)
        os.utime(tmp_path / "x" / key[:2] / key, (1000 + index, 1000 + index))
    assert cache.prune() == 3
    assert [cache.get("x", f"{index:064d}") is not None for index in range(6)] == [False] * 3 + [True] * 3


def test_a_warm_build_is_byte_identical_to_a_cold_one(minisite: Site) -> None:
    assert build_in_process(minisite.root / "mkdocs.yml", site_dir=str(minisite.root / "cold")).returncode == 0
    assert (minisite.root / ".cache" / "pufa" / "pages").is_dir()
    warm = build_in_process(minisite.root / "mkdocs.yml", site_dir=str(minisite.root / "warm"))
    assert warm.returncode == 0, warm.output
    for namespace in ("pages", SEARCH_RECORDS, SEARCH_BUNDLES):  # Markdown, search records and the search bundle
        hits = re.search(rf"{namespace} (\d+)/(\d+)", warm.output)
        assert hits and hits[1] == hits[2] != "0", (namespace, warm.output)
    compared = filecmp.dircmp(minisite.root / "cold", minisite.root / "warm")

    def differences(cmp: filecmp.dircmp) -> list[str]:
        found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        return found + [name for sub in cmp.subdirs.values() for name in differences(sub)]

    assert differences(compared) == []
    # Byte for byte, not just by size and time (filecmp's shallow compare).
    for path in (minisite.root / "cold").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (minisite.root / "warm" / path.relative_to(minisite.root / "cold")).read_bytes()


def test_search_records_are_kept_for_the_preview_s_address(minisite: Site) -> None:
    """The preview builds the same pages for its own address (the canonical link in each page's head):
    their search records are the site's, so a preview started after a build does not index every page anew."""
    assert minisite.build().returncode == 0
    yml = minisite.read("mkdocs.yml")
    minisite.write("mkdocs.yml", "site_url: http://127.0.0.1:8123/\n" + yml)
    result = minisite.build()
    assert result.returncode == 0, result.output
    assert 'href="http://127.0.0.1:8123/' in minisite.page("lessons")  # the pages did change
    records = re.search(rf"{SEARCH_RECORDS} (\d+)/(\d+)", result.output)
    assert records and records[1] == records[2] != "0", result.output


def test_an_edited_lesson_is_right_on_its_page_and_its_lists_after_a_warm_build(minisite: Site) -> None:
    assert minisite.build().returncode == 0
    text = minisite.read(LESSON).replace("title: 公民的基本权利", "title: 公民的基本权利和义务").replace("正文。", "新的正文。")
    minisite.write(LESSON, text)
    result = minisite.build()
    assert result.returncode == 0, result.output
    lessons = [path for path in minisite.out.rglob("index.html") if "新的正文" in path.read_text(encoding="utf-8")]
    assert lessons, "the edited body is on the lesson's page"
    assert "公民的基本权利和义务" in minisite.page("lessons")
    feed = minisite.out / routes.topic_feed("xianfa")
    assert "公民的基本权利和义务" in feed.read_text(encoding="utf-8")
    indexed = {url: shown(str(fragment["content"])) for url, fragment in read_fragments(minisite.out / BUNDLE_DIR).items()}
    assert any("新的正文" in text for text in indexed.values())  # searchable at once
    records = re.search(rf"{SEARCH_RECORDS} (\d+)/(\d+)", result.output)
    assert records and 0 < int(records[1]) < int(records[2]), result.output  # only changed pages indexed anew
    assert re.search(rf"{SEARCH_BUNDLES} 0/1", result.output), result.output


def test_a_cache_directory_inside_the_content_is_refused_at_its_line(minisite: Site) -> None:
    yml = (minisite.root / "mkdocs.yml").read_text(encoding="utf-8")
    yml = yml.replace('      today: "2026-03-20"\n', '      today: "2026-03-20"\n      cache_dir: content/.cache\n')
    (minisite.root / "mkdocs.yml").write_text(yml, encoding="utf-8")
    line = yml.splitlines().index("      cache_dir: content/.cache") + 1
    result = minisite.build()
    assert result.returncode != 0
    assert f"mkdocs.yml:{line}: cache_dir: " in result.output and "Traceback" not in result.output
    assert not (minisite.root / "content" / ".cache").exists()


def test_pruning_removes_only_cache_entries(tmp_path: Path) -> None:
    (tmp_path / "x" / "ab").mkdir(parents=True)
    foreign = tmp_path / "x" / "ab" / "notes.txt"
    foreign.write_text("x" * 5000)
    cache = Cache(tmp_path, max_bytes=10)
    cache.put("x", "ab" + "0" * 62, b"y" * 100)
    assert cache.prune() == 1
    assert foreign.exists()


def test_a_page_linking_to_a_moved_lesson_renders_the_new_link(minisite: Site) -> None:
    other = "content/lessons/xianfa/xianfa-ri.md"
    minisite.write(LESSON, minisite.read(LESSON).replace("正文。", "正文，另见[宪法日](xianfa-ri.md)。"))
    assert minisite.build().returncode == 0
    page = next(p for p in minisite.out.rglob("index.html") if "另见" in p.read_text(encoding="utf-8"))
    before = re.search(r'href="([^"]*)">宪法日<', page.read_text(encoding="utf-8"))[1]  # type: ignore[index]
    text = minisite.read(other)
    moved = re.sub(r"^title: (.*)$", r"title: \1\nslug: xianfari-new", text, count=1, flags=re.M)
    if "slug:" in text:
        moved = re.sub(r"^slug: .*$", "slug: xianfari-new", text, count=1, flags=re.M)
    minisite.write(other, moved)
    month = "content/months/2026-03.md"
    minisite.write(month, minisite.read(month).replace("xianfa/guojia-xianfa-ri", "xianfa/xianfari-new"))
    result = minisite.build()
    assert result.returncode == 0, result.output
    after = re.search(r'href="([^"]*)">宪法日<', page.read_text(encoding="utf-8"))[1]  # type: ignore[index]
    assert after != before and "xianfari-new" in after


def test_an_episode_whose_audio_changed_is_checked_again(minisite: Site, tmp_path: Path) -> None:
    import shutil

    from conftest import FIXTURE_MP3
    from pufa.errors import ContentErrors

    episode = "content/radio/ep001.md"
    shutil.copy(FIXTURE_MP3, minisite.root / "content" / "radio" / "ep001.mp3")
    minisite.write(episode, minisite.read(episode).replace("guests:", "audio: ep001.mp3\nguests:", 1))
    first = _load(minisite, Cache(tmp_path / "c"))
    assert next(iter(first.of("episode"))).audio.duration > 90
    (minisite.root / "content" / "radio" / "ep001.mp3").write_bytes(b"not audio at all")
    with pytest.raises(ContentErrors) as raised:
        _load(minisite, Cache(tmp_path / "c"))
    assert any(e.path == episode and e.field == "audio" for e in raised.value.errors), raised.value.report()


def test_templates_compiled_by_an_earlier_build_are_not_compiled_again(tmp_path: Path, monkeypatch) -> None:
    """A new `mkdocs build` process finds the theme's templates compiled in the build cache;
    an edited template is compiled anew."""
    import jinja2

    from pufa import pagecache

    sources = {"page.html": "<p>{{ text }}</p>"}

    def render(cache: Cache) -> str:
        monkeypatch.setattr(pagecache, "COMPILED_TEMPLATES", pagecache.CompiledTemplates())  # a new process
        env = jinja2.Environment(loader=jinja2.DictLoader(sources), autoescape=True,
                                 bytecode_cache=pagecache.PageRenders(cache).templates)
        return env.get_template("page.html").render(text="<b>")

    cache = Cache(tmp_path / "cache")
    assert render(cache) == "<p>&lt;b&gt;</p>"
    assert cache.stats[pagecache.TEMPLATES, "miss"] == 1
    compiled = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert render(cache) == "<p>&lt;b&gt;</p>"
    assert cache.stats[pagecache.TEMPLATES, "hit"] == 1
    monkeypatch.setattr(jinja2.Environment, "compile", compiled)
    sources["page.html"] = "<div>{{ text }}</div>"
    assert render(cache) == "<div>&lt;b&gt;</div>"
