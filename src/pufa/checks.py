"""Checks across files: URLs, aliases, raw HTML, placeholders, and each kind's own checks.

Each file is validated on its own as it loads and its citations are resolved
(:mod:`pufa.pipeline`); what only the whole campaign can tell, such as a month
featuring a lesson that does not exist or two items claiming one URL, is
checked here, read-only, after resolving.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from . import htmlpolicy, routes
from .errors import ContentError, ErrorCollector
from .kinds import KINDS
from .kinds.base import Item, per_item
from .laws import cited_articles, unused_entries
from .links import link_problems
from .paths import display_path, theme_dirs
from .scaffold import PLACEHOLDERS
from .siteconfig import LAWS_FILE
from .validation import dotted

if TYPE_CHECKING:
    from .campaign import Campaign


def check_campaign(campaign: Campaign, broken_refs: set[str | int], errors: ErrorCollector, *,
                   placeholders: bool = True) -> None:
    from .site import generated_pages

    generated = generated_pages(campaign.config)
    for kind in KINDS:
        kind.check_all(campaign, errors)
    for item in campaign.items:
        item.kind.check(item, campaign, broken_refs, errors)
    _check_unique_urls(campaign, generated, errors)
    _check_aliases(campaign, generated, errors)
    _check_html(campaign, errors)
    errors.extend(link_problems(campaign))
    errors.extend(shadowed_files(campaign, project_theme_files(campaign)))
    if placeholders:
        _check_placeholders(campaign, errors)


def campaign_warnings(campaign: Campaign) -> list[ContentError]:
    """What deserves the editor's attention but must not stop a build (the daily one above all).

    Laws and articles nothing cites: drafts and scheduled items count as citing, because
    deleting what they cite would break them.
    """
    config = campaign.config
    doc = config.sources.get(LAWS_FILE)
    if config.laws is None or doc is None:
        return []
    return unused_entries(config.laws, cited_articles(c for item in campaign.items for c in item.all_citations), doc)


def _check_html(campaign: Campaign, errors: ErrorCollector) -> None:
    """Raw HTML and link targets in every Markdown body, against the content HTML policy."""
    for item in campaign.items:
        errors.extend(htmlpolicy.body_problems(item.kind.html_body(item), item.source.shown, item.source.body_line))


#: Files MkDocs and Material write themselves, whatever the content; a path ending in / is a whole
#: folder the build writes anew (the search index, :data:`pufa.search.BUNDLE_DIR`).
MKDOCS_FILES = {"404.html": "“页面不存在”页", "sitemap.xml": "网站地图", "sitemap.xml.gz": "网站地图",
                "pagefind/": "站内搜索索引"}


def built_files(campaign: Campaign) -> dict[str, str]:
    """Site-relative path -> what it is, for every file the build writes itself besides pages.

    Asked of the same kinds that write them, so that a redirect page or a static
    file in their way is refused at check time instead of colliding in the build.
    """
    files = dict(MKDOCS_FILES)
    files.update({routes.site_feed(): "全站订阅", routes.report_csv(): "部门发布情况表"})
    for kind in KINDS:
        files.update(kind.file_names(campaign))
    return files


def static_files(campaign: Campaign) -> dict[str, str]:
    """Site-relative path -> shown path, for every content file MkDocs copies as it is."""
    def compute() -> dict[str, str]:
        content, files = campaign.content_dir, {}
        for path in content.rglob("*"):
            relative = path.relative_to(content).as_posix()
            if path.is_file() and path.suffix != ".md" and not any(part.startswith(".") for part in relative.split("/")):
                files[relative] = display_path(path, campaign.config.root)
        return files

    return dict(campaign.on_disk("static_files", compute))  # a walk of the content, once per build


def generated_files(campaign: Campaign) -> dict[str, str]:
    """Every file the site holds besides pages: built ones and content files."""
    return {**built_files(campaign), **static_files(campaign)}


#: Theme files MkDocs never copies into the site (its own ``add_files_from_theme`` filter).
_THEME_SKIPPED = ("*.html", "*.py", "*.pyc", "*readme*", "mkdocs_theme.yml", "locales/*", "*.md")


def theme_files(dirs: Iterable[str | Path]) -> dict[str, str]:
    """Site-relative path -> what it is, for every static file the theme directories ship."""
    files: dict[str, str] = {}
    for top in map(Path, dirs):
        for folder, subdirs, names in os.walk(top):
            subdirs[:] = [name for name in subdirs if not name.startswith(".")]
            for name in names:
                relative = (Path(folder) / name).relative_to(top).as_posix()
                if not name.startswith(".") and not any(fnmatch(relative.lower(), p) for p in _THEME_SKIPPED):
                    files.setdefault(relative, "网站主题的文件")
    return files


def project_theme_files(campaign: Campaign) -> dict[str, str]:
    """:func:`theme_files` of the project's theme directories, once per build."""
    return dict(campaign.on_disk("theme_files", lambda: theme_files(theme_dirs(campaign.config.root))))


def shadowed_files(campaign: Campaign, theme: Mapping[str, str]) -> list[ContentError]:
    """Content files at the path of a file the site builds or its theme ships: MkDocs would
    silently drop the former, or put the editor's file in place of the theme's, site-wide.

    An item's own input (``ep003.vtt`` beside ``ep003.md``) may lie there: the site serves
    what pufa makes of it, and nothing the editor wrote is lost.
    """
    reserved = {**theme, **built_files(campaign)}
    inputs = {uri for item in campaign.items for uri in item.kind.own_files(item)}
    return [ContentError(shown, 1, "", f"与网站生成的文件 /{path}（{reserved[taken]}）同名，会被覆盖或替换它，"
                         "请给这个文件改名或移到别的目录（同时修改引用它的地方）")
            for path, shown in static_files(campaign).items()
            if (taken := _reserved(path, reserved)) is not None and path not in inputs]


