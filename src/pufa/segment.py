"""Chinese word segmentation for search words and heading anchors.

Both need jieba's dictionary and its cuts: anchors are part of the URL contract,
and the search index must cut text the way readers' queries are matched. The
segmenter is jieba-rs (``rjieba``), the same dictionary and algorithm compiled:
about twenty times faster than jieba in Python, whose per-character work was half
of a county's build, and without jieba's 100 MB dictionary in the build process.

On Chinese text jieba-rs cuts exactly as jieba does; it differs only in keeping an
ASCII run with hyphens or underscores together (``2026-06-01``), where jieba cuts
at each such character. Anchors turn every such character into a hyphen, so they
come out the same (checked on 13,000 lines of content), and Pagefind cuts the run
at the punctuation itself.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from types import ModuleType


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def words(text: str) -> list[str]:
    """jieba's accurate-mode words of ``text`` (HMM on, so unknown names stay whole); joined they give ``text``."""
    return _jieba().cut(text, hmm=True)


@lru_cache(maxsize=65536)
def parts(word: str) -> tuple[str, ...]:
    """The search-mode parts of one word (未成年人 -> 未成, 成年, 未成年, 成年人), without the word itself."""
    if len(word) < 3 or not has_han(word):
        return ()
    found = dict.fromkeys(_jieba().cut_for_search(word, hmm=False))
    return tuple(part for part in found if part != word and part.strip())


@cache
def _jieba() -> ModuleType:
    """jieba-rs, loaded with its dictionary on first use: commands that segment nothing (``pufa --help``) skip it."""
    import rjieba

    return rjieba
