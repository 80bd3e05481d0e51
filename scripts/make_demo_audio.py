#!/usr/bin/env python3
"""Synthesize small demo MP3s for the 《见事说法》 episodes from their transcripts.

Why
    The demo episodes in ``content/radio/`` have transcripts but no recordings,
    so the podcast path (local ``audio:`` files, enclosures in the feed, the
    player on the episode page) was never exercised with real files.  This
    script makes a real, small, obviously synthetic MP3 for each episode.

How
    1. Each episode's front matter gives the number, title, air year and the
       hosts/guests; the body gives the cues ``[mm:ss] 说话人：话``.
    2. Every speaker gets a voice of their own: espeak-ng's Mandarin voice
       (``cmn``) with a different variant and pitch.  Hosts come first, then
       guests, then anyone else in order of first appearance, so the host
       sounds the same in every episode.
    3. Each cue is synthesized to a WAV and its leading/trailing silence is
       trimmed.  The transcript's timestamps are authoritative: the speech is
       placed exactly at the cue's start time, and the gaps are silence.  If the
       speech would run into the next cue, the cue is synthesized again with a
       higher espeak speed (``-s``) until it fits; as a last resort it is cut
       with a short fade.  So the audio never drifts from the transcript.  The
       last cue runs to its natural end, followed by one second of silence.
    4. The whole episode is encoded by ``lame`` as mono MPEG-2 Layer III,
       16 kHz, 8 kbps CBR (about 1 KB per second, so a six-minute episode
       stays under 400 KB) with ID3v2 tags (title, artist, album, year,
       track, genre).  No timestamps are embedded, and espeak-ng and lame are
       deterministic, so re-running the script gives byte-identical files.
    5. ``audio: audio/epNNN.mp3`` is inserted into the episode's front matter
       right after the ``summary:`` line (or an existing ``audio:`` line is
       updated); nothing else in the file changes.

Requirements: pufa installed (make site sets up .venv; run this with .venv/bin/python) and the Debian packages
``espeak-ng`` and ``lame`` (``apt-get install espeak-ng lame``).

Usage::

    python scripts/make_demo_audio.py                  # all episodes
    python scripts/make_demo_audio.py --only ep001     # one episode (repeatable)
    python scripts/make_demo_audio.py --content path/to/content
"""

from __future__ import annotations

import argparse
import array
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

# --- Voices and timing -------------------------------------------------------

LANGUAGE = "cmn"
# (espeak-ng variant, pitch 0-99, base speed in words per minute), one per
# speaker in order: hosts first, then guests.  Alternating female/male-ish
# variants keeps neighbouring speakers easy to tell apart.
VOICES = [
    ("f3", 62, 190),
    ("m3", 38, 185),
    ("f2", 75, 190),
    ("m7", 50, 180),
    ("f5", 55, 185),
    ("m2", 30, 185),
]
MAX_SPEED = 700  # espeak-ng -s; above 450 it speeds up with libsonic
GAP = 0.3  # seconds of silence kept before the next cue starts
MIN_SLOT = 0.3  # a cue always gets at least this much room
TAIL = 1.0  # seconds of silence after the last cue
FADE = 0.08  # fade-out length when a cue has to be cut
SILENCE = 200  # |sample| below this counts as silence when trimming

# --- Encoding ----------------------------------------------------------------

BITRATE = 8  # kbps, CBR
SAMPLE_RATE = 16  # kHz (MPEG-2 Layer III)
ARTIST = "安澜县广播电视台"
ALBUM = "见事说法"
COMMENT = "演示音频：由 espeak-ng 按文字稿合成，并非节目录音"


class Failure(Exception):
    """A problem reported to the user as one Chinese sentence, without a traceback."""


@dataclass
class CueText:
    start: int
    speaker: str
    text: str


@dataclass
class Episode:
    path: Path
    number: int
    title: str
    year: str | None
    people: list[str]  # hosts, then guests, from the front matter
    cues: list[CueText]

    @property
    def audio_name(self) -> str:
        return f"ep{self.number:03d}.mp3"


# --- Reading episodes --------------------------------------------------------


