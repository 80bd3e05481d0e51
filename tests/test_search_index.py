"""The search index (pufa.search): jieba words with their parts, filters, ignored hover text.

Built once from the search fixture site (tests/search_site.py) whose expected hits are known;
the browser side is in test_search_browser.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import Site, build_in_process
from corpus import Case, check_case, lesson
from pufa.search import BUNDLE_DIR, KEEP, PART_CLOSE, PART_OPEN, UNUSED_BUNDLE_FILES, index_text, read_fragments, shown
from pufa.segment import parts
from search_site import CHILD, EPISODE, LAW, WAGE, write_search_site


#: Content in the way of the search index folder, which every build writes anew.
CASES = [
    Case("search-file-in-index-folder", {"content/pagefind/pagefind-entry.json": "{}\n"},
         "content/pagefind/pagefind-entry.json", 1, "", "与网站生成的文件 /pagefind/pagefind-entry.json（站内搜索索引）同名"),
    Case("search-alias-on-index-folder", {"content/lessons/xianfa/new.md": lesson(aliases="[/pagefind/]")},
         "content/lessons/xianfa/new.md", 8, "aliases[0]", "旧网址 /pagefind/ 与网站生成的文件 /pagefind/（站内搜索索引）冲突"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_reported(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def indexed_words(text: str) -> list[str]:
    """The words Pagefind indexes from ``text``: whitespace apart, marks dropped (they are no word characters)."""
    return [re.sub(r"[^\w]", "", token) for token in text.split()]


@pytest.mark.parametrize("text", [
    "依据未成年人保护法第二条，拖欠农民工工资的，由施工单位清偿。",
    "拨打 12348 法律援助热线",
    "2026年12月4日是国家宪法日",
    "Article 5 of the law",
    "未成年人 保护",
    "  ",
    "\n  第 2 页\n",
])
def test_reader_sees_the_text_as_written(text: str) -> None:
    assert shown(index_text(text)) == text


def test_an_excerpt_cut_inside_a_group_of_parts_shows_no_part() -> None:
    """Pagefind's excerpts are windows of a page's words: one may begin or end among the parts."""
    marked = index_text("学习未成年人保护法，拨打 12348")
    opened, closed = marked.index(PART_OPEN), marked.index(PART_CLOSE)
    assert shown(marked[opened + 3:]) == "未成年人保护法，拨打 12348"
    assert shown(marked[:closed - 3]) == "学习"
    assert KEEP in marked and shown(marked[marked.index(KEEP):]) == " 12348"


def test_compound_word_is_found_by_its_parts() -> None:
    words = indexed_words(index_text("学习未成年人保护法"))
    assert {"未成年人", "保护法", "成年人", "未成年", "保护"} <= set(words)
    assert "未成年人保护法" not in words or "未成年人" in words  # whichever jieba cuts, the part is there


def test_parts_are_marked_and_the_word_itself_is_not_a_part() -> None:
    assert parts("未成年人") and "未成年人" not in parts("未成年人")
    assert parts("宪法") == () and parts("12348") == ()
    marked = index_text("未成年人")
    assert marked == f"{PART_OPEN} {' '.join(parts('未成年人'))} {PART_CLOSE} 未成年人 "
    assert " 成年人 " in marked  # every mark is a token of its own: Pagefind indexes the words bare


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = write_search_site(tmp_path_factory.mktemp("search") / "site")
    result = site.build()
    assert result.returncode == 0, result.output
    return site


@pytest.fixture(scope="module")
def fragments(built: Site) -> dict[str, dict]:
    return {url.strip("/") + "/" if url != "/" else "": fragment
            for url, fragment in read_fragments(built.out / BUNDLE_DIR).items()}  # type: ignore[misc]


def test_pages_carry_their_kind_topic_audience_and_grades(fragments: dict[str, dict]) -> None:
    assert fragments[WAGE]["filters"] == {"kind": ["课程"], "topic": ["民法典"], "audience": ["务工人员"]}
    assert fragments[CHILD]["filters"] == {"kind": ["课程"], "topic": ["未成年人保护法"], "audience": ["青少年和学生"],
                                           "grade": ["小学", "初中"]}
    assert fragments[EPISODE]["filters"]["kind"] == ["节目"]
    assert fragments["months/2026-03/"]["filters"]["kind"] == ["每月主题"]
    assert fragments[LAW]["filters"] == {"kind": ["法条"]}
    assert "kind" not in fragments["lessons/"]["filters"]  # an index page is no kind of its own


def test_titles_are_shown_as_written(fragments: dict[str, dict]) -> None:
    assert fragments[WAGE]["meta"]["title"] == "工资被拖欠了怎么办"
    assert fragments[LAW]["meta"]["title"] == "《中华人民共和国宪法》"


def test_citation_hover_text_is_not_page_text_but_the_law_page_indexes_the_article(fragments: dict[str, dict]) -> None:
    wage = shown(fragments[WAGE]["content"])
    assert "拨打 12348 法律援助热线" in wage and "第三十三条" in wage  # the citation's label stays
    assert "尊重和保障人权" not in wage
    assert "尊重和保障人权" in shown(fragments[LAW]["content"])


def test_compound_in_the_text_is_indexed_with_its_parts(fragments: dict[str, dict]) -> None:
    content = fragments[WAGE]["content"]
    assert "家长学习未成年人保护法" in shown(content)
    assert {"未成年人", "成年人", "保护法"} <= set(indexed_words(content))


def test_bundle_holds_the_engine_and_no_other_index(built: Site) -> None:
    bundle = built.out / BUNDLE_DIR
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.unknown.pagefind").is_file()
    assert not [name for name in UNUSED_BUNDLE_FILES if (bundle / name).exists()]
    assert not (built.out / "search").exists()
    page = built.page(WAGE)
    assert 'data-pufa-search="../../../pagefind/"' in page and 'name="search"' not in page


def test_material_search_plugin_still_listed_is_reported_and_ships_no_second_index(tmp_path: Path) -> None:
    site = write_search_site(tmp_path / "site")
    config = site.read("mkdocs.yml").replace("plugins:\n", "plugins:\n  - search:\n      lang: zh\n")
    site.write("mkdocs.yml", config)
    line = config.splitlines().index("  - search:") + 1
    message = f"mkdocs.yml:{line}: plugins: pufa 已自带站内搜索"
    lenient = build_in_process(site.root / "mkdocs.yml", strict=False)
    assert lenient.returncode == 0 and message in lenient.output, lenient.output
    checked = site.pufa("check")  # the editor's check says so too, before any build
    assert checked.returncode == 0 and message in checked.output, checked.output
    assert not (site.out / "search").exists() and (site.out / BUNDLE_DIR / "pagefind.js").is_file()
    # Listed after pufa, Material writes its index after pufa's step: still reported, and --strict fails.
    after = site.read("mkdocs.yml").replace("  - search:\n      lang: zh\n", "").replace("markdown_extensions:", "  - search\nmarkdown_extensions:")
    site.write("mkdocs.yml", after)
    message = f"mkdocs.yml:{after.splitlines().index('  - search') + 1}: plugins: pufa 已自带站内搜索"
    strict = site.build()
    assert strict.returncode == 1 and message in strict.output and "Traceback" not in strict.output, strict.output


def _plain_site(minisite: Site) -> object:
    """The minisite as the core gives it to a renderer."""
    from test_site_core import TODAY, campaign_of

    from pufa.site import build_site

    return build_site(campaign_of(minisite).published(TODAY), TODAY)


def test_a_renderer_without_material_is_indexed_from_its_main_element(minisite: Site, tmp_path: Path) -> None:
    """The index is the core's: any renderer's pages are indexed, here the test renderer's <main>."""
    import plain_renderer

    plain_renderer.render(_plain_site(minisite), tmp_path / "plain")  # type: ignore[arg-type]
    fragments = read_fragments(tmp_path / "plain" / BUNDLE_DIR)
    lesson = fragments["/lessons/xianfa/guojia-xianfa-ri/"]
    assert lesson["filters"]["kind"] == ["课程"] and "宪法是国家的根本法" in shown(str(lesson["content"]))


