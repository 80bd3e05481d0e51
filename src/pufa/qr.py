"""QR codes for printed handouts, made at build time with segno (no network)."""

from __future__ import annotations

import io

import segno
from markupsafe import Markup


def qr_svg(url: str, title: str = "") -> Markup:
    """An inline SVG QR code for ``url``; error correction M survives a smudged photocopy; the
    four-module quiet zone is what the QR standard requires for reliable scanning. The
    SVG carries a viewBox and no fixed size, so the print stylesheet can scale it
    without cropping."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", border=4, xmldecl=False, svgclass="pufa-qr", title=title or url, nl=False, omitsize=True
    )
    # segno escapes the title and URL it writes into the SVG.
    return Markup(buffer.getvalue().decode("utf-8"))
