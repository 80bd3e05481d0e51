"""Audio files of episodes: byte length, duration and type, read from the file.

Podcast apps trust the enclosure's length and ``itunes:duration``; taking both
from the file itself (with mutagen) means they can never drift from the audio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import mutagen
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

#: Extension -> (MIME type for the enclosure, mutagen class the file must parse as).
AUDIO_FORMATS: dict[str, tuple[str, type]] = {
    ".mp3": ("audio/mpeg", MP3),
    ".m4a": ("audio/x-m4a", MP4),
}


@dataclass(frozen=True)
class AudioInfo:
    url: str  # site-relative path of a local file, or an absolute https URL
    length: int  # bytes
    duration: float  # seconds
    mime_type: str
    local: bool

    @property
    def seconds(self) -> int:
        """Whole seconds, rounded, as ``itunes:duration`` wants them."""
        return int(self.duration + 0.5)


class AudioError(Exception):
    """The file is not usable audio; the message is Chinese and says why."""


def probe(path: Path) -> tuple[str, float]:
    """Return ``(mime_type, duration)`` of a local audio file, or raise :class:`AudioError`."""
    suffix = path.suffix.lower()
    if suffix not in AUDIO_FORMATS:
        raise AudioError(f"不支持的音频格式 “{suffix or '无扩展名'}”，请使用 MP3（.mp3）或 AAC（.m4a）")
    mime_type, kind = AUDIO_FORMATS[suffix]
    try:
        audio = kind(path)
    except mutagen.MutagenError:
        raise AudioError(f"无法识别为 {suffix[1:].upper()} 音频：文件可能已损坏，或扩展名与实际格式不符") from None
    except OSError as exc:
        raise AudioError(f"无法读取音频文件：{exc.strerror}") from None
    duration = float(getattr(audio.info, "length", 0) or 0)
    if duration <= 0:
        raise AudioError("音频时长为 0：文件可能已损坏")
    return mime_type, duration


def parse_duration(value: int | float | str) -> float:
    """``754``, ``"12:34"`` or ``"1:02:03"`` -> seconds.

    YAML reads ``.inf`` and ``.nan`` as floats and any run of digits as an int;
    no time is infinite, NaN or beyond a float, and each would end in a
    traceback wherever a time becomes whole seconds.
    """
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an integer of hundreds of digits
            raise ValueError(value) from None
        if not math.isfinite(seconds):
            raise ValueError(value)
        return seconds
    parts = value.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.strip().replace(".", "", 1).isdigit() for p in parts):
        raise ValueError(value)
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    if not math.isfinite(seconds):
        raise ValueError(value)
    return seconds
