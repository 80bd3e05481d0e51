#!/usr/bin/env python3
"""Draw the demo podcast's cover art: 1400×1400 RGB PNG, as Apple Podcasts requires.

Needs Pillow (installed with pufa's test extras) and a CJK font such as
Debian's fonts-noto-cjk. The result is committed, so builds never run this.

Usage: python scripts/make_demo_artwork.py [--out content/radio/cover.png]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
]
SIZE = 1400
RED = (178, 34, 34)
GOLD = (250, 214, 137)
WHITE = (255, 255, 255)


def font(size: int) -> ImageFont.FreeTypeFont:
    for candidate in FONTS:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size, index=2)  # index 2: Simplified Chinese face
    sys.exit("缺少中文字体：请先运行 apt-get install fonts-noto-cjk")


def centered(draw: ImageDraw.ImageDraw, y: int, text: str, face: ImageFont.FreeTypeFont, fill: tuple) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    draw.text(((SIZE - (right - left)) / 2 - left, y), text, font=face, fill=fill)


def main() -> None:
    parser = argparse.ArgumentParser(description="生成示例播客封面。")
    parser.add_argument("--out", default="content/radio/cover.png", help="输出文件（默认 content/radio/cover.png）")
    args = parser.parse_args()
    image = Image.new("RGB", (SIZE, SIZE), RED)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, SIZE - 60, SIZE - 60), outline=GOLD, width=12)
    centered(draw, 330, "见事说法", font(300), WHITE)
    centered(draw, 760, "安澜县广播电视台 · 普法栏目", font(72), GOLD)
    centered(draw, 880, "每周五 18:30", font(72), GOLD)
    centered(draw, 1130, "法治安澜", font(96), WHITE)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, format="PNG", optimize=True)
    print(f"已生成 {out}（{out.stat().st_size} 字节）")


if __name__ == "__main__":
    main()
