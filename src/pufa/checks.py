"""Checks across files: references, citations, URLs, aliases, the podcast channel.

Each file is validated on its own as it loads (:mod:`pufa.collection`); what
only the whole campaign can tell, such as a month featuring a lesson that does
not exist or two items claiming one URL, is checked here, after loading.
"""

from __future__ import annotations

import difflib
from datetime import date

from . import citing, htmlpolicy
from .artwork import artwork_problems
from .channel import feed_guid
from . import routes
from .collection import Collection
from .errors import ContentError, ErrorCollector
from .items import Episode, Item, Lesson, Month, Page
from .paths import display_path
from .scaffold import PLACEHOLDERS
from .validation import dotted
from .siteconfig import PODCAST_FILE
from .transcript import prose_lines
from .views import build_views


def check_collection(collection: Collection, errors: ErrorCollector, *, placeholders: bool = True) -> None:
    _check_citations(collection, errors)
    generated = _generated_pages(collection)
    _check_cross_references(collection, generated, errors)
    _check_aliases(collection, generated, errors)
    _check_channel(collection, errors)
    _check_html(collection, errors)
    if placeholders:
        _check_placeholders(collection, errors)


def _check_html(collection: Collection, errors: ErrorCollector) -> None:
    """Raw HTML and link targets in every Markdown body, against the content HTML policy."""
    for item in collection.items:
        body = prose_lines(item.source.body) if isinstance(item, Episode) else item.source.body
        errors.extend(htmlpolicy.body_problems(body, item.source.shown, item.source.body_line))


def _check_citations(collection: Collection, errors: ErrorCollector) -> None:
    """Resolve every 【…】 citation, and each lesson's key articles, against laws.yml."""
    book = collection.config.laws
    for item in [*collection.lessons, *collection.months, *collection.episodes]:
        source = item.source
        item.citations, found = citing.scan(source.body, book, source.shown, source.body_line)
        errors.extend(found)
        if isinstance(item, Lesson):
            assert source.front is not None
            for index, article in enumerate(item.meta.articles):
                text = article if article.startswith("【") else f"【{article}】"
                cited, found = citing.scan(text, book, source.shown, source.front.line_of(("articles", index)),
                                           f"articles[{index}]")
                if not cited and not found:
                    found = [ContentError(source.shown, source.front.line_of(("articles", index)), f"articles[{index}]",
                                          f"“{article}” 不是法条引用，请写作 宪法第三十三条")]
                item.key_articles.extend(cited)
                errors.extend(found)


def _generated_pages(collection: Collection) -> dict[str, str]:
    """URL -> title of every page the site generates itself (indexes, law pages)."""
    return {view.url: view.title for view in build_views(collection, date(2000, 1, 1))}


#: Files MkDocs and Material write themselves, whatever the content.
MKDOCS_FILES = {"404.html": "“页面不存在”页", "sitemap.xml": "网站地图", "sitemap.xml.gz": "网站地图",
                "search/search_index.json": "站内搜索索引"}


def generated_files(collection: Collection) -> dict[str, str]:
    """Site-relative path -> what it is, for every file the build writes besides pages.

    Kept beside the writers' own constants so that a redirect page (``<alias>/index.html``)
    can be refused at check time instead of colliding with a file in post-build.
    """
    files = dict(MKDOCS_FILES)
    files.update({routes.site_feed(): "全站订阅", routes.catalog(): "课程目录", routes.catalog_schema(): "课程目录格式说明",
                  routes.report_csv(): "部门发布情况表", routes.podcast_feed(): "播客订阅"})
    files.update({routes.topic_feed(key): "主题订阅" for key in collection.config.taxonomy.topics})
    for episode in collection.episodes:
        for path in (episode.files.vtt, episode.files.srt, episode.files.chapters):
            files[path] = f"{episode.source.shown} 的文字稿文件"
    content = collection.content_dir
    for path in content.rglob("*"):
        relative = path.relative_to(content).as_posix()
        if path.is_file() and path.suffix != ".md" and not any(part.startswith(".") for part in relative.split("/")):
            files[relative] = display_path(path, collection.config.root)
    return files


