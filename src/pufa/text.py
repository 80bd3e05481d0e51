"""Small text helpers shared by templates and feeds.

Values from content and configuration are plain text; the helpers here are the
places where such text becomes HTML or JSON on purpose, so they escape it and
mark the result safe (``Markup``) once, where it is made.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

_BR = Markup("<br>")


def lines_html(text: str) -> Markup:
    """Plain text -> escaped HTML whose line breaks are ``<br>``."""
    return _BR.join(escape(line) for line in (text or "").split("\n"))


def paragraphs_html(text: str) -> Markup:
    """Plain text with blank-line paragraphs -> escaped ``<p>`` elements."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    return Markup("").join(Markup("<p>%s</p>") % lines_html(block) for block in blocks)


def json_text(value: Any, **options: Any) -> str:
    """JSON with ``<``, ``>`` and ``&`` as ``\\u003c`` …: the same value for every JSON
    reader, but content can never close a ``<script>`` or start a tag should the file be
    embedded in or sniffed as HTML. (JSON has these characters only inside strings.)"""
    text = json.dumps(value, ensure_ascii=False, **options)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
