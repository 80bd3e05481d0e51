#!/usr/bin/env python3
"""Build-time benchmark: is the build linear in the number of pages?

Makes synthetic campaigns of N and k·N lessons (copies of the demo's lessons
under new slugs, plus the demo's months and episodes), builds each with
`mkdocs build` in one run, and prints seconds per page and the ratio between
the sizes. A linear build gives a per-page ratio near 1; Material's default
navigation (every page listed on every page) made it grow with N.

Usage: python scripts/benchmark.py [--lessons 200] [--factor 4]

Speed is reported as ratios within one run, never asserted in tests: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_corpus(target: Path, lessons: int) -> int:
    """Copy the demo site to ``target`` with ``lessons`` lessons; return the page count."""
    shutil.copytree(REPO / "site_config", target / "site_config")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    content = target / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("lessons"))
    originals = sorted((REPO / "content" / "lessons").rglob("*.md"))
    for index in range(lessons):
        source = originals[index % len(originals)]
        text = source.read_text(encoding="utf-8")
        if index >= len(originals):  # the first copies keep the slugs that months refer to
            text = re.sub(r"^slug: (.+)$", rf"slug: \1-{index:05d}", text, count=1, flags=re.M)
        destination = content / "lessons" / source.parent.name / f"{source.stem}-{index:05d}.md"
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
    yml = re.sub(r"^  custom_dir: .*\n", "", (target / "mkdocs.yml").read_text(encoding="utf-8"), flags=re.M)
    (target / "mkdocs.yml").write_text(yml, encoding="utf-8")
    return sum(1 for _ in content.rglob("*.md"))


def build(site: Path) -> float:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run([str(mkdocs), "build", "-q", "-d", str(site / "out")], cwd=site, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"构建失败：\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="测量构建时间是否随页面数线性增长。")
    parser.add_argument("--lessons", type=int, default=200, help="较小语料的课程数（默认 200）")
    parser.add_argument("--factor", type=int, default=4, help="较大语料是较小语料的几倍（默认 4）")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for lessons in (args.lessons, args.lessons * args.factor):
            site = Path(tmp) / f"n{lessons}"
            pages = make_corpus(site, lessons)
            seconds = build(site)
            results.append((lessons, pages, seconds))
            print(f"{lessons:6d} 课  {pages:6d} 个源文件  {seconds:7.2f} 秒  {seconds / pages * 1000:7.2f} 毫秒/页")
    (_, small_pages, small), (_, large_pages, large) = results
    per_page = (large / large_pages) / (small / small_pages)
    print(f"页面数之比 {large_pages / small_pages:.2f}，时间之比 {large / small:.2f}，每页耗时之比 {per_page:.2f}"
          "（接近 1 表示线性）")


if __name__ == "__main__":
    main()
