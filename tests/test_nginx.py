"""The deployment guide, tested for real: Debian's nginx serves a built site under a sub-path.

Each fixture site (the minisite, and a second county, qingshan, with its own programme,
taxonomy and laws) is built for ``http://127.0.0.1:<port><prefix>``, copied to a web
root as docs/deploy.md says (directories 755, files 644), and served by an
unprivileged nginx with the configuration ``pufa nginx`` generates, included
in a ``server`` block like the guide's. A missing nginx skips these tests on
a developer's machine and fails them on CI, like the browser tests.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import podcastparser
import pytest

import yaml

from conftest import FIXTURE_MP3, MINISITE, MKDOCS_YML, REPO, build_in_process
from conftest_browser import ICONS_JS, TIMEOUT_MS, settled_by, unavailable
from pufa.cli import main as pufa_main
from pufa.nginx import LONG, NOSNIFF, REFERRER_POLICY, SHORT, nginx_config
from pufa.podcastindex import PODCAST_NS

NGINX_ENV = "PUFA_NGINX"
MIME_TYPES = Path("/etc/nginx/mime.types")

SERVER_CONF = """\
daemon off;
{user}
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include pufa.conf;
    }}
}}
"""


def nginx_executable() -> str | None:
    configured = os.environ.get(NGINX_ENV)
    candidates = [configured] if configured else [shutil.which("nginx"), "/usr/sbin/nginx"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: The demo county's name, programme and laws: a second county's output must show none of them.
DEMO_TRACES = ("安澜", "见事说法", *(law["title"] for law in yaml.safe_load(
    (REPO / "site_config" / "laws.yml").read_text(encoding="utf-8"))["laws"].values()))


@dataclass(frozen=True)
class FixtureSite:
    source: Path
    prefix: str  # the sub-path it is served under
    lesson: str  # a lesson page, relative to the prefix
    absent: tuple[str, ...]  # words its output must not contain


SITES = {
    "minisite": FixtureSite(MINISITE, "/pufa/", "lessons/xianfa/guojia-xianfa-ri/", ("安澜", "见事说法")),
    "qingshan": FixtureSite(Path(__file__).parent / "fixtures" / "qingshan", "/qingshan/fazhi/",
                            "lessons/shengtai/baohu-muqin-he/", DEMO_TRACES),
}
#: Stands for the site's lesson page in parametrized paths.
LESSON = "<lesson>"


@dataclass
class Built:
    fixture: FixtureSite
    root: Path  # the site directory (mkdocs.yml)
    out: Path  # its site/
    port: int


@dataclass
class Served:
    nginx: str
    site: Path  # the copy nginx serves
    base: str  # http://127.0.0.1:<port><prefix>
    config: str  # what `pufa nginx` generated
    built_mode: int  # permissions of the build's own site/ directory
    prefix: str
    lesson: str

    def path(self, path: str) -> str:
        return path.replace(LESSON, self.lesson)


@dataclass
class Response:
    status: int
    headers: Any
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name) or ""


def fetch(url: str, **headers: str) -> Response:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def _build(fixture: FixtureSite, root: Path, port: int) -> Path:
    shutil.copytree(fixture.source, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today="2026-03-20"), encoding="utf-8")
    site_yml = root / "site_config" / "site.yml"
    site_yml.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: http://127.0.0.1:{port}{fixture.prefix}",
                               site_yml.read_text(encoding="utf-8")), encoding="utf-8")
    # A real MP3, so that byte ranges are tried on audio (as tests/test_feeds.py does).
    shutil.copy(FIXTURE_MP3, root / "content" / "radio" / "ep001.mp3")
    episode = root / "content" / "radio" / "ep001.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("\n---\n", "\naudio: ep001.mp3\n---\n", 1),
                       encoding="utf-8")
    result = build_in_process(root / "mkdocs.yml")
    assert result.returncode == 0, result.output
    return root / "site"


def _deploy(built: Path, web_root: Path, prefix: str) -> Path:
    """What `rsync -a --delete --chmod=D755,F644 site/ …` in docs/deploy.md does."""
    target = web_root / prefix.strip("/")
    shutil.copytree(built, target)
    for path in [web_root, *target.parents[:len(target.relative_to(web_root).parts) - 1], target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def _start(nginx: str, run_dir: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([nginx, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (run_dir / "error.log").read_text(errors="replace") if (run_dir / "error.log").exists() else ""
            raise AssertionError(f"nginx exited with {process.returncode}: {process.stderr.read().decode()}{log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("nginx did not start listening within 15 seconds")


@pytest.fixture(scope="module", params=list(SITES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    fixture = SITES[request.param]
    port = free_port()
    root = tmp_path_factory.mktemp("nginx") / request.param
    return Built(fixture, root, _build(fixture, root, port), port)


@pytest.fixture(scope="module")
def served(built: Built) -> Iterator[Served]:
    nginx = nginx_executable()
    if nginx is None:
        unavailable("nginx not found (/usr/sbin/nginx)", "apt-get install nginx")
    if not MIME_TYPES.is_file():
        unavailable(f"{MIME_TYPES} not found", "apt-get install nginx")
    port, root, prefix = built.port, built.root, built.fixture.prefix
    # The web server's workers run as another user (when started as root): the web root must be world-readable.
    web_root = Path(tempfile.mkdtemp(prefix="pufa-www-"))
    run_dir = Path(tempfile.mkdtemp(prefix="pufa-nginx-"))
    process = None
    try:
        site = _deploy(built.out, web_root, prefix)
        config = run_dir / "pufa.conf"
        assert pufa_main(["-f", str(root / "mkdocs.yml"), "nginx", "--site-dir", str(built.out),
                          "--served-from", str(site), "-o", str(config)]) == 0
        shutil.copy(MIME_TYPES, run_dir / "mime.types")
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        (run_dir / "nginx.conf").write_text(SERVER_CONF.format(user=user, run=run_dir, port=port), encoding="utf-8")
        process = _start(nginx, run_dir, port)
        yield Served(nginx, site, f"http://127.0.0.1:{port}{prefix}", config.read_text(encoding="utf-8"),
                     stat.S_IMODE(built.out.stat().st_mode), prefix, built.fixture.lesson)
    finally:
        if process is not None:
            process.send_signal(signal.SIGQUIT)  # graceful shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(web_root, ignore_errors=True)
        shutil.rmtree(run_dir, ignore_errors=True)


def test_build_output_is_readable_by_the_web_server(served: Served) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert served.built_mode == 0o777 & ~umask, oct(served.built_mode)


@pytest.mark.parametrize(("path", "content_type"), [
    ("", "text/html"),
    (LESSON, "text/html"),
    ("feed.xml", "application/rss+xml"),
    ("radio/feed.xml", "application/rss+xml"),
    ("radio/ep001.vtt", "text/vtt"),
    ("radio/ep001.srt", "application/x-subrip"),
    ("radio/ep001.chapters.json", "application/json"),
    ("departments/report.csv", "text/csv"),
    ("lessons/catalog.json", "application/json"),
    ("sitemap.xml", "text/xml"),
])
def test_text_is_served_as_utf8_with_its_type(served: Served, path: str, content_type: str) -> None:
    path = served.path(path)
    response = fetch(served.base + path)
    assert response.status == 200
    assert response.header("Content-Type") == f"{content_type}; charset=utf-8"
    assert response.body == (served.site / (path + "index.html" if path.endswith("/") or not path else path)).read_bytes()


def test_audio_answers_byte_ranges(served: Served) -> None:
    audio = (served.site / "radio" / "ep001.mp3").read_bytes()
    response = fetch(served.base + "radio/ep001.mp3", Range="bytes=1000-1999", **{"Accept-Encoding": "gzip"})
    assert response.status == 206
    assert response.header("Content-Range") == f"bytes 1000-1999/{len(audio)}"
    assert response.header("Content-Type") == "audio/mpeg"
    assert response.body == audio[1000:2000]
    assert "gzip" not in response.header("Content-Encoding")
    assert fetch(served.base + "radio/ep001.mp3").header("Accept-Ranges") == "bytes"


def test_missing_page_gets_the_404_page(served: Served) -> None:
    response = fetch(served.base + "no/such/page/")
    assert response.status == 404
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert response.body == (served.site / "404.html").read_bytes()
    assert f'href="{served.prefix}'.encode() in response.body, "the 404 page's links work at any depth"


def test_sub_path_redirects_stay_relative(served: Served) -> None:
    opener = urllib.request.build_opener(_NoRedirect)
    prefix = served.prefix
    for path, location in ((served.base.rstrip("/"), prefix), (served.base + "lessons", prefix + "lessons/")):
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(path, timeout=10)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == location


@pytest.mark.parametrize("path", ["", "feed.xml", "lessons/catalog.json", "pagefind/pagefind.js"])
def test_precompressed_files_are_served_to_gzip_clients(served: Served, path: str) -> None:
    source = served.site / (path or "index.html")
    assert (source.with_name(source.name + ".gz")).is_file()
    packed = fetch(served.base + path, **{"Accept-Encoding": "gzip"})
    assert packed.status == 200
    assert packed.header("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in packed.header("Vary")
    assert gzip.decompress(packed.body) == source.read_bytes()
    assert len(packed.body) < source.stat().st_size / 2
    plain = fetch(served.base + path)
    assert plain.header("Content-Encoding") == "" and plain.body == source.read_bytes()


def test_cache_headers(served: Served) -> None:
    bundle = next((served.site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    stylesheet = next((served.site / "assets" / "stylesheets").glob("main.*.min.css")).name
    assert fetch(served.base + f"assets/javascripts/{bundle}").header("Cache-Control") == LONG
    assert fetch(served.base + f"assets/stylesheets/{stylesheet}").header("Cache-Control") == LONG
    for path in ("", "lessons/", "feed.xml", "radio/feed.xml", "assets/pufa.js", "assets/pufa.css"):
        assert fetch(served.base + path).header("Cache-Control") == SHORT, path


def test_cors_for_feeds_transcripts_and_chapters(served: Served) -> None:
    for path in ("feed.xml", "radio/feed.xml", "radio/ep001.vtt", "radio/ep001.srt", "radio/ep001.chapters.json",
                 "lessons/catalog.json"):
        assert fetch(served.base + path).header("Access-Control-Allow-Origin") == "*", path
    assert fetch(served.base).header("Access-Control-Allow-Origin") == ""


def test_security_headers_in_every_location(served: Served) -> None:
    bundle = next((served.site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    for path in ("", "no/such/page/", "feed.xml", "radio/ep001.vtt", "radio/ep001.mp3", f"assets/javascripts/{bundle}"):
        response = fetch(served.base + path)
        policy = response.header("Content-Security-Policy")
        assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy, path
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, path
        assert response.header("X-Content-Type-Options") == NOSNIFF, path
        assert response.header("Referrer-Policy") == REFERRER_POLICY, path


def test_feeds_read_cleanly_over_http(served: Served) -> None:
    for path in ("feed.xml", "radio/feed.xml"):
        parsed = feedparser.parse(served.base + path)
        assert not parsed.bozo, (path, parsed.bozo_exception)
        assert parsed.status == 200 and parsed.encoding == "utf-8" and parsed.entries, path
    namespaces = podcastparser.Namespace.NAMESPACES
    added = PODCAST_NS not in namespaces
    namespaces[PODCAST_NS] = "podcast"  # see podcastindex_aware_podcastparser in tests/test_feeds.py
    try:
        url = served.base + "radio/feed.xml"
        with urllib.request.urlopen(url, timeout=10) as stream:
            podcast = podcastparser.parse(url, stream)
    finally:
        if added:
            del namespaces[PODCAST_NS]
    enclosure = podcast["episodes"][0]["enclosures"][0]
    assert enclosure["url"] == served.base + "radio/ep001.mp3"
    assert fetch(enclosure["url"]).status == 200


CSP_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.mark.parametrize("path", ["", LESSON, "radio/ep001/", "no/such/page/"])
def test_chromium_shows_pages_with_no_csp_violation(served: Served, chromium: Any, path: str) -> None:
    path = served.path(path)
    context = chromium.new_context(locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.add_init_script(CSP_LISTENER)
        problems: list[str] = []
        url = served.base + path

        def on_console(message: Any) -> None:
            # The 404 page's own status is logged as an error: that one is expected.
            if message.type in ("error", "warning") and message.location.get("url") != url:
                problems.append(f"console.{message.type}: {message.text}")

        def on_failed(request: Any) -> None:
            # With preload="metadata" Chromium stops an audio download once it has the duration.
            if not (request.resource_type == "media" and "ERR_ABORTED" in (request.failure or "")):
                problems.append(f"{request.url}: {request.failure}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        page.on("requestfailed", on_failed)
        finished: list[str] = []
        pending: set[Any] = set()
        page.on("request", lambda request: pending.add(request))
        page.on("requestfinished", lambda request: (pending.discard(request), finished.append(request.url)))
        page.on("requestfailed", lambda request: pending.discard(request))
        page.on("response", lambda response: response.status >= 400 and response.url != url
                and problems.append(f"{response.url}: HTTP {response.status}"))
        response = page.goto(url)
        assert response is not None and response.status == (404 if path.startswith("no/") else 200)
        # Every request of the page has ended, the icon Chromium asks for after the load event included.
        settled_by(page, lambda: not pending and all(icon in finished for icon in page.evaluate(ICONS_JS)),
                   lambda: f"requests still pending: {sorted(request.url for request in pending)}")
        assert page.locator("h1").first.is_visible()
        # The site search loads only when used; its results prove the policy let Pagefind's
        # WebAssembly run (a violation inside its worker is not reported to the page).
        assert not any("/pagefind/" in url for url in finished), finished
        page.locator(".md-search__input").focus()
        page.locator(".md-search__input").fill("保护")  # a word both fixture counties use
        page.locator(".pufa-search__list .md-search-result__item").first.wait_for()
        assert any(url.endswith("/pagefind/wasm.unknown.pagefind") for url in finished), finished
        problems += page.evaluate("window.__violations")
        assert problems == []
    finally:
        context.close()


def test_root_configuration_is_accepted_by_nginx(served: Served, tmp_path: Path) -> None:
    """The sub-path variant is served above; the root variant must at least load."""
    (tmp_path / "pufa.conf").write_text(nginx_config(served.site, "https://pufa.example.gov.cn/"), encoding="utf-8")
    shutil.copy(MIME_TYPES, tmp_path / "mime.types")
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(SERVER_CONF.format(user=user, run=tmp_path, port=free_port()), encoding="utf-8")
    checked = subprocess.run([served.nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "location ^~ / {" in (tmp_path / "pufa.conf").read_text(encoding="utf-8")


def test_output_shows_no_other_county(built: Built) -> None:
    """Built under a sub-path, a county's pages, feeds and data carry nothing of the demo county:
    not its name, not its programme, not a law it never cites."""
    texts = {path.relative_to(built.out).as_posix(): path.read_text(encoding="utf-8", errors="replace")
             for path in built.out.rglob("*") if path.is_file() and path.suffix not in (".gz", ".png", ".mp3")
             and "assets" not in path.relative_to(built.out).parts}
    assert "index.html" in texts and "feed.xml" in texts
    found = {word: sorted(path for path, text in texts.items() if word in text)[:3] for word in built.fixture.absent}
    assert {word: paths for word, paths in found.items() if paths} == {}