def read_episode(path: Path) -> Episode:
    """Read the episode with pufa's own loaders, so the audio follows exactly
    the transcript the site publishes."""
    from pufa.sources import read_source
    from pufa.transcript import parse_transcript

    shown = str(path)
    source, errors = read_source(path, shown, path.name, path.parent)
    if source is None or errors:
        raise Failure("；".join(str(error) for error in errors) or f"{shown}：无法读取")
    meta = source.meta
    number, title = meta.get("number"), meta.get("title")
    if not isinstance(number, int):
        raise Failure(f"{shown}：前置信息缺少期号 number")
    if not title:
        raise Failure(f"{shown}：前置信息缺少标题 title")
    transcript, errors = parse_transcript(source.body, shown, source.body_line)
    if errors:
        raise Failure(str(errors[0]))
    if not transcript.cues:
        raise Failure(f"{shown}：正文里没有找到 “[分:秒] 说话人：话” 格式的文字稿")
    people = [
        str(person["name"])
        for key in ("hosts", "guests")
        for person in meta.get(key) or []
        if isinstance(person, dict) and person.get("name")
    ]
    year = re.match(r"\d{4}", str(meta.get("air", "")))
    cues = [CueText(cue.start, cue.speaker, cue.text) for cue in transcript.cues]
    return Episode(path, number, str(title), year.group(0) if year else None, people, cues)


# --- Speech ------------------------------------------------------------------

_DIGITS = "零幺二三四五六七八九"


def speakable(text: str) -> str:
    """Read hotline numbers (5+ digits) digit by digit, as a presenter would."""
    return re.sub(r"\d{5,}", lambda m: "".join(_DIGITS[int(d)] for d in m.group(0)), text)


