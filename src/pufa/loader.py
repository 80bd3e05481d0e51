"""Loading a campaign: read every Markdown file, validate it on its own, then
run the cross-file checks, raising every error found at once."""

from __future__ import annotations

from pathlib import Path

from .audio import AUDIO_FORMATS, AudioError, AudioInfo, probe
from .captions import CaptionError, caption_problems, read_transcript_file
from .checks import check_collection
from .collection import Collection
from .errors import ErrorCollector
from .inputs import AUDIO, InputError, MissingInput, checked_path, content_files
from .items import Episode, Lesson, Month, Page
from .models import EpisodeMeta, LessonMeta, MonthMeta, PageMeta
from .paths import display_path
from .siteconfig import SiteConfig
from .slugs import is_slug, slugify
from .sources import Source, read_source
from .transcript import Transcript, beyond, check_body_times, format_time, parse_transcript
from .validation import validate

SECTIONS = {"lessons": LessonMeta, "months": MonthMeta, "radio": EpisodeMeta}
_PAGE_URI_OK = set("abcdefghijklmnopqrstuvwxyz0123456789-_/.")


def load_collection(content_dir: Path, config: SiteConfig, *, placeholders: bool = True) -> Collection:
    """Read, validate and cross-check every Markdown file under ``content_dir``.

    Raises :class:`pufa.errors.ContentErrors` with every problem found.
    ``placeholders=False`` tolerates `pufa new`'s template text: for `pufa new`
    itself, which must number an episode while an earlier scaffold is unfinished.
    """
    errors = ErrorCollector()
    collection = Collection(config, content_dir)
    context = {"taxonomy": config.taxonomy}
    markdown, refused = content_files(content_dir)
    for path, message in refused:
        errors.add(display_path(path, config.root), 1, "", message)
    for path in markdown:
        src_uri = path.relative_to(content_dir).as_posix()
        shown = display_path(path, config.root)
        source, read_errors = read_source(path, shown, src_uri, content_dir)
        errors.extend(read_errors)
        if source is None:
            continue
        section = src_uri.split("/", 1)[0] if "/" in src_uri else ""
        if section in SECTIONS and not src_uri.endswith("/index.md"):
            _load_item(section, source, context, collection, errors)
        else:
            _load_page(source, collection, errors)
    collection._sort()
    check_collection(collection, errors, placeholders=placeholders)
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
        if source.path.stem != meta.month:
            errors.add(source.shown, source.front.key_line(("month",)), "month",
                       f"文件名 {source.path.name} 与 month: {meta.month} 不一致：每月主题的文件名应为 {meta.month}.md，请改正其中一个")
        collection.months.append(Month(meta, source))
    elif isinstance(meta, EpisodeMeta):
        audio = _check_audio(meta, source, collection.content_dir, errors)
        transcript = _load_transcript(meta, source, collection.content_dir, audio.duration if audio else None, errors)
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
    try:
        path = checked_path(source.path.parent / meta.audio, content_dir, AUDIO)
    except MissingInput:
        errors.add(source.shown, line, "audio", f"找不到音频文件 “{meta.audio}”：请把文件放在本文件旁边，或改正文件名")
        return None
    except InputError as exc:
        errors.add(source.shown, line, "audio", f"{meta.audio}：{exc.message}")
        return None
    try:
        mime_type, duration = probe(path)
    except AudioError as exc:
        errors.add(source.shown, line, "audio", f"{meta.audio}：{exc}")
        return None
    url = path.relative_to(content_dir.resolve()).as_posix()
    return AudioInfo(url, path.stat().st_size, duration, mime_type, local=True)


def _load_transcript(meta: EpisodeMeta, source: Source, content_dir: Path, duration: float | None, errors: ErrorCollector) -> Transcript:
    """The transcript from a caption file beside the episode, or from its body.

    Times must lie within the audio when its duration is known. Beside a
    caption file, the body (without time codes) is the episode's introduction,
    shown above the transcript: text an editor wrote is never dropped.
    """
    front = source.front
    assert front is not None
    body, body_errors = parse_transcript(source.body, source.shown, source.body_line)
    if meta.transcript is None:
        errors.extend(body_errors)
        errors.extend(check_body_times(body, duration, source.shown))
        if meta.chapters:
            errors.add(source.shown, front.key_line(("chapters",)), "chapters", "正文文字稿的章节由 ## 标题给出，请删除 chapters")
        return body
    line = front.key_line(("transcript",))
    if body.cues:
        errors.add(source.shown, line, "transcript", "已指定文字稿文件，正文中不能再有带时间码的文字稿；请二选一")
    for index, chapter in enumerate(meta.chapters):
        if beyond(chapter.start, duration):
            errors.add(source.shown, front.key_line(("chapters", index, "start")), f"chapters[{index}].start",
                       f"章节开始时间 {format_time(int(chapter.start))} 超出了音频时长 {format_time(round(duration or 0))}")
    try:
        transcript = read_transcript_file(
            source.path.parent / meta.transcript, [(c.start, c.title) for c in meta.chapters], inside=content_dir
        )
    except CaptionError as exc:
        errors.add(source.shown, line, "transcript", f"{meta.transcript}：{exc}")
        return Transcript([])
    for problem in caption_problems(transcript, duration):
        errors.add(source.shown, line, "transcript", f"{meta.transcript}：{problem}")
    if not body.cues:
        transcript.intro = source.body.strip()
    return transcript
