"""The whole campaign as one validated, cross-referenced collection.

Loading never stops at the first problem: every file is read, every schema
checked, every reference resolved, and all errors are raised together.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .artwork import artwork_problems
from .audio import AUDIO_FORMATS, AudioError, AudioInfo, probe
from .captions import CaptionError, read_transcript_file
from .errors import ContentError, ErrorCollector
from .items import Episode, Item, Lesson, Month, Page
from .models import EpisodeMeta, LessonMeta, MonthMeta, PageMeta
from .paths import display_path
from . import citing
from .channel import feed_guid
from .siteconfig import PODCAST_FILE, SiteConfig
from .slugs import is_slug, slugify
from .sources import Source, read_source
from .transcript import Transcript, parse_transcript
from .validation import validate

#: Where the podcast feed is published, relative to site_url.
PODCAST_FEED = "radio/feed.xml"
SECTIONS = {"lessons": LessonMeta, "months": MonthMeta, "radio": EpisodeMeta}
_PAGE_URI_OK = set("abcdefghijklmnopqrstuvwxyz0123456789-_/.")


@dataclass
class Collection:
    config: SiteConfig
    content_dir: Path
    lessons: list[Lesson] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    #: References to items that exist but failed validation: not reported as dangling.
    broken_refs: set[str | int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._sort()

    def _sort(self) -> None:
        self.lessons.sort(key=lambda item: (item.meta.date, item.url), reverse=True)
        self.months.sort(key=lambda item: item.meta.month)
        self.episodes.sort(key=lambda item: item.meta.number, reverse=True)
        self.pages.sort(key=lambda item: item.source.src_uri)

    @property
    def items(self) -> list[Item]:
        return [*self.lessons, *self.months, *self.episodes, *self.pages]

    def by_src_uri(self) -> dict[str, Item]:
        return {item.source.src_uri: item for item in self.items}

    def lesson_by_ref(self) -> dict[str, Lesson]:
        return {lesson.ref: lesson for lesson in self.lessons}

    def episode_by_number(self) -> dict[int, Episode]:
        return {episode.meta.number: episode for episode in self.episodes}

    def current_month(self, today: date) -> Month | None:
        """This month's theme; outside the campaign, the nearest month before today."""
        if not self.months:
            return None
        key = f"{today.year:04d}-{today.month:02d}"
        past = [month for month in self.months if month.meta.month <= key]
        return past[-1] if past else self.months[0]

    def group(self, attribute: str) -> dict[str, list[Lesson]]:
        """Lessons by a list-valued or single taxonomy field, in taxonomy order."""
        groups: dict[str, list[Lesson]] = defaultdict(list)
        for lesson in self.lessons:
            value = getattr(lesson.meta, attribute)
            for key in value if isinstance(value, list) else [value]:
                groups[key].append(lesson)
        return groups


def load_collection(content_dir: Path, config: SiteConfig) -> Collection:
    """Read, validate and cross-check every Markdown file under ``content_dir``.

    Raises :class:`pufa.errors.ContentErrors` with every problem found.
    """
    errors = ErrorCollector()
    collection = Collection(config, content_dir)
    context = {"taxonomy": config.taxonomy}
    for path in sorted(content_dir.rglob("*.md")):
        src_uri = path.relative_to(content_dir).as_posix()
        shown = display_path(path, config.root)
        source, read_errors = read_source(path, shown, src_uri)
        errors.extend(read_errors)
        if source is None:
            continue
        section = src_uri.split("/", 1)[0] if "/" in src_uri else ""
        if section in SECTIONS and not src_uri.endswith("/index.md"):
            _load_item(section, source, context, collection, errors)
        else:
            _load_page(source, collection, errors)
    collection._sort()
    _check_citations(collection, errors)
    generated = _generated_pages(collection)
    _check_cross_references(collection, generated, errors)
    _check_aliases(collection, generated, errors)
    _check_channel(collection, errors)
    errors.raise_if_any()
    return collection


def _load_item(section: str, source: Source, context: dict, collection: Collection, errors: ErrorCollector) -> None:
    if source.front is None or source.front.data is None:
        errors.add(source.shown, 1, "", "缺少前置信息：文件应以 --- 开头的 YAML 块开始（可用 pufa new 生成）")
        return
    model = SECTIONS[section]
    meta, model_errors = validate(model, source.front, context)
    errors.extend(model_errors)
    if meta is None:
        collection.broken_refs.update(_raw_refs(section, source.meta))
        return
    if isinstance(meta, LessonMeta):
        slug = meta.slug or slugify(meta.title)
        if not is_slug(slug) or len(slug) < 3:
            errors.add(source.shown, source.front.key_line(("title",)), "slug", "无法由标题生成网址，请填写 slug（小写英文字母、数字和连字符）")
            return
        collection.lessons.append(Lesson(meta, source, slug))
    elif isinstance(meta, MonthMeta):
        collection.months.append(Month(meta, source))
    elif isinstance(meta, EpisodeMeta):
        transcript = _load_transcript(meta, source, errors)
        audio = _check_audio(meta, source, collection.content_dir, errors)
        slug = meta.slug or f"ep{meta.number:03d}"
        collection.episodes.append(Episode(meta, source, slug, transcript, audio))


