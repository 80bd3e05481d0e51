"""ASCII slugs and heading anchors for Chinese text.

URLs are printed on handouts and stored by podcast apps, so they are ASCII and
lower-case; pinyin keeps them readable for the people who type them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from . import segment

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG_PATTERN)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def is_slug(value: str) -> bool:
    return bool(_SLUG_RE.match(value))


def _segmenter() -> Callable[[str], list[str]]:
    return segment.words


@lru_cache(maxsize=65536)
def slugify(text: str, max_length: int = 60) -> str:
    """``'12月4日，国家宪法日'`` -> ``'12-yue-4-ri-guojia-xianfari'``.

    Words (segmented with jieba) become their toneless pinyin, one hyphen
    between words, so ``guojia-xianfa`` reads as Chinese readers chunk it;
    ü is written ``v`` as on pinyin keyboards. Anything that is not an ASCII
    letter or digit becomes a hyphen, and long titles are cut between words.

    Cached: segmenting and romanising cost about a millisecond a heading, and a
    county's lessons repeat the same headings (案例, 法律怎么说 …) hundreds of times.
    """
    from pypinyin import Style, lazy_pinyin  # loaded on first use: `pufa --help` needs no dictionary

    words = ["".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False)) for word in _segmenter()(text)]
    ascii_text = "-".join(
        unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower() for word in words
    )
    slug = _NON_ALNUM.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def heading_slug(value: str, separator: str = "-") -> str:
    """Python-Markdown ``toc`` slugify hook: pinyin anchors for Chinese headings.

    MkDocs' default drops every non-ASCII character, so all Chinese headings on
    a page became ``_1``, ``_2``…, anchors that change whenever a heading is
    added. Pinyin anchors follow the heading text instead.
    """
    slug = slugify(value, max_length=80)
    return slug.replace("-", separator) if slug else "section"
