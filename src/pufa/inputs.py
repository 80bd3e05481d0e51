"""The one way pufa reads a file: inside its directory, of bounded size, as UTF-8.

Every file an editor (or an attacker with write access to ``content/``) can put
in front of pufa goes through here, so that a symlink to ``/etc``, a ``..`` in a
path, a 2 GB "Markdown" file, a FIFO that never ends or an image header that
claims ten billion pixels is refused with a Chinese message before anything
parses it, instead of hanging the build or publishing what is outside.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Limit:
    """How large one kind of file may be; ``what`` names the kind in messages."""

    what: str
    max_bytes: int
    max_pixels: int | None = None


MARKDOWN = Limit("Markdown 文件", 1 * MIB)
CONFIG = Limit("站点配置文件", 256 * KIB)
#: laws.yml may carry the full text of several laws.
LAWS = Limit("法条文件", 4 * MIB)
MKDOCS = Limit("mkdocs.yml", 256 * KIB)
CAPTIONS = Limit("文字稿文件", 4 * MIB)
#: Podcast artwork is at most 3000×3000; 25 megapixels leaves room for any sane image.
IMAGE = Limit("图片", 10 * MIB, max_pixels=25_000_000)
#: Audio is only probed (mutagen reads headers), never read whole.
AUDIO = Limit("音频文件", 1024 * MIB)


class InputError(Exception):
    """A file pufa refuses to read; ``message`` is Chinese, ``line`` is 1-based in that file."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class MissingInput(InputError):
    """The file does not exist; callers usually say where it should be instead."""


def _size(count: int) -> str:
    if count >= MIB:
        return f"{count / MIB:.1f} MB"
    return f"{max(1, round(count / KIB))} KB"


def _place(inside: Path) -> str:
    return f"{inside.name or inside} 目录"


def contained(path: Path, inside: Path) -> Path:
    """``path`` resolved, once it is known to stay inside ``inside``.

    The three ways out get their own message, since each is fixed differently.
    """
    base = inside.resolve()
    lexical = Path(os.path.normpath(path.absolute()))
    if not lexical.is_relative_to(Path(os.path.normpath(inside.absolute()))) and not lexical.is_relative_to(base):
        if path.is_absolute() and ".." not in path.parts:
            raise InputError(f"不能读取 {_place(inside)}之外的文件（绝对路径），请写作 {_place(inside)}内的相对路径")
        raise InputError(f"路径中的 .. 指向了 {_place(inside)}之外，请把文件放进 {_place(inside)}，并写作相对路径")
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        raise InputError("符号链接形成了循环，请删除它") from None
    if not resolved.is_relative_to(base):
        raise InputError(f"这是指向 {_place(inside)}之外的符号链接，不能读取或发布；请把文件本身复制进 {_place(inside)}")
    return resolved


def _check_stat(info: os.stat_result, path: Path, limit: Limit) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"“{path.name}” 不是普通文件，请换成一个普通文件")
    if info.st_size > limit.max_bytes:
        raise InputError(
            f"文件过大（{_size(info.st_size)}），{limit.what}最大 {_size(limit.max_bytes)}；请拆分或压缩后再用"
        )


def checked_path(path: Path, inside: Path, limit: Limit) -> Path:
    """The resolved path of a regular file inside ``inside`` and within ``limit``, not read
    (for audio, which mutagen reads itself, only as far as its headers)."""
    resolved = contained(path, inside)
    try:
        info = resolved.stat()
    except FileNotFoundError:
        raise MissingInput(f"找不到文件 “{path.name}”") from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}") from None
    _check_stat(info, path, limit)
    return resolved


#: Never follow a symlink swapped in after the check, never wait on a FIFO.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: Path, inside: Path, limit: Limit) -> bytes:
    """The file's bytes, read no further than ``limit`` even if it grows meanwhile.

    The checks run on the opened file itself (``fstat``), so what is checked is
    what is read.
    """
    resolved = contained(path, inside)
    try:
        descriptor = os.open(resolved, _OPEN_FLAGS)
    except FileNotFoundError:
        raise MissingInput(f"找不到文件 “{path.name}”") from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        _check_stat(os.fstat(descriptor), path, limit)
        try:
            data = handle.read(limit.max_bytes + 1)
        except OSError as exc:
            raise InputError(f"无法读取文件：{exc.strerror}") from None
    if len(data) > limit.max_bytes:
        raise InputError(f"文件过大，{limit.what}最大 {_size(limit.max_bytes)}；请拆分或压缩后再用")
    return data


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped, CRLF becomes LF), or the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"第 {line} 行不是 UTF-8 编码（可能是 GBK），请用 UTF-8 另存此文件", line) from None
    # A lone CR is how old Mac editors end lines; every parser here expects LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Characters XML 1.0 cannot carry at all (feeds would fail to serialise) and no