def _raw_refs(section: str, raw: dict) -> set[str | int]:
    """What other files may call an item that failed validation, so that one
    mistake is reported once, not again at every reference to it."""
    if section == "radio" and isinstance(raw.get("number"), int):
        return {raw["number"]}
    if section == "lessons":
        # The topic may be the very mistake, so match such lessons by slug alone.
        return {"*/" + str(raw.get("slug") or slugify(str(raw.get("title", ""))))}
    return set()


def _load_page(source: Source, collection: Collection, errors: ErrorCollector) -> None:
    if not set(source.src_uri) <= _PAGE_URI_OK:
        errors.add(source.shown, 1, "", "文件名只能用小写英文字母、数字、- 和 _，以保证网址稳定（如 about.md）")
        return
    meta = PageMeta()
    if source.front is not None and source.front.data is not None:
        parsed, model_errors = validate(PageMeta, source.front)
        errors.extend(model_errors)
        if parsed is None:
            return
        meta = parsed
    collection.pages.append(Page(meta, source))


def _check_audio(meta: EpisodeMeta, source: Source, content_dir: Path, errors: ErrorCollector) -> AudioInfo | None:
    """Resolve an episode's audio; length and duration come from the file itself."""
    front = source.front
    assert front is not None
    if meta.audio is None:
        for name in ("audio_length", "audio_duration"):
            if getattr(meta, name) is not None:
                errors.add(source.shown, front.key_line((name,)), name, "没有填写 audio 时不需要此字段")
        return None
    line = front.key_line(("audio",))
    if meta.audio.startswith("https://"):
        missing = [name for name in ("audio_length", "audio_duration") if getattr(meta, name) is None]
        for name in missing:
            what = "字节数" if name == "audio_length" else "时长（秒或 时:分:秒）"
            errors.add(source.shown, line, name, f"音频是网址时必须填写 {name}：音频文件的{what}")
        suffix = Path(meta.audio.split("?", 1)[0]).suffix.lower()
        if suffix not in AUDIO_FORMATS:
            errors.add(source.shown, line, "audio", f"不支持的音频格式 “{suffix or '无扩展名'}”，请使用 MP3（.mp3）或 AAC（.m4a）")
            return None
        if missing:
            return None
        assert meta.audio_length is not None and meta.audio_duration is not None
        return AudioInfo(meta.audio, meta.audio_length, meta.audio_duration, AUDIO_FORMATS[suffix][0], local=False)
    for name in ("audio_length", "audio_duration"):
        if getattr(meta, name) is not None:
            errors.add(source.shown, front.key_line((name,)), name, "本地音频的大小和时长从文件中读取，请删除此字段")
    path = (source.path.parent / meta.audio).resolve()
    if not path.is_relative_to(content_dir.resolve()):
        errors.add(source.shown, line, "audio", "音频文件必须位于 content 目录之内")
        return None
    if not path.is_file():
        errors.add(source.shown, line, "audio", f"找不到音频文件 “{meta.audio}”：请把文件放在本文件旁边，或改正文件名")
        return None
    try:
        mime_type, duration = probe(path)
    except AudioError as exc:
        errors.add(source.shown, line, "audio", f"{meta.audio}：{exc}")
        return None
    url = path.relative_to(content_dir.resolve()).as_posix()
    return AudioInfo(url, path.stat().st_size, duration, mime_type, local=True)


def _load_transcript(meta: EpisodeMeta, source: Source, errors: ErrorCollector) -> Transcript:
    """The transcript from a caption file beside the episode, or from its body."""
    front = source.front
    assert front is not None
    body, body_errors = parse_transcript(source.body, source.shown, source.body_line)
    if meta.transcript is None:
        errors.extend(body_errors)
        if meta.chapters:
            errors.add(source.shown, front.key_line(("chapters",)), "chapters", "正文文字稿的章节由 ## 标题给出，请删除 chapters")
        return body
    line = front.key_line(("transcript",))
    if body.cues:
        errors.add(source.shown, line, "transcript", "已指定文字稿文件，正文中不能再有带时间码的文字稿；请二选一")
    try:
        return read_transcript_file(
            source.path.parent / meta.transcript, [(c.start, c.title) for c in meta.chapters]
        )
    except CaptionError as exc:
        errors.add(source.shown, line, "transcript", f"{meta.transcript}：{exc}")
        return Transcript([])


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
    from .views import build_views  # views build on collections

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