def voices_for(episode: Episode) -> dict[str, tuple[str, int, int]]:
    order: dict[str, None] = dict.fromkeys(episode.people)
    for cue in episode.cues:
        order.setdefault(cue.speaker)
    voices = {}
    for index, speaker in enumerate(order):
        variant, pitch, speed = VOICES[index % len(VOICES)]
        # A second round through the palette shifts the pitch so it still differs.
        pitch = (pitch + 17 * (index // len(VOICES))) % 100
        voices[speaker] = (variant, pitch, speed)
    return voices


def synthesize(text: str, voice: tuple[str, int, int], speed: int, workdir: Path) -> tuple[array.array, int]:
    """Speech as 16-bit mono samples with leading and trailing silence trimmed."""
    variant, pitch, _ = voice
    wav = workdir / "cue.wav"
    command = ["espeak-ng", "-b", "1", "-v", f"{LANGUAGE}+{variant}", "-p", str(pitch), "-s", str(speed)]
    command += ["-w", str(wav)]
    result = subprocess.run(command, input=speakable(text).encode("utf-8"), capture_output=True)
    if result.returncode != 0 or not wav.exists():
        message = result.stderr.decode("utf-8", "replace").strip()
        raise Failure(f"espeak-ng 合成失败：{message or '未知错误'}")
    with wave.open(str(wav), "rb") as reader:
        if reader.getnchannels() != 1 or reader.getsampwidth() != 2:
            raise Failure("espeak-ng 输出的不是 16 位单声道 WAV")
        rate = reader.getframerate()
        samples = array.array("h", reader.readframes(reader.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, value in enumerate(samples) if abs(value) > SILENCE]
    if not loud:
        return array.array("h"), rate
    return samples[max(loud[0] - rate // 100, 0) : loud[-1] + rate // 50], rate


def fade_cut(samples: array.array, length: int, rate: int) -> array.array:
    cut = samples[:length]
    fade = min(int(FADE * rate), len(cut))
    for i in range(fade):
        position = len(cut) - fade + i
        cut[position] = int(cut[position] * (fade - i) / fade)
    return cut


@dataclass
class Stats:
    sped_up: int = 0
    top_speed: int = 0
    cut: int = 0


def render(episode: Episode, workdir: Path) -> tuple[array.array, int, Stats]:
    """The whole episode as samples, each cue starting at its timestamp."""
    voices = voices_for(episode)
    stats = Stats()
    pieces: list[tuple[int, array.array]] = []
    rate = 0
    for index, cue in enumerate(episode.cues):
        voice = voices[cue.speaker]
        speed = voice[2]
        last = index + 1 == len(episode.cues)
        room = math.inf if last else max(episode.cues[index + 1].start - cue.start - GAP, MIN_SLOT)
        for _ in range(8):
            samples, rate = synthesize(cue.text, voice, speed, workdir)
            length = len(samples) / rate
            if length <= room or speed >= MAX_SPEED:
                break
            # Duration is roughly inversely proportional to speed; aim a bit fast.
            speed = min(MAX_SPEED, math.ceil(speed * length / room * 1.03))
        if speed != voice[2]:
            stats.sped_up += 1
            stats.top_speed = max(stats.top_speed, speed)
        if len(samples) > room * rate:
            samples = fade_cut(samples, int(room * rate), rate)
            stats.cut += 1
        pieces.append((cue.start, samples))
    end_start, end_samples = pieces[-1]
    total = array.array("h", bytes(2 * (end_start * rate + len(end_samples) + int(TAIL * rate))))
    for start, samples in pieces:
        offset = start * rate
        total[offset : offset + len(samples)] = samples
    return total, rate, stats


# --- Encoding and front matter -----------------------------------------------


def encode(episode: Episode, samples: array.array, rate: int, target: Path, workdir: Path) -> None:
    wav = workdir / "episode.wav"
    data = samples
    if sys.byteorder == "big":
        data = array.array("h", samples)
        data.byteswap()
    with wave.open(str(wav), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(data.tobytes())
    partial = workdir / target.name
    command = [
        "lame", "--quiet", "-m", "m", "--resample", str(SAMPLE_RATE), "-b", str(BITRATE), "--cbr",
        "--id3v2-only", "--id3v2-utf16",
        "--tt", f"《见事说法》第{episode.number}期：{episode.title}",
        "--ta", ARTIST, "--tl", ALBUM, "--tn", str(episode.number), "--tg", "Speech", "--tc", COMMENT,
    ]
    if episode.year:
        command += ["--ty", episode.year]
    command += [str(wav), str(partial)]
    # lame reads the tag text in the locale's encoding; make sure that is UTF-8.
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    result = subprocess.run(command, capture_output=True, env=env)
    if result.returncode != 0 or not partial.exists():
        message = result.stderr.decode("utf-8", "replace").strip()
        raise Failure(f"lame 编码失败：{message or '未知错误'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(partial), target)


def set_audio_line(path: Path, value: str) -> bool:
    """Put ``audio: value`` after ``summary:`` (or update it); True if the file changed."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    wanted = f"audio: {value}{newline}"
    for i in range(1, end):
        if re.match(r"^audio\s*:", lines[i]):
            if lines[i] == wanted:
                return False
            lines[i] = wanted
            break
    else:
        summary = next((i for i in range(1, end) if re.match(r"^summary\s*:", lines[i])), None)
        if summary is None:
            raise Failure(f"{path}：前置信息里没有 summary，不知道把 audio 放在哪里")
        position = summary + 1
        while position < end and lines[position][:1] in (" ", "\t"):  # a multi-line summary
            position += 1
        lines.insert(position, wanted)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("".join(lines))
    return True


# --- Command line ------------------------------------------------------------


def check_tools() -> None:
    for tool in ("espeak-ng", "lame"):
        if shutil.which(tool) is None:
            raise Failure(f"缺少 {tool}：请先运行 apt-get install espeak-ng lame")


def select(radio: Path, only: list[str] | None) -> list[Path]:
    files = sorted(radio.glob("*.md"))
    if not only:
        return files
    chosen = []
    for wanted in only:
        key = wanted.removesuffix(".md")
        match = [f for f in files if f.stem == key or (key.isdigit() and f.stem == f"ep{int(key):03d}")]
        if not match:
            raise Failure(f"找不到节目 “{wanted}”：{radio} 下没有 {key}.md")
        chosen += [f for f in match if f not in chosen]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="按文字稿为《见事说法》演示节目合成 MP3 音频（espeak-ng + lame）。")
    parser.add_argument("--content", default="content", help="content 目录（默认 content）")
    parser.add_argument("--only", action="append", metavar="ep001", help="只处理这一期（可重复）")
    args = parser.parse_args(argv)
    try:
        check_tools()
        radio = Path(args.content) / "radio"
        if not radio.is_dir():
            raise Failure(f"找不到节目目录 {radio}：请用 --content 指定 content 目录")
        files = select(radio, args.only)
        if not files:
            raise Failure(f"{radio} 下没有节目文件")
        with tempfile.TemporaryDirectory(prefix="pufa-audio-") as tmp:
            workdir = Path(tmp)
            for path in files:
                episode = read_episode(path)
                target = path.parent / "audio" / episode.audio_name
                samples, rate, stats = render(episode, workdir)
                encode(episode, samples, rate, target, workdir)
                changed = set_audio_line(path, f"audio/{episode.audio_name}")
                seconds = len(samples) / rate
                notes = [f"加速 {stats.sped_up} 段（最快 -s {stats.top_speed}）" if stats.sped_up else "无需加速"]
                if stats.cut:
                    notes.append(f"截断 {stats.cut} 段")
                if changed:
                    notes.append("已写入 audio")
                print(
                    f"{path.name} → {target.relative_to(path.parent).as_posix()}："
                    f"{int(seconds // 60)}:{seconds % 60:04.1f}，{target.stat().st_size / 1024:.0f} KB，"
                    f"末段 {episode.cues[-1].start // 60:02d}:{episode.cues[-1].start % 60:02d}，{'，'.join(notes)}"
                )
    except Failure as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"错误：{error.strerror or error}（{error.filename or ''}）", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