#: editor means to publish: C0 controls but tab and newline, lone surrogates, non-characters.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str, first_line: int = 1) -> InputError | None:
    """The first character of ``text`` that cannot be published, as an error at its file line."""
    match = _NOT_TEXT.search(text)
    if match is None:
        return None
    line = first_line + text.count("\n", 0, match.start())
    return InputError(
        f"第 {line} 行含有看不见的控制字符 U+{ord(match.group()):04X}（常见于从 Word 或网页复制的文字，"
        "网页和订阅源都无法发布）；请删除它，或把这一行重新输入",
        line,
    )


def read_text(path: Path, inside: Path, limit: Limit) -> str:
    """The file's text, with every check of :func:`read_bytes` and :func:`decode`."""
    return decode(read_bytes(path, inside, limit))


def open_image(path: Path, inside: Path, limit: Limit = IMAGE) -> Image.Image:
    """An image whose header has been read and checked, not yet decoded.

    Pillow decodes lazily, so the pixel count is known before any memory is
    spent on pixels; an absurd header is refused here rather than becoming a
    DecompressionBombError (or an out-of-memory) later.
    """
    data = read_bytes(path, inside, limit)
    pixels = limit.max_pixels
    too_many = f"图片的像素数超过上限 {pixels:,}（可能已损坏，或是恶意文件）；请重新导出较小的图片"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(too_many) from None
    except (OSError, SyntaxError, ValueError):
        # Pillow reports broken headers as any of these.
        raise InputError("不是可识别的图片") from None
    width, height = image.size
    if pixels is not None and width * height > pixels:
        image.close()
        raise InputError(f"{too_many}（现为 {width}×{height}）")
    return image


#: Static files a browser runs rather than shows: published as they are, they would
#: bypass the content HTML policy (a ``<script>`` in ``page.html``, ``onload`` in an SVG).
ACTIVE_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".xml", ".xsl", ".xslt", ".swf",
})

#: Extensions MkDocs (or an editor) treats as Markdown; only lower-case ``.md`` is checked and published.
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtext", ".mdtxt"})


def content_files(content_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The ``.md`` files of ``content_dir``, and every file there that must not be published.

    MkDocs copies whatever else it finds as a static file, following symlinks;
    so every entry is looked at, not only Markdown: one ``lstat`` per entry
    through :func:`os.scandir`, no file is opened.
    """
    markdown: list[Path] = []
    refused: list[tuple[Path, str]] = []
    pending = [content_dir] if content_dir.is_dir() else []
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError as exc:
            refused.append((directory, f"无法读取目录：{exc.strerror}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                try:
                    target = contained(path, content_dir)
                except InputError as exc:
                    refused.append((path, exc.message))
                    continue
                if target.is_dir():
                    refused.append((path, "指向目录的符号链接会让同一内容以两个网址发布，请删除它，直接使用原目录"))
                    continue
            if entry.is_dir():
                pending.append(path)
            elif not entry.is_file():
                refused.append((path, "这不是普通文件（可能是管道或设备），不能发布，请删除它"))
            elif path.suffix == ".md":
                markdown.append(path)
            elif path.suffix.lower() in MARKDOWN_SUFFIXES:
                refused.append(
                    (path, f"扩展名 “{path.suffix}” 不会被检查，请改名为 {path.stem}.md（小写 .md）")
                )
            elif path.suffix.lower() in ACTIVE_SUFFIXES:
                refused.append((
                    path,
                    f"“{path.suffix}” 文件会原样发布，可能在读者的浏览器里执行代码，不允许；"
                    "网页请写成 .md 文件，图片请用 PNG 或 JPEG",
                ))
    return sorted(markdown), sorted(refused)
