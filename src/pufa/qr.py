"""QR codes for printed handouts, made at build time with segno (no network)."""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from markupsafe import Markup

#: The mask pattern every code uses. Any of the eight gives a valid code that every scanner
#: reads; left free, segno builds and scores all eight to pick the one with the fewest
#: scanner-confusing patterns, which made a code cost three to seven times as much. A fixed
#: mask also keeps a permalink's printed code the same whatever segno's scoring becomes.
MASK = 0


@lru_cache(maxsize=8192)
def qr_code(url: str) -> segno.QRCode:
    """The code for ``url``: error correction M survives a smudged photocopy."""
    return segno.make(url, error="m", micro=False, mask=MASK)


@lru_cache(maxsize=8192)
def qr_svg(url: str, title: str = "") -> Markup:
    """An inline SVG QR code for ``url``; the four-module quiet zone is what the QR standard
    requires for reliable scanning. The SVG carries a viewBox and no fixed size, so the print
    stylesheet can scale it without cropping. A permalink's code never changes, so a
    rebuild in the same process (``mkdocs serve``) reuses it."""
    buffer = io.BytesIO()
    qr_code(url).save(
        buffer, kind="svg", border=4, xmldecl=False, svgclass="pufa-qr", title=title or url, nl=False, omitsize=True
    )
    # segno escapes the title and URL it writes into the SVG.
    return Markup(buffer.getvalue().decode("utf-8"))
