"""An episode of the county radio's legal programme (``site.yml``'s ``programme``): audio, transcript, chapters, podcast."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import routes
from ..audio import AUDIO_FORMATS, AudioError, AudioInfo, probe
from ..captions import CaptionError, caption_problems, read_transcript_file
from ..errors import ErrorCollector
from ..inputs import AUDIO, InputError, MissingInput, checked_path
from ..models import EpisodeMeta
from ..sources import Source
from ..dates import format_time
from ..transcript import Transcript, beyond, check_body_times, parse_transcript, prose_lines, to_markdown
from .base import Filed, Item, Kind, LoadContext, View

if TYPE_CHECKING:
    from ..campaign import Campaign
    from ..report import Row
    from ..siteconfig import SiteConfig


@dataclass(frozen=True, eq=False)
class Episode(Filed, Item):
    slug: str = ""
    transcript: Transcript = field(default_factory=lambda: Transcript([]))
    audio: AudioInfo | None = None
    #: The programme's name, part of the episode's label.
    programme: str = ""

    @property
    def url(self) -> str:
        return routes.episode(self.slug)

    @property
    def files(self) -> routes.EpisodeFiles:
        return routes.episode_files(self.slug)

    @property
    def label(self) -> str:
        return f"《{self.programme}》第{self.meta.number}期：{self.title}"

    @property
    def published(self) -> datetime:
        return self.meta.air

    @cached_property
    def body(self) -> str:
        """Made once per item: checks, the page, the feeds and the preview's next build all read it."""
        return to_markdown(self.transcript)


class EpisodeKind(Kind):
    name = "episode"
    label = "节目"
    section = "radio"
    schema = EpisodeMeta
    template = "pufa/episode.html"
    card = "episode_card"
    in_site_feed = True

    def make(self, meta: EpisodeMeta, source: Source, context: LoadContext) -> Episode:
        audio = _check_audio(meta, source, context.content_dir, context.errors)
        transcript = _load_transcript(meta, source, context.content_dir, audio.duration if audio else None, context.errors)
        return Episode(meta, source, slug=meta.slug or f"ep{meta.number:03d}", transcript=transcript, audio=audio,
                       programme=context.config.site.programme.name)

    def raw_refs(self, raw: dict) -> set[str | int]:
        return {raw["number"]} if isinstance(raw.get("number"), int) else set()

    def order(self, item: Episode) -> Any:
        return item.meta.number

    def newest_first(self) -> bool:
        return True

    def derived_at(self, item: Episode) -> tuple[int, str]:
        return (item.source.front.key_line(("number",)), "slug")  # type: ignore[union-attr]

    def html_body(self, item: Episode) -> str:
        return prose_lines(item.source.body)

    def own_files(self, item: Episode) -> list[str]:
        uris = []
        if item.audio is not None and item.audio.local:
            uris.append(item.audio.url)
        if item.meta.transcript:
            uris.append((Path(item.source.src_uri).parent / item.meta.transcript).as_posix())
        return uris

    def check_all(self, campaign: Campaign, errors: ErrorCollector) -> None:
        """Episode numbers are unique; a podcast channel exists once any episode has audio."""
        from ..artwork import artwork_problems
        from ..channel import feed_guid
        from ..siteconfig import PODCAST_FILE

        numbers: dict[int, Episode] = {}
        episodes: list[Episode] = campaign.of(self.name)
        for episode in sorted(episodes, key=lambda e: e.source.shown):
            other = numbers.setdefault(episode.meta.number, episode)
            if other is not episode:
                errors.add(episode.source.shown, episode.source.front.key_line(("number",)), "number",  # type: ignore[union-attr]
                           f"期号 {episode.meta.number} 已被 {other.source.shown} 使用")
        _check_guids(episodes, campaign.config.podcast.guid if campaign.config.podcast else None, errors)
        config = campaign.config
        with_audio = [episode for episode in episodes if episode.audio is not None]
        if config.podcast is None:
            if with_audio:
                first = min(with_audio, key=lambda e: e.source.shown)
                errors.add(first.source.shown, first.source.front.key_line(("audio",)), "audio",  # type: ignore[union-attr]
                           f"发布播客需要 site_config/{PODCAST_FILE}（节目名称、封面、主办者等），请参照示例站点创建")
            return
        doc = config.sources[PODCAST_FILE]
        for problem in artwork_problems(campaign.content_dir / config.podcast.image, campaign.content_dir):
            errors.add(doc.path, doc.key_line(("image",)), "image", f"{config.podcast.image}：{problem}")
        if config.podcast.guid is None:
            guid = feed_guid(config.site.site_url + routes.podcast_feed())
            errors.add(doc.path, doc.first_line, "guid",
                       f"缺少播客的永久标识，请填写 guid: {guid}（由订阅地址生成；以后网站搬家也不要改）")

    def views(self, config: SiteConfig) -> list[View]:
        programme = config.site.programme
        return [View(routes.radio(), f"《{programme.name}》", "pufa/radio.html",
                     lambda campaign, today: {"episodes": campaign.of(self.name), **_subscribe(campaign)},
                     programme.description, paginate="episodes")]

    def nav(self, config: SiteConfig) -> list[tuple[str, str]]:
        return [(config.site.programme.name, routes.radio())]

    def page_context(self, item: Episode, campaign: Campaign) -> dict[str, Any]:
        context: dict[str, Any] = {}
        if item.audio is not None:
            context["audio_url"] = routes.relative(item.audio.url, item.url) if item.audio.local else item.audio.url
        if item.transcript.cues:
            context["files"] = item.files
        return context

    def files(self, campaign: Campaign, rendered: Mapping[str, str]) -> dict[str, bytes]:
        from ..feeds import companion_files, podcast_feed

        files = companion_files(campaign.of(self.name))
        if campaign.config.podcast is not None:
            files[routes.podcast_feed()] = podcast_feed(campaign, campaign.config.podcast)
        return files

    def file_names(self, campaign: Campaign) -> dict[str, str]:
        names = {routes.podcast_feed(): "播客订阅"}
        for episode in campaign.of(self.name):
            for path in (episode.files.vtt, episode.files.srt, episode.files.chapters):
                names[path] = f"{episode.source.shown} 的文字稿文件"
        return names

    def heading(self, config: SiteConfig) -> str:
        return f"《{config.site.programme.name}》{self.label}"

    def report_rows(self, item: Episode) -> list[Row]:
        from ..report import Row

        return [Row(item.department, self.label, item.label, item.meta.air.date(), item.meta.topic, item.url)]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--title", required=True, help="本期标题")
        parser.add_argument("--topic", required=True, help="主题键，如 minfadian")
        parser.add_argument("--department", required=True, help="负责部门键，如 fayuan")
        parser.add_argument("--number", type=int, help="期号（默认为现有最大期号加一）")
        parser.add_argument("--air", help="首播时间，如 “2026-03-13 18:30”（默认今天 18:30）")

    def scaffold(self, args: argparse.Namespace, config: SiteConfig, content_dir: Any, today: date, load: Any) -> Any:
        from ..scaffold import ScaffoldError, new_episode

        campaign = load()
        if campaign is None and args.number is None:
            raise ScaffoldError("--number: 现有内容有错误，无法自动确定期号，请用 --number 指定")
        numbers = [episode.meta.number for episode in campaign.of(self.name)] if campaign else []
        return new_episode(config, content_dir, numbers, title=args.title, topic=args.topic,
                           department=args.department, number=args.number, air=args.air, today=today)


