"""Shared fixtures: real MkDocs builds of the demo and of small sites in tmp dirs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINISITE = Path(__file__).resolve().parent / "fixtures" / "minisite"
#: 95 s of silence (8 kbit/s mono MP3, made with lame): real audio for the minisite's episode 1,
#: whose transcript runs to 01:20, independent of the demo county's recordings.
FIXTURE_MP3 = Path(__file__).resolve().parent / "fixtures" / "audio" / "ep001.mp3"
BIN = Path(sys.executable).parent

MKDOCS_YML = """\
site_name: 测试
docs_dir: content
site_dir: site
theme:
  name: material
  language: zh
  font: false
plugins:
  - pufa:
      today: "{today}"
markdown_extensions:
  - attr_list
  - md_in_html
  - toc:
      permalink: true
      slugify: !!python/name:pufa.slugs.heading_slug
extra:
  generator: false
extra_css:
  - assets/pufa.css
  - assets/pufa-lessons.css
extra_javascript:
  - assets/pufa.js
  - assets/pufa-lessons.js
"""


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(args: list[str], cwd: Path) -> Result:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    return Result(done.returncode, done.stdout, done.stderr)


@dataclass
class Site:
    """A site directory in tmp: write files into it, build it, read the output."""

    root: Path
    out_dir: Path | None = None

    @property
    def out(self) -> Path:
        return self.out_dir or self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def build(self, *extra: str) -> Result:
        return run([str(BIN / "mkdocs"), "build", "--strict", *extra], self.root)

    def check(self) -> Result:
        return run([str(BIN / "pufa"), "check"], self.root)

    def pufa(self, *args: str) -> Result:
        return run([str(BIN / "pufa"), *args], self.root)

    def page(self, url: str) -> str:
        return (self.out / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def minisite(tmp_path: Path) -> Site:
    root = tmp_path / "minisite"
    shutil.copytree(MINISITE, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today="2026-03-20"), encoding="utf-8")
    return Site(root)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The demo county site, built once with --strict from the repository itself."""
    out = tmp_path_factory.mktemp("demo") / "site"
    result = run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(out)], REPO)
    assert result.returncode == 0, result.output
    return Site(REPO, out)
from conftest_browser import chromium, demo_server, open_tab, serve_site, tab, vnu  # noqa: E402,F401 (browser fixtures)
