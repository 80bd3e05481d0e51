"""Small text helpers shared by templates and feeds."""

from __future__ import annotations

import re
from html import escape


def paragraphs_html(text: str) -> str:
    """Plain text with blank-line paragraphs -> escaped ``<p>`` elements."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    return "".join(f"<p>{escape(block).replace(chr(10), '<br>')}</p>" for block in blocks)