def _subscribe(campaign: Campaign) -> dict[str, Any]:
    """The radio page's ways in: the feed's address, a QR code of it, and Apple's one-tap link
    (Apple has ``pcast:`` links open in Apple Podcasts on its devices; elsewhere they do nothing, as the page says)."""
    from ..qr import qr_svg

    if campaign.config.podcast is None:
        return {}
    feed = campaign.config.site.site_url + routes.podcast_feed()
    apple = "pcast://" + feed.split("://", 1)[1]
    return {"feed_url": feed, "feed_qr": qr_svg(feed, "订阅地址二维码"), "apple_url": apple}


def _check_guids(episodes: list[Episode], channel_guid: Any, errors: ErrorCollector) -> None:
    """Podcast apps tell episodes apart by guid alone: two with one guid merge into one.

    Reported at each ``guid:`` line (a derived guid has none), naming the other file.
    """
    from ..feeds import episode_guid

    by_guid: dict[str, list[Episode]] = {}
    for episode in episodes:
        if episode.meta.guid or channel_guid is not None:
            by_guid.setdefault(episode_guid(channel_guid, episode), []).append(episode)
    for guid, same in by_guid.items():
        for episode in (e for e in same if e.meta.guid and len(same) > 1):
            others = "、".join(f"{o.source.shown}{'' if o.meta.guid else '（由期号生成）'}" for o in same if o is not episode)
            errors.add(episode.source.shown, episode.source.front.key_line(("guid",)), "guid",  # type: ignore[union-attr]
                       f"guid “{guid}” 与 {others}的相同，播客应用会把它们当成同一期：请改成另一个值（或删除 guid，由期号生成）")


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


def _load_transcript(meta: EpisodeMeta, source: Source, content_dir: Path, duration: float | None,
                     errors: ErrorCollector) -> Transcript:
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


KIND = EpisodeKind()
Episode.kind = KIND
