"""Keep the built site self-contained: nothing may be fetched from another host.

Material's JavaScript bundle loads two scripts from unpkg.com on demand: the
ResizeObserver polyfill (on old in-app browsers, common in China) and mermaid
(on pages with diagrams). We serve the polyfill from the site itself, point
mermaid at a local stub (pufa sites have no diagrams), and drop source maps,
which only developers' tools read.

One more rewrite keeps the feed links from costing a failed request on every
page: Material's language switch fetches ``sitemap.xml`` beside every
``<link rel="alternate">``, meant for language versions (which carry
``hreflang``) but also hitting feed links, so ``/radio/feed.xml`` made it ask
for a non-existent ``/radio/sitemap.xml``. We restrict it to links with
``hreflang``; feed readers still find the feeds by ``rel="alternate"``.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor"
POLYFILL = "resize-observer-polyfill.js"
MERMAID_STUB = "mermaid-disabled.js"

#: Replacements are JavaScript expressions that resolve next to the bundle,
#: because pages at every depth of the site run the same bundle.
_LOCAL = 'new URL("vendor/{name}",document.querySelector(\'script[src*="assets/javascripts/bundle."]\').src).href'
#: A minified JavaScript identifier (``M``, ``_t``, ``$e`` …), not preceded by another identifier character.
_IDENTIFIER = r"(?<![\w$])(?P<call>[A-Za-z_$][\w$]*)"


@dataclass(frozen=True)
class Rewrite:
    """One edit of Material's bundle, found by a pattern that survives renamed minified identifiers.

    ``done`` recognises a bundle this rewrite was already applied to, so a
    build that reuses the output directory does not fail on its own work.
    """

    pattern: re.Pattern[str]
    replacement: str
    done: re.Pattern[str]


def _unpkg(url: str, name: str) -> Rewrite:
    """A quoted unpkg.com URL (``url`` is a regular expression) replaced by the local file ``name``."""
    local = _LOCAL.format(name=name)
    return Rewrite(re.compile(r"([\"'])" + url + r"\1"), local.replace("\\", "\\\\"), re.compile(re.escape(local)))


REWRITES = (
    _unpkg(r"https://unpkg\.com/resize-observer-polyfill", POLYFILL),
    _unpkg(r"https://unpkg\.com/mermaid@\d+/dist/mermaid\.min\.js", MERMAID_STUB),
    Rewrite(
        re.compile(_IDENTIFIER + r'\("link\[rel=alternate\]"\)'),
        r'\g<call>("link[rel=alternate][hreflang]")',
        re.compile(_IDENTIFIER + r'\("link\[rel=alternate\]\[hreflang\]"\)'),
    ),
)


class OfflineError(Exception):
    """Material's bundle no longer looks as expected; the rewrite must be revisited."""


def _material_version() -> str:
    try:
        return metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        return "（版本未知）"


def patch_bundle(text: str, name: str, rewrites: tuple[Rewrite, ...] = REWRITES) -> str:
    """Apply each rewrite to exactly one place; anything else means Material changed under us."""
    for rewrite in rewrites:
        matches = list(rewrite.pattern.finditer(text))
        if not matches and rewrite.done.search(text):
            continue
        if len(matches) != 1:
            raise OfflineError(
                f"{name}：mkdocs-material {_material_version()} 的脚本中，模式 {rewrite.pattern.pattern} "
                f"出现 {len(matches)} 处（应恰好 1 处）：Material 主题版本与 pufa 测试过的版本不同，"
                "请安装 pyproject.toml 中固定的 mkdocs-material 版本，或更新 pufa/offline.py"
            )
        match = matches[0]
        text = text[: match.start()] + match.expand(rewrite.replacement) + text[match.end() :]
    if "unpkg.com" in text:
        raise OfflineError(
            f"{name}：mkdocs-material {_material_version()} 的脚本仍引用 unpkg.com：Material 主题版本变化，"
            "请安装 pyproject.toml 中固定的 mkdocs-material 版本，或更新 pufa/offline.py"
        )
    return text


def make_self_contained(site_dir: Path) -> None:
    scripts = site_dir / "assets" / "javascripts"
    bundles = sorted(scripts.glob("bundle.*.min.js"))
    if not bundles:
        return  # not a Material site
    for bundle in bundles:
        bundle.write_text(patch_bundle(bundle.read_text(encoding="utf-8"), bundle.name), encoding="utf-8")
    vendor = scripts / "vendor"
    vendor.mkdir(exist_ok=True)
    shutil.copyfile(VENDOR / POLYFILL, vendor / POLYFILL)
    shutil.copyfile(VENDOR / f"LICENSE.{POLYFILL.removesuffix('.js')}", vendor / f"license-{POLYFILL.removesuffix('.js')}.txt")
    (vendor / MERMAID_STUB).write_text(
        "/* pufa 站点不使用图表（mermaid），为避免从外部网站加载脚本，此处不提供。 */\n", encoding="utf-8"
    )
    for folder, _, names in os.walk(site_dir):  # os.walk: a third of rglob's time on a site of thousands of folders
        for name in names:
            if name.endswith(".map"):
                os.unlink(os.path.join(folder, name))