def _file_in_the_way(alias: str, files: dict[str, str]) -> str | None:
    """The generated file that ``<alias>/index.html`` would collide with, if any."""
    parts = alias.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))] + [routes.output_path(routes.alias(alias))]
    return next((path for path in candidates if path in files), None)


def alias_collisions(collection: Collection, files: dict[str, str]) -> list[ContentError]:
    """Aliases whose redirect page would collide with one of ``files`` (path -> what it is).

    Run at check time on :func:`generated_files`, and by the plugin once MkDocs
    knows every file it will write (theme assets included).
    """
    found = []
    for lesson in collection.lessons:
        for index, alias in enumerate(lesson.meta.aliases):
            if (path := _file_in_the_way(alias, files)) is not None:
                line = lesson.source.front.line_of(("aliases", index))  # type: ignore[union-attr]
                found.append(ContentError(lesson.source.shown, line, f"aliases[{index}]",
                                          f"旧网址 {alias} 与网站生成的文件 /{path}（{files[path]}）冲突，不能用于跳转，请删除这一项"))
    return found


def _check_aliases(collection: Collection, generated: dict[str, str], errors: ErrorCollector) -> None:
    """Old lesson URLs redirect to the lesson; none may shadow a live page, a generated file or another alias."""
    owners: dict[str, str] = {f"/{item.url}": item.source.shown for item in collection.items}
    owners.update({f"/{url}": f"系统生成的页面（{title}）" for url, title in generated.items()})
    errors.extend(alias_collisions(collection, generated_files(collection)))
    aliases: dict[str, str] = {}
    for lesson in collection.lessons:
        front = lesson.source.front
        assert front is not None
        for index, alias in enumerate(lesson.meta.aliases):
            line = front.line_of(("aliases", index))
            if alias in owners:
                errors.add(lesson.source.shown, line, f"aliases[{index}]", f"旧网址 {alias} 正被 {owners[alias]} 使用，不能再用于跳转")
            elif alias in aliases:
                errors.add(lesson.source.shown, line, f"aliases[{index}]", f"旧网址 {alias} 已是 {aliases[alias]} 的旧网址")
            else:
                aliases[alias] = lesson.source.shown


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


def _check_placeholders(collection: Collection, errors: ErrorCollector) -> None:
    """Template text that `pufa new` wrote must be replaced before anything is published."""
    for item in [*collection.lessons, *collection.months, *collection.episodes]:
        source = item.source
        assert source.front is not None
        for loc, value in _strings(source.front.data):
            if (placeholder := _placeholder_in(value)) is not None:
                errors.add(source.shown, source.front.line_of(loc), dotted(loc),
                           f"“{placeholder}”是 pufa new 留下的占位文字，请改成实际内容")
        for offset, line in enumerate(source.body.split("\n")):
            if (placeholder := _placeholder_in(line)) is not None:
                errors.add(source.shown, source.body_line + offset, "",
                           f"“{placeholder}”是 pufa new 留下的占位文字，请改成实际内容或删除这一行")


def _check_channel(collection: Collection, errors: ErrorCollector) -> None:
    """The podcast channel: needed once any episode has audio; artwork and guid checked."""
    config = collection.config
    with_audio = [episode for episode in collection.episodes if episode.audio is not None]
    if config.podcast is None:
        if with_audio:
            first = min(with_audio, key=lambda e: e.source.shown)
            errors.add(first.source.shown, first.source.front.key_line(("audio",)), "audio",  # type: ignore[union-attr]
                       f"发布播客需要 site_config/{PODCAST_FILE}（节目名称、封面、主办者等），请参照示例站点创建")
        return
    doc = config.sources[PODCAST_FILE]
    for problem in artwork_problems(collection.content_dir / config.podcast.image, collection.content_dir):
        errors.add(doc.path, doc.key_line(("image",)), "image", f"{config.podcast.image}：{problem}")
    if config.podcast.guid is None:
        guid = feed_guid(config.site.site_url + routes.podcast_feed())
        errors.add(doc.path, doc.first_line, "guid",
                   f"缺少播客的永久标识，请填写 guid: {guid}（由订阅地址生成；以后网站搬家也不要改）")


