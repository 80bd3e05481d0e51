"""QR codes for printed handouts, made at build time with segno (no network)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, title: str = "") -> str:
    """An inline SVG QR code for ``url``; error correction M survives a smudged photocopy."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgclass="pufa-qr", title=title or url, nl=False
    )
    return buffer.getvalue().decode("utf-8")
