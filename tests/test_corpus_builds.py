"""Every case of the bad-input corpus, through a real (in-process) MkDocs build.

``pufa check`` reports each case (the corpus modules test that); here the
build must fail with the same located error and leave the previous output
byte-identical, whatever the failure.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from conftest import Site
from corpus import Case, apply, assert_reported

#: Test modules whose ``CASES`` make up the corpus.
CORPORA = ["test_bad_input", "test_strict_content", "test_hostile_files", "test_publishing", "test_html_policy", "test_redteam",
           "test_links", "test_new_site", "test_search_index", "test_pagination"]

ALL_CASES: list[Case] = [case for name in CORPORA for case in importlib.import_module(name).CASES]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def previous_output(site: Site) -> dict[str, bytes]:
    """A stand-in for the last good build: the failed build must not touch it."""
    site.write("site/index.html", "<!doctype html><title>上一次的输出</title>\n")
    site.write("site/lessons/index.html", "<!doctype html><title>课程</title>\n")
    (site.out / "feed.xml").write_bytes(b"<?xml version='1.0'?><rss/>\n")
    return snapshot(site.out)


def test_corpus_ids_are_unique() -> None:
    ids = [case.id for case in ALL_CASES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_failed_build_reports_case_and_keeps_output(
    minisite: Site, case: Case, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = previous_output(minisite)
    apply(minisite, case)
    monkeypatch.chdir(minisite.root)
    caplog.set_level(logging.WARNING)
    with pytest.raises(MkDocsException) as failure:
        build(load_config(str(minisite.root / "mkdocs.yml")))
    assert_reported("\n".join([str(failure.value), *caplog.messages]), case)
    assert snapshot(minisite.out) == before
