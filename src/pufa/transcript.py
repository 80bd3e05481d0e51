"""Timestamped transcripts written in an episode's Markdown body.

Format (documented in the author guide)::

    ## 开场

    [00:00] 林晓：各位听众朋友，欢迎收听本节目。

Each ``##`` heading opens a chapter; each cue is one line that starts with a
``[mm:ss]`` or ``[h:mm:ss]`` time, the speaker and a full-width colon.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .dates import format_time
from .errors import ContentError

_CUE = re.compile(r"^\[(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\]\s*(.*)$")
_SPEAKER = re.compile(r"^([^：:]{1,20})[：:]\s*(.+)$")
_CHAPTER = re.compile(r"^##\s+(.+?)\s*#*\s*$")
#: How far past the audio's end a time may lie: encoders pad or trim a little.
TOLERANCE_SECONDS = 2.0


@dataclass
class Cue:
    start: int  # seconds from the start of the audio
    speaker: str
    text: str
    line: int
    #: A caption file's own start and end, in seconds, kept exactly for republishing.
    span: tuple[float, float] | None = None


@dataclass
class Chapter:
    title: str
    start: int
    line: int
    cues: list[Cue] = field(default_factory=list)


@dataclass
class Transcript:
    chapters: list[Chapter]
    intro: str = ""  # Markdown before the first cue or chapter

    @property
    def cues(self) -> list[Cue]:
        return [cue for chapter in self.chapters for cue in chapter.cues]


def parse_transcript(body: str, shown: str, body_line: int) -> tuple[Transcript, list[ContentError]]:
    """Parse the body; errors carry the file line of the offending cue."""
    errors: list[ContentError] = []
    chapters: list[Chapter] = []
    intro: list[str] = []
    previous = -1
    for offset, raw in enumerate(body.split("\n")):
        line_no = body_line + offset
        line = raw.strip()
        if not line:
            continue
        heading = _CHAPTER.match(line)
        if heading:
            chapters.append(Chapter(heading.group(1), -1, line_no))
            continue
        cue = _CUE.match(line)
        if cue is None:
            if line.startswith("[") and re.match(r"^\[[\d:：.]+\]", line):
                errors.append(ContentError(shown, line_no, "正文", "时间码格式不对，应写作 [分:秒] 或 [时:分:秒]，如 [01:05]"))
            elif not chapters or not chapters[-1].cues:
                intro.append(raw)
            else:
                errors.append(
                    ContentError(shown, line_no, "正文", "文字稿每行应以时间码开头，如 [01:05] 林晓：……")
                )
            continue
        hours, minutes, seconds, rest = cue.groups()
        if int(minutes) > 59 and hours or int(seconds) > 59:
            errors.append(ContentError(shown, line_no, "正文", f"时间码 {line.split(']')[0]}] 不存在：秒和分不能超过 59"))
            continue
        start = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
        speech = _SPEAKER.match(rest)
        if speech is None:
            errors.append(ContentError(shown, line_no, "正文", "时间码后应写说话人和冒号，如 [01:05] 林晓：……"))
            continue
        if start <= previous:
            errors.append(
                ContentError(shown, line_no, "正文", f"时间码 {format_time(start)} 没有晚于上一句的 {format_time(previous)}，请按时间顺序排列")
            )
        previous = max(previous, start)
        if not chapters:
            chapters.append(Chapter("", start, line_no))
        chapter = chapters[-1]
        if not chapter.cues:
            chapter.start = start
        chapter.cues.append(Cue(start, speech.group(1).strip(), speech.group(2).strip(), line_no))
    for chapter in chapters:
        if not chapter.cues:
            errors.append(ContentError(shown, chapter.line, "正文", f"章节 “{chapter.title}” 下没有任何带时间码的文字稿"))
    return Transcript([c for c in chapters if c.cues], "\n".join(intro).strip()), errors


def beyond(seconds: float, duration: float | None) -> bool:
    """Whether a time lies past the end of audio of ``duration`` (unknown: never)."""
    return duration is not None and seconds > duration + TOLERANCE_SECONDS


def check_body_times(transcript: Transcript, duration: float | None, shown: str) -> list[ContentError]:
    """Cues of a body transcript past the end of the audio, each at its own line."""
    return [
        ContentError(shown, cue.line, "正文",
                     f"时间码 {format_time(cue.start)} 超出了音频时长 {format_time(round(duration or 0))}：请核对时间码或音频文件")
        for cue in transcript.cues
        if beyond(cue.start, duration)
    ]


def to_markdown(transcript: Transcript) -> str:
    """Markdown for the episode page: chapter headings stay headings (so they
    reach the table of contents and search); each cue becomes a paragraph whose
    time is a link the player script uses to seek."""
    parts: list[str] = [transcript.intro] if transcript.intro else []
    for chapter in transcript.chapters:
        if chapter.title:
            # A chapter title is plain text (it also feeds chapters.json and the podcast feed):
            # escaped as HTML and as Markdown, so ``[链](https://…)`` or ``{: #id }`` stays text.
            parts.append(f"## {markdown_text(chapter.title)}")
        # One raw HTML block per chapter, not one per cue: Python-Markdown's HTML block
        # parser rescans the rest of the document at the end of every block, so tens of
        # thousands of cue blocks (a long caption file) took minutes.
        parts.append('<div class="pufa-cues">\n' + "\n".join(cue_html(cue) for cue in chapter.cues) + "\n</div>")
    return "\n\n".join(parts) + "\n"


#: What Python-Markdown reads as syntax in a heading's text; a backslash makes each literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def markdown_text(text: str) -> str:
    """Plain text that Markdown shows exactly as written, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(escape(" ".join(text.split()))))


def cue_html(cue: Cue) -> Markup:
    """One cue as a paragraph whose time seeks the player; speaker and text escaped here."""
    stamp = format_time(cue.start)
    return Markup(
        '<p class="pufa-cue" id="t%(start)s" data-start="%(start)s">'
        '<a class="pufa-cue__time" href="#t%(start)s" title="从 %(stamp)s 开始播放">%(stamp)s</a> '
        '<span class="pufa-cue__speaker">%(speaker)s</span>：<span class="pufa-cue__text">%(text)s</span></p>'
    ) % {"start": cue.start, "stamp": stamp, "speaker": cue.speaker, "text": cue.text}


@lru_cache(maxsize=4096)  # asked by the checks, the links and the page of each episode, on every preview save
def prose_lines(body: str) -> str:
    """``body`` with cue and chapter lines blanked: the Markdown an editor wrote around
    the transcript (cues and chapter titles are plain text, escaped on output)."""
    return "\n".join(
        "" if _CUE.match(line.strip()) or _CHAPTER.match(line.strip()) else line for line in body.split("\n")
    )
