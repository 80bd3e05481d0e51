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

import shutil
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor"
POLYFILL = "resize-observer-polyfill.js"
MERMAID_STUB = "mermaid-disabled.js"

#: Replacements are JavaScript expressions that resolve next to the bundle,
#: because pages at every depth of the site run the same bundle.
_LOCAL = 'new URL("vendor/{name}",document.querySelector(\'script[src*="assets/javascripts/bundle."]\').src).href'
REWRITES = {
    '"https://unpkg.com/resize-observer-polyfill"': _LOCAL.format(name=POLYFILL),
    '"https://unpkg.com/mermaid@11/dist/mermaid.min.js"': _LOCAL.format(name=MERMAID_STUB),
    'M("link[rel=alternate]")': 'M("link[rel=alternate][hreflang]")',
}


class OfflineError(Exception):
    """Material's bundle no longer looks as expected; the rewrite must be revisited."""


def make_self_contained(site_dir: Path) -> None:
    scripts = site_dir / "assets" / "javascripts"
    bundles = sorted(scripts.glob("bundle.*.min.js"))
    if not bundles:
        return  # not a Material site
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        for old, new in REWRITES.items():
            if old not in text and new not in text:
                raise OfflineError(f"{bundle.name} 中找不到 {old}：Material 主题版本变化，请更新 pufa/offline.py")
            text = text.replace(old, new)
        if "unpkg.com" in text:
            raise OfflineError(f"{bundle.name} 仍引用 unpkg.com：Material 主题版本变化，请更新 pufa/offline.py")
        bundle.write_text(text, encoding="utf-8")
    vendor = scripts / "vendor"
    vendor.mkdir(exist_ok=True)
    shutil.copyfile(VENDOR / POLYFILL, vendor / POLYFILL)
    shutil.copyfile(VENDOR / f"LICENSE.{POLYFILL.removesuffix('.js')}", vendor / f"license-{POLYFILL.removesuffix('.js')}.txt")
    (vendor / MERMAID_STUB).write_text(
        "/* pufa 站点不使用图表（mermaid），为避免从外部网站加载脚本，此处不提供。 */\n", encoding="utf-8"
    )
    for source_map in site_dir.rglob("*.map"):
        source_map.unlink()
