"""ASCII slugs and heading anchors for Chinese text.

URLs are printed on handouts and stored by podcast apps, so they are ASCII and
lower-case; pinyin keeps them readable for the people who type them.
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG_PATTERN)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def is_slug(value: str) -> bool:
    return bool(_SLUG_RE.match(value))


def slugify(text: str, max_length: int = 60) -> str:
    """``'12月4日，国家宪法日'`` -> ``'12-yue-4-ri-guo-jia-xian-fa-ri'``.

    Every hanzi becomes its toneless pinyin syllable; anything else that is not
    an ASCII letter or digit becomes a hyphen. The result is cut at a hyphen so
    long titles keep whole syllables.
    """
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    ascii_text = "-".join(
        unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode().lower() for part in syllables
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
