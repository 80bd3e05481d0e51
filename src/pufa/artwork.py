"""Podcast artwork checks, with Pillow: Apple rejects anything else at submission."""

from __future__ import annotations

from pathlib import Path

from .inputs import InputError, MissingInput, open_image

MIN_SIDE = 1400
MAX_SIDE = 3000


def artwork_problems(path: Path, inside: Path) -> list[str]:
    """Chinese descriptions of what makes ``path`` (in ``inside``, the content directory) unacceptable as artwork."""
    try:
        image = open_image(path, inside)
    except MissingInput:
        return [f"找不到封面图片 “{path.name}”"]
    except InputError as exc:
        return [f"封面文件{exc.message}" if exc.message.startswith("不是") else exc.message]
    with image:
        kind, (width, height), mode = image.format, image.size, image.mode
    problems = []
    if kind not in ("PNG", "JPEG"):
        problems.append(f"封面应为 PNG 或 JPEG 格式，现为 {kind}")
    if width != height:
        problems.append(f"封面应为正方形，现为 {width}×{height} 像素")
    if not MIN_SIDE <= max(width, height) <= MAX_SIDE or not MIN_SIDE <= min(width, height) <= MAX_SIDE:
        problems.append(f"封面边长应在 {MIN_SIDE} 到 {MAX_SIDE} 像素之间，现为 {width}×{height}")
    if mode != "RGB":
        problems.append(f"封面应为 RGB 色彩（不带透明通道），现为 {mode}")
    return problems
