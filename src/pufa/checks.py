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
from .collection import PODCAST_FEED, Collection
from .errors import ContentError, ErrorCollector
from .items import Episode, Item, Lesson
from .siteconfig import PODCAST_FILE
from .transcript import prose_lines
from .views import build_views


def check_collection(collection: Collection, errors: ErrorCollector) -> None:
    _check_citations(collection, errors)
    generated = _generated_pages(collection)
    _check_cross_references(collection, generated, errors)
    _check_aliases(collection, generated, errors)
    _check_channel(collection, errors)
    _check_html(collection, errors)


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


def _check_aliases(collection: Collection, generated: dict[str, str], errors: ErrorCollector) -> None:
    """Old lesson URLs redirect to the lesson; none may shadow a live page or another alias."""
    owners: dict[str, str] = {f"/{item.url}": item.source.shown for item in collection.items}
    owners.update({f"/{url}": f"系统生成的页面（{title}）" for url, title in generated.items()})
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
    for problem in artwork_problems(collection.content_dir / config.podcast.image):
        errors.add(doc.path, doc.key_line(("image",)), "image", f"{config.podcast.image}：{problem}")
    if config.podcast.guid is None:
        guid = feed_guid(config.site.site_url + PODCAST_FEED)
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


def _check_unique_urls(collection: Collection, generated: dict[str, str], errors: ErrorCollector) -> None:
    owners: dict[str, Item] = {}
    for item in collection.items:
        other = owners.setdefault(item.url, item)
        if other is not item:
            field_name = "slug" if item.kind in ("lesson", "episode") else ("month" if item.kind == "month" else "")
            line = item.source.front.key_line((field_name,)) if item.source.front and field_name else 1
            errors.add(item.source.shown, line, field_name, f"网址 /{item.url} 与 {other.source.shown} 重复，请修改其中一个的 {field_name or '文件名'}")
    for url, item in owners.items():
        if url and url in generated:
            errors.add(item.source.shown, 1, "", f"网址 /{url} 由网站自动生成（{generated[url]}），请换一个文件名或位置")
