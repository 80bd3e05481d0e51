"""Transcripts as files: WebVTT and SRT in and out (webvtt-py), chapters as JSON.

An episode's transcript may come from a ``.vtt``/``.srt`` file beside it or from
its Markdown body (:mod:`pufa.transcript`); either way it is published as both
formats plus a Podcasting 2.0 chapters file, next to the episode's page.
"""

from __future__ import annotations

import html
import io
import re
from functools import lru_cache
from pathlib import Path

from webvtt import Caption, WebVTT
from webvtt.errors import MalformedCaptionError, MalformedFileError

from .inputs import CAPTIONS, InputError, MissingInput, control_character, read_text
from .text import json_text
from .dates import caption_timestamp, format_time
from .transcript import Chapter, Cue, Transcript, beyond

#: How long the last cue lasts when the audio's duration is unknown.
LAST_CUE_SECONDS = 5.0
_SPEAKER_PREFIX = re.compile(r"^([^：:]{1,20})[：:]\s*(.+)$", re.S)


class CaptionError(Exception):
    """A transcript file that cannot be used; the message is Chinese."""


def _cue_text(text: str) -> str:
    """Caption text is markup in WebVTT (``<i>``, ``<v …>``, ``&amp;``) and in practice in
    SRT too (players honour ``<i>``/``<font>`` and decode entities): escape what the
    editor wrote, so it is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: What captions are made of: each cue's start, speaker, text and own span.
_Cues = tuple[tuple[int, str, str, "tuple[float, float] | None"], ...]


def _cues(transcript: Transcript) -> _Cues:
    return tuple((cue.start, cue.speaker, cue.text, cue.span) for cue in transcript.cues)


def _captions(cues: _Cues, duration: float | None, with_voice: bool) -> WebVTT:
    document = WebVTT()
    for index, (start, speaker, said, span) in enumerate(cues):
        if span is not None:
            start, end = span
        else:
            end = cues[index + 1][0] if index + 1 < len(cues) else max(duration or 0, start + LAST_CUE_SECONDS)
        speaker, said = _cue_text(speaker), _cue_text(said)
        text = f"<v {speaker}>{said}" if with_voice else f"{speaker}：{said}"
        document.captions.append(Caption(start=caption_timestamp(start), end=caption_timestamp(end), text=text))
    return document


def to_vtt(transcript: Transcript, duration: float | None) -> str:
    """WebVTT with ``<v Speaker>`` voice spans, as the Podcasting 2.0 transcript spec suggests."""
    return _vtt(_cues(transcript), duration)


def to_srt(transcript: Transcript, duration: float | None) -> str:
    """SRT has no voice spans; the speaker is written before the text."""
    return _srt(_cues(transcript), duration)


# Cached by content: the live preview writes every episode's captions on every save, and making
# them (webvtt-py) was a sixth of a rebuild; an episode that did not change has the same cues.
@lru_cache(maxsize=2048)
def _vtt(cues: _Cues, duration: float | None) -> str:
    return _captions(cues, duration, with_voice=True).content


@lru_cache(maxsize=2048)
def _srt(cues: _Cues, duration: float | None) -> str:
    buffer = io.StringIO()
    _captions(cues, duration, with_voice=False).write(buffer, format="srt")
    return buffer.getvalue()


def chapters_json(transcript: Transcript, title: str) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0)."""
    chapters = [{"startTime": chapter.start, "title": chapter.title} for chapter in transcript.chapters if chapter.title]
    document = {"version": "1.2.0", "title": title, "chapters": chapters}
    return json_text(document, indent=2) + "\n"


def caption_problems(transcript: Transcript, duration: float | None) -> list[str]:
    """What is wrong with a caption file's own times: a cue that ends before
    it starts, or one that runs past the end of the audio (when known)."""
    problems: list[str] = []
    for cue in transcript.cues:
        if cue.span is None:
            continue
        start, end = cue.span
        if end <= start:
            problems.append(f"字幕 {caption_timestamp(start)} --> {caption_timestamp(end)} 的结束时间不晚于开始时间，请改正")
        elif beyond(end, duration):
            problems.append(
                f"字幕 {caption_timestamp(start)} --> {caption_timestamp(end)} 超出了音频时长 {format_time(round(duration or 0))}：请核对字幕文件或音频文件"
            )
    return problems


def read_transcript_file(path: Path, chapters: list[tuple[float, str]], *, inside: Path) -> Transcript:
    """Read a ``.vtt`` or ``.srt`` file of ``inside`` (the content directory) into a :class:`Transcript`.

    The text comes through :mod:`pufa.inputs` (containment, size, UTF-8);
    webvtt-py only ever parses a string. Speakers come from ``<v Name>`` spans
    or a leading ``名字：``; chapters, which caption files do not carry, come
    from the episode's front matter.
    """
    try:
        text = read_text(path, inside, CAPTIONS)
    except MissingInput:
        raise CaptionError(f"找不到文字稿文件 “{path.name}”：请把文件放在本文件旁边，或改正文件名") from None
    except InputError as exc:
        raise CaptionError(exc.message) from None
    problem = control_character(text)
    if problem is not None:
        raise CaptionError(problem.message)
    try:
        document = WebVTT.from_buffer(io.StringIO(text), format="srt" if path.suffix.lower() == ".srt" else "vtt")
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise CaptionError(f"文字稿文件格式错误（{exc}）：请用字幕软件重新导出 WebVTT 或 SRT") from None
    if not document.captions:
        raise CaptionError("文字稿文件里没有任何字幕")
    cues: list[Cue] = []
    previous = -1
    for caption in document.captions:
        start = int(caption.start_in_seconds)
        # webvtt-py drops the tags but keeps entities: the transcript holds plain text.
        speaker = html.unescape(caption.voice or "")
        text = html.unescape(caption.text.replace("\n", " ").strip())
        if not speaker:
            match = _SPEAKER_PREFIX.match(text)
            if match:
                speaker, text = match.group(1).strip(), match.group(2).strip()
        if start < previous:
            raise CaptionError(f"字幕 {caption.start} 早于上一条，请按时间顺序排列")
        previous = start
        span = (caption.start_time.in_milliseconds() / 1000, caption.end_time.in_milliseconds() / 1000)
        cues.append(Cue(start, speaker or "旁白", text, 0, span))
    sections: list[Chapter] = []
    for start, title in sorted(chapters) or [(0.0, "")]:
        sections.append(Chapter(title, int(start), 0))
    for cue in cues:
        owner = [chapter for chapter in sections if chapter.start <= cue.start]
        (owner[-1] if owner else sections[0]).cues.append(cue)
    return Transcript([chapter for chapter in sections if chapter.cues])