def _check_cross_references(collection: Collection, generated: dict[str, str], errors: ErrorCollector) -> None:
    _check_unique_urls(collection, generated, errors)
    numbers: dict[int, Episode] = {}
    for episode in sorted(collection.episodes, key=lambda e: e.source.shown):
        other = numbers.setdefault(episode.meta.number, episode)
        if other is not episode:
            errors.add(
                episode.source.shown,
                episode.source.front.key_line(("number",)),  # type: ignore[union-attr]
                "number",
                f"期号 {episode.meta.number} 已被 {other.source.shown} 使用",
            )
    lessons = collection.lesson_by_ref()
    for month in collection.months:
        front = month.source.front
        assert front is not None
        for index, ref in enumerate(month.meta.lessons):
            if ref not in lessons and "*/" + ref.split("/")[-1] not in collection.broken_refs:
                hint = _nearest_ref(ref, list(lessons))
                errors.add(month.source.shown, front.line_of(("lessons", index)), f"lessons[{index}]", f"找不到课程 “{ref}”{hint}")
        for index, number in enumerate(month.meta.episodes):
            if number not in numbers and number not in collection.broken_refs:
                errors.add(month.source.shown, front.line_of(("episodes", index)), f"episodes[{index}]", f"找不到第 {number} 期节目")
        for list_name in ("key_dates", "activities"):
            for index, entry in enumerate(getattr(month.meta, list_name)):
                if f"{entry.date:%Y-%m}" != month.meta.month:
                    errors.add(
                        month.source.shown,
                        front.key_line((list_name, index, "date")),
                        f"{list_name}[{index}].date",
                        f"日期 {entry.date} 不在本月（{month.meta.month}）之内",
                    )


def _nearest_ref(ref: str, refs: list[str]) -> str:
    match = difflib.get_close_matches(ref, refs, n=1, cutoff=0.6)
    return f"，是否为 “{match[0]}”？" if match else "：请写作 主题键/slug，并确认该课程存在"


def _declared_at(item: Item) -> tuple[int, str] | None:
    """Where an item states its URL itself (its line and field), or ``None``
    when the URL is derived (a lesson's slug from its title, an episode's from
    its number)."""
    front = item.source.front
    if isinstance(item, Page) or front is None:
        return (1, "")  # a page's file name is its URL
    if isinstance(item, Month):
        return (front.key_line(("month",)), "month")
    if item.meta.slug is not None:
        return (front.key_line(("slug",)), "slug")
    return None


def _derived_at(item: Item) -> tuple[int, str]:
    front = item.source.front
    assert front is not None
    return (front.key_line(("number" if isinstance(item, Episode) else "title",)), "slug")


def _check_unique_urls(collection: Collection, generated: dict[str, str], errors: ErrorCollector) -> None:
    """A URL claimed twice is reported at the file(s) that declare it, each naming the others;
    only when no file declares it (both derive it) at every claimant's derivation."""
    claims: dict[str, list[Item]] = {}
    for item in collection.items:
        claims.setdefault(item.url, []).append(item)
    for url, items in claims.items():
        if url and url in generated:
            for item in items:
                line, field_name = _declared_at(item) or _derived_at(item)
                errors.add(item.source.shown, line, field_name, f"网址 /{url} 由网站自动生成（{generated[url]}），请换一个{f' {field_name}' if field_name else '文件名或位置'}")
        if len(items) < 2:
            continue
        declaring = [item for item in items if _declared_at(item) is not None]
        for item in declaring or items:
            line, field_name = _declared_at(item) or _derived_at(item)
            others = "、".join(other.source.shown for other in items if other is not item)
            errors.add(item.source.shown, line, field_name, f"网址 /{url} 与 {others} 重复，请修改其中一个的 {field_name or '文件名'}")
