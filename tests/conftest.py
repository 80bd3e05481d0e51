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


# -- Tests about the demo county's content (issue 11: a county's own `make test`) -------------
#: The demo county's name in site_config/site.yml. A county that replaced the demo with its own
#: content has its own name there: tests marked ``demo`` (facts of the showcase content, not
#: invariants of any site) then skip, saying why; the rest run on the county's own site.
DEMO_COUNTY = "安澜县"
NOT_DEMO = "这是演示县内容的测试：本站已换成自己的内容（site_config/site.yml 的 county 不是安澜县）"


def is_demo_county() -> bool:
    import yaml

    try:
        site = yaml.safe_load((REPO / "site_config" / "site.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(site, dict) and site.get("county") == DEMO_COUNTY


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "demo: checks the demo county's own content; skipped on a county's own site")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not is_demo_county():
        for item in items:
            if item.get_closest_marker("demo") is not None:
                item.add_marker(pytest.mark.skip(reason=NOT_DEMO))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The project's own site (the demo county, or a county's content that replaced it), built once
    with --strict from the repository itself: tests on it check invariants of any content."""
    out = tmp_path_factory.mktemp("demo") / "site"
    result = run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(out)], REPO)
    assert result.returncode == 0, result.output
    return Site(REPO, out)
from conftest_browser import built_minisite, chromium, open_tab, serve_site, site_server, tab, vnu  # noqa: E402,F401 (browser fixtures)
