"""Redirect pages for a lesson's old URLs (``aliases:``), so printed links keep working.

A static site cannot answer with HTTP 301, so each old URL gets a small page
with a meta refresh, a canonical link for search engines and a plain link for
readers whose browsers do not follow the refresh. The refresh and the link
are relative, so a copy of the site on a staging or preview host stays on that
host; only the canonical link names the production address.
"""

from __future__ import annotations

from html import escape

from . import routes
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .campaign import Campaign


def redirect_page(relative_url: str, canonical_url: str, title: str) -> str:
    url, canonical = escape(relative_url), escape(canonical_url)
    return (
        "<!doctype html>\n"
        '<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>页面已移动：{escape(title)}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<p>本页已移到 <a href="{url}">{escape(title)}</a>。</p>\n'
        "</body>\n</html>\n"
    )


def redirect_files(campaign: Campaign) -> dict[str, bytes]:
    """Site-relative output path -> page, for every alias of every item that has them."""
    site_url = campaign.config.site.site_url
    files: dict[str, bytes] = {}
    for item in campaign.items:
        for alias in item.aliases:
            target = routes.alias(alias)
            relative = routes.relative(item.url, target)
            page = redirect_page(relative, site_url + item.url, item.title)
            files[routes.output_path(target)] = page.encode("utf-8")
    return files
