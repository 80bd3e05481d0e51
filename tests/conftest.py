"""Shared fixtures: real MkDocs builds of the demo and of small sites in tmp dirs.

A build or a ``pufa`` command runs in this process by default (``Site.build``,
``Site.check``, ``Site.pufa``): a new interpreter pays a second or more to import
MkDocs, Material and jieba before it does anything. The few tests about the
installed commands themselves use ``Site.build_command`` and ``Site.pufa_command``.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.theme import Theme

from pufa.cli import main as pufa_main
from pufa.pagecache import CompiledTemplates

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


@contextlib.contextmanager
def inside(directory: Path) -> Iterator[None]:
    """Run with ``directory`` as the working directory, as the command would be run there."""
    previous = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous)


def build_in_process(config_file: Path, **options: object) -> Result:
    """``mkdocs build --strict`` without a new interpreter: the command's steps, its log and its exit status.

    MkDocs' own exceptions end the command with status 1 and their message; any
    other exception propagates, so the test fails where the command would have
    printed a traceback.
    """
    logger = logging.getLogger("mkdocs")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    level = logger.level
    logger.setLevel(logging.INFO)  # what the command's logging setup does
    logger.addHandler(handler)
    status = 0
    try:
        with inside(config_file.parent):
            config = load_config(str(config_file), **{"strict": True, **options})
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as exc:
        stream.write(exc.format_message() + "\n")
        status = 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return Result(status, "", stream.getvalue())


def pufa_in_process(args: list[str], cwd: Path) -> Result:
    """The ``pufa`` command in this process, with its output and exit status."""
    out, err = io.StringIO(), io.StringIO()
    with inside(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = pufa_main(args)
        except SystemExit as exit:  # argparse: --help, usage errors
            if isinstance(exit.code, str):  # what the interpreter would print on its way out
                print(exit.code, file=sys.stderr)
            status = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    return Result(status, out.getvalue(), err.getvalue())


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

    def build(self) -> Result:
        return build_in_process(self.root / "mkdocs.yml")

    def check(self) -> Result:
        return self.pufa("check")

    def pufa(self, *args: str) -> Result:
        return pufa_in_process(list(args), self.root)

    def build_command(self) -> Result:
        """The installed ``mkdocs build --strict`` command, in its own process."""
        return run([str(BIN / "mkdocs"), "build", "--strict"], self.root)

    def pufa_command(self, *args: str) -> Result:
        """The installed ``pufa`` command, in its own process."""
        return run([str(BIN / "pufa"), *args], self.root)

    def page(self, url: str) -> str:
        return (self.out / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def compiled_templates() -> Iterator[None]:
    """Every MkDocs theme environment of this process shares one :class:`~pufa.pagecache.CompiledTemplates`,
    bare Material's too (pufa's plugin sets the same for its own builds)."""
    cache = CompiledTemplates()
    get_env = Theme.get_env

    def get_env_sharing_compiled_templates(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        env.bytecode_cache = cache
        return env

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Theme, "get_env", get_env_sharing_compiled_templates)
        yield


def copy_minisite(root: Path) -> Site:
    shutil.copytree(MINISITE, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today="2026-03-20"), encoding="utf-8")
    return Site(root)


@pytest.fixture
def minisite(tmp_path: Path) -> Site:
    return copy_minisite(tmp_path / "minisite")


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A directory ``make`` fills once per test run, however many pytest-xdist workers ask for it.

    The workers share the parent of their base temporary directories; a lock there
    lets the first one build while the others wait, then read what it built.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        directory = tmp_path_factory.mktemp(name)
        make(directory)
        return directory
    directory = tmp_path_factory.getbasetemp().parent / name
    with open(directory.with_name(name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (directory / ".made").exists():
            shutil.rmtree(directory, ignore_errors=True)  # what a failed attempt left
            directory.mkdir()
            make(directory)
            (directory / ".made").touch()
    return directory


def _build_minisite(directory: Path) -> None:
    result = copy_minisite(directory / "minisite").build_command()
    assert result.returncode == 0, result.output


def _build_demo(directory: Path) -> None:
    result = build_in_process(REPO / "mkdocs.yml", site_dir=str(directory / "site"))
    assert result.returncode == 0, result.output


@pytest.fixture(scope="session")
def built_plain_minisite(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The unchanged minisite, built once by the installed ``mkdocs build --strict``: only to be read."""
    return Site(made_once(tmp_path_factory, "built-minisite", _build_minisite) / "minisite")


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
    return Site(REPO, made_once(tmp_path_factory, "demo", _build_demo) / "site")
from conftest_browser import built_minisite, chromium, open_tab, serve_site, site_server, tab, vnu  # noqa: E402,F401 (browser fixtures)
