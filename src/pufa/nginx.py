"""The nginx configuration for a built site, with a Content-Security-Policy the site satisfies.

Material and pufa's templates put small inline scripts in every page, and
Material's differ with the page's depth (``__md_scope=new URL("../..",…)``)
and with the site's sub-path (the 404 page). Rather than allow every inline
script (``'unsafe-inline'``, which would also allow an injected one), the
policy lists the sha256 of each distinct inline script found in the built
pages: a dozen hashes for a whole site. They change only when pufa, Material
or the site's address change, which is when the guide says to regenerate.

Audio on another host (an episode's ``audio: https://…``) is added to
``media-src``, so remote episodes still play.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import lxml.etree
import lxml.html

#: ``type`` values that make a ``<script>`` run; any other (``application/json`` …) is a data block CSP ignores.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
#: Cache-Control values: HTML and feeds change with every daily build; fingerprinted files never change.
SHORT = "public, max-age=300"
LONG = "public, max-age=31536000, immutable"
MEDIA = "public, max-age=86400"
#: Security headers besides the CSP (tests compare against these).
NOSNIFF = "nosniff"
REFERRER_POLICY = "strict-origin-when-cross-origin"


class NginxError(Exception):
    """The configuration cannot be generated; the message is for the user."""


@dataclass(frozen=True)
class InlineCode:
    """What the built pages run inline, as CSP sources."""

    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    attributes: tuple[str, ...]
    media_origins: tuple[str, ...]


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def scan(site_dir: Path) -> InlineCode:
    """Collect every inline script, style and remote media origin of the built pages."""
    scripts: set[str] = set()
    styles: set[str] = set()
    attributes: set[str] = set()
    media: set[str] = set()
    for path in sorted(site_dir.rglob("*.html")):
        try:
            root = lxml.html.document_fromstring(path.read_bytes())
        except lxml.etree.ParserError:
            continue  # no document at all (an empty or comment-only file): nothing inline to allow
        for script in root.iter("script"):
            kind = (script.get("type") or "").strip().lower()
            if script.get("src") is None and kind in _SCRIPT_TYPES:
                scripts.add(_hash(script.text or ""))
        for style in root.iter("style"):
            styles.add(_hash(style.text or ""))
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                if name == "style" or name.startswith("on"):
                    attributes.add(_hash(value))
            if element.tag in ("audio", "video", "source", "track"):
                origin = _origin(element.get("src") or "")
                if origin:
                    media.add(origin)
    return InlineCode(tuple(sorted(scripts)), tuple(sorted(styles)), tuple(sorted(attributes)), tuple(sorted(media)))


def content_security_policy(code: InlineCode) -> str:
    """A policy that allows exactly what the site itself loads: its own files and its inline code."""
    # Inline style and event attributes can only be allowed by hash with 'unsafe-hashes'; pufa's pages have none.
    unsafe_hashes = ["'unsafe-hashes'", *code.attributes] if code.attributes else []
    directives = {
        "default-src": ["'self'"],
        # The site search (Pagefind) compiles its WebAssembly search engine; nothing else is evaluated.
        "script-src": ["'self'", *code.scripts, *unsafe_hashes, "'wasm-unsafe-eval'"],
        "style-src": ["'self'", *code.styles, *unsafe_hashes],
        # Material's icons are data: SVGs in its CSS (mask-image).
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", *code.media_origins],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def nginx_config(site_dir: Path, site_url: str, served_from: str | None = None) -> str:
    """The ``location`` blocks that serve ``site_dir`` at ``site_url``'s path, to include in a ``server``.

    ``served_from`` is the site directory's absolute path on the web server
    when the build is copied there (default: ``site_dir`` itself).
    """
    if not (site_dir / "index.html").is_file():
        raise NginxError(f"{site_dir} 中没有构建好的网站（缺少 index.html）：请先运行 mkdocs build")
    root = served_from or str(site_dir.resolve())
    if not root.startswith("/") or re.search(r'["\s;{}$\\]', root):
        raise NginxError(f"网站目录 {root}：须是绝对路径，且不含空格、引号、分号、花括号、$ 和反斜杠")
    prefix = urlsplit(site_url).path or "/"
    if not prefix.endswith("/"):
        prefix += "/"
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("pufa") / "deploy")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        autoescape=False,  # nginx syntax, not HTML
    )
    csp = content_security_policy(scan(site_dir))

    def headers(cache: str, depth: int, cors: bool = False) -> str:
        lines = [
            f'add_header Cache-Control "{cache}" always;',
            f'add_header Content-Security-Policy "{csp}" always;',
            f'add_header X-Content-Type-Options "{NOSNIFF}" always;',
            f'add_header Referrer-Policy "{REFERRER_POLICY}" always;',
        ]
        if cors:
            lines.append('add_header Access-Control-Allow-Origin "*" always;')
        indent = "    " * depth
        return "\n".join(indent + line for line in lines)

    return environment.get_template("nginx.conf.j2").render(
        site_url=site_url,
        prefix=prefix,
        bare=prefix.rstrip("/"),
        prefix_re=re.escape(prefix),
        root=root.rstrip("/") + "/",
        headers=headers,
        short=SHORT,
        long=LONG,
        media=MEDIA,
    )