def test_index_is_written_where_an_event_loop_already_runs(minisite: Site, tmp_path: Path) -> None:
    """Playwright's synchronous API (and any asynchronous host) runs a loop in the building thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import plain_renderer

    site = _plain_site(minisite)

    async def render_inside_a_loop() -> None:
        plain_renderer.render(site, tmp_path / "plain")  # type: ignore[arg-type]

    # In a thread of its own: where browser tests ran before, Playwright's loop runs in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, render_inside_a_loop()).result()
    assert "/lessons/xianfa/guojia-xianfa-ri/" in read_fragments(tmp_path / "plain" / BUNDLE_DIR)


def test_bundle_does_not_depend_on_the_order_pagefind_wrote_its_filters_in(built: Site, tmp_path: Path) -> None:
    """Pagefind lists filters in a random order per run; pufa fixes it (pufa.search_files)."""
    from pufa.search_files import _FILTERS, _read, _write, make_reproducible

    def snapshot(bundle: Path) -> dict[str, bytes]:
        return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}

    bundle = shutil.copytree(built.out / BUNDLE_DIR, tmp_path / "bundle")
    (meta_path,) = bundle.glob("*.pf_meta")
    meta = _read(meta_path)
    meta[_FILTERS].reverse()  # as another run of Pagefind may write them, under the same names
    _write(meta_path, meta)
    for chunk_path in (bundle / "filter").glob("*.pf_filter"):
        chunk = _read(chunk_path)
        chunk[1].reverse()
        _write(chunk_path, chunk)
    assert snapshot(bundle) != snapshot(built.out / BUNDLE_DIR)
    make_reproducible(bundle)
    assert snapshot(bundle) == snapshot(built.out / BUNDLE_DIR)


def test_law_articles_are_anchored_results_of_their_own(fragments: dict[str, dict]) -> None:
    anchors = {anchor["id"]: anchor for anchor in fragments[LAW]["anchors"]}
    assert "article-33" in anchors and anchors["article-33"]["element"] == "h2"
    assert "article-5" not in anchors  # never cited: the law page does not list it