def _reserved(path: str, reserved: Mapping[str, str]) -> str | None:
    """The reserved file, or folder (ending in /), that ``path`` is or lies in."""
    if path in reserved:
        return path
    return next((folder for folder in reserved if folder.endswith("/") and path.startswith(folder)), None)


def _file_in_the_way(alias: str, files: dict[str, str]) -> str | None:
    """The generated file that the alias's redirect page would collide with, if any."""
    parts = alias.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))] + [routes.output_path(routes.alias(alias))]
    return next((found for path in candidates if (found := _reserved(path, files) or _reserved(path + "/", files))), None)


def _aliased(campaign: Campaign) -> list[tuple[Item, int, str]]:
    return [(item, index, alias) for item in campaign.items
            for index, alias in enumerate(item.aliases)]


def alias_collisions(campaign: Campaign, files: dict[str, str]) -> list[ContentError]:
    """Aliases whose redirect page would collide with one of ``files`` (path -> what it is).

    Run at check time on :func:`generated_files`, and by the renderer once it
    knows every file it will write (theme assets included).
    """
    found = []
    for item, index, alias in _aliased(campaign):
        if (path := _file_in_the_way(alias, files)) is not None:
            line = item.source.front.line_of(("aliases", index))  # type: ignore[union-attr]
            found.append(ContentError(item.source.shown, line, f"aliases[{index}]",
                                      f"旧网址 {alias} 与网站生成的文件 /{path}（{files[path]}）冲突，不能用于跳转，请删除这一项"))
    return found


def _check_aliases(campaign: Campaign, generated: dict[str, str], errors: ErrorCollector) -> None:
    """Old URLs redirect to the item; none may shadow a live page, a generated file or another alias."""
    owners: dict[str, str] = {f"/{item.url}": item.source.shown for item in campaign.items}
    owners.update({f"/{url}": f"系统生成的页面（{title}）" for url, title in generated.items()})
    errors.extend(alias_collisions(campaign, generated_files(campaign)))
    aliases: dict[str, str] = {}
    for item, index, alias in _aliased(campaign):
        line = item.source.front.line_of(("aliases", index))  # type: ignore[union-attr]
        if alias in owners:
            errors.add(item.source.shown, line, f"aliases[{index}]", f"旧网址 {alias} 正被 {owners[alias]} 使用，不能再用于跳转")
        elif alias in aliases:
            errors.add(item.source.shown, line, f"aliases[{index}]", f"旧网址 {alias} 已是 {aliases[alias]} 的旧网址")
        else:
            aliases[alias] = item.source.shown


def _strings(data: object, loc: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        return [(loc, data)]
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _strings(value, (*loc, str(key)))]
    if isinstance(data, list):
        return [found for index, value in enumerate(data) for found in _strings(value, (*loc, index))]
    return []


def _placeholder_in(text: str) -> str | None:
    return next((placeholder for placeholder in PLACEHOLDERS if placeholder in text), None)


def _check_placeholders(campaign: Campaign, errors: ErrorCollector) -> None:
    """Template text that `pufa new` wrote must be replaced before anything is published."""
    for item in campaign.items:
        if item.kind.section and item.source.front is not None:
            errors.extend(_placeholders_in(item))


@per_item
def _placeholders_in(item: Item) -> list[ContentError]:
    source, found = item.source, []
    assert source.front is not None
    for loc, value in _strings(source.front.data):
        if (placeholder := _placeholder_in(value)) is not None:
            found.append(ContentError(source.shown, source.front.line_of(loc), dotted(loc),
                                      f"“{placeholder}”是 pufa new 留下的占位文字，请改成实际内容"))
    if _placeholder_in(source.body) is None:
        return found  # the usual case: no line to look at
    for offset, line in enumerate(source.body.split("\n")):
        if (placeholder := _placeholder_in(line)) is not None:
            found.append(ContentError(source.shown, source.body_line + offset, "",
                                      f"“{placeholder}”是 pufa new 留下的占位文字，请改成实际内容或删除这一行"))
    return found


def _check_unique_urls(campaign: Campaign, generated: dict[str, str], errors: ErrorCollector) -> None:
    """A URL claimed twice is reported at the file(s) that declare it, each naming the others;
    only when no file declares it (both derive it) at every claimant's derivation."""
    claims: dict[str, list[Item]] = {}
    for item in campaign.items:
        claims.setdefault(item.url, []).append(item)

    def where(item: Item) -> tuple[int, str]:
        return item.kind.declared_at(item) or item.kind.derived_at(item)

    for url, items in claims.items():
        if url and url in generated:
            for item in items:
                line, field_name = where(item)
                errors.add(item.source.shown, line, field_name, f"网址 /{url} 由网站自动生成（{generated[url]}），请换一个{f' {field_name}' if field_name else '文件名或位置'}")
        if len(items) < 2:
            continue
        declaring = [item for item in items if item.kind.declared_at(item) is not None]
        for item in declaring or items:
            line, field_name = where(item)
            others = "、".join(other.source.shown for other in items if other is not item)
            errors.add(item.source.shown, line, field_name, f"网址 /{url} 与 {others} 重复，请修改其中一个的 {field_name or '文件名'}")
