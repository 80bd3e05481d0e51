"""Hostile files: bombs, deep nesting, huge or non-UTF-8 files, symlinks out of
``content/``, other Markdown extensions, image headers that claim billions of
pixels, and YAML mistakes an editor makes, each refused fast at its line in Chinese.

The ``CASES`` also run through a real build in ``test_corpus_builds.py``.
"""

from __future__ import annotations

import os
import struct
import time
import zlib
from pathlib import Path

import pytest

from conftest import MINISITE, Site
from corpus import HANG_SECONDS, EPISODE, LESSON, Case, check_case, lesson
from pufa import inputs, yamlsource
from pufa.inputs import InputError, MissingInput
from pufa.project import Project, ProjectError
from pufa.yamlsource import MAX_DEPTH, MAX_NODES, parse_yaml

NEW = "content/lessons/xianfa/new.md"
PODCAST = "site_config/podcast.yml"
SITE = "site_config/site.yml"
TAXONOMY = "site_config/taxonomy.yml"
LAWS = "site_config/laws.yml"


def bomb(levels: int = 9) -> str:
    """The "billion laughs": each level names the previous one ten times (10**levels items)."""
    lines = ["lol0: &l0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for level in range(1, levels):
        lines.append(f"lol{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


#: With a 100,000-node budget the fifth level (111,111 nodes) is the first refused;
#: a front matter's budget of 10,000 stops at the fourth (11,111).
BOMB_LEVEL_LINE = 5
FRONT_MATTER_BOMB_LINE = 2 + 4


def png_header(width: int, height: int) -> bytes:
    """A small, valid PNG whose header claims ``width``×``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def fixture(relative: str) -> str:
    return (MINISITE / relative).read_text(encoding="utf-8")


def gbk_on_line(relative: str, line: int) -> bytes:
    """The fixture file with only its ``line`` (1-based) saved as GBK."""
    lines = fixture(relative).split("\n")
    encoded = [text.encode("gbk" if number == line else "utf-8") for number, text in enumerate(lines, 1)]
    return b"\n".join(encoded)


def big_file(relative: str, head: str, size: int, filler: str = "# 填充\n") -> "callable":
    def setup(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        body = filler * (size // len(filler.encode("utf-8")) + 1)
        path.write_text(head + body, encoding="utf-8")

    return setup


def link(relative: str, target_name: str, content: bytes | None = b"secret\n", directory: bool = False) -> "callable":
    """A symlink at ``relative`` to a file (or directory) beside the site, outside ``content/``."""

    def setup(root: Path) -> None:
        target = root.parent / "outside" / target_name
        target.parent.mkdir(parents=True, exist_ok=True)
        if directory:
            target.mkdir(exist_ok=True)
            (target / "leak.txt").write_text("secret\n", encoding="utf-8")
        elif content is not None:
            target.write_bytes(content)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target)

    return setup


def symlink_loop(root: Path) -> None:
    (root / "content/a.txt").symlink_to(root / "content/b.txt")
    (root / "content/b.txt").symlink_to(root / "content/a.txt")


def fifo(relative: str) -> "callable":
    def setup(root: Path) -> None:
        os.mkfifo(root / relative)

    return setup


VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v 林晓>你好\n"
WITH_TRANSCRIPT = {EPISODE: ("guests:", "transcript: ep001.vtt\nguests:")}
WITH_AUDIO = {EPISODE: ("guests:", "audio: ep001.mp3\nguests:")}
DEEP = "[" * 200 + "]" * 200
BLOCK_DEEP = "".join("  " * depth + f"k{depth}:\n" for depth in range(40)) + "  " * 40 + "end\n"

CASES = [
    # Alias/anchor bombs, in front matter and in every site_config file.
    Case("file-bomb-front-matter", {NEW: "---\ntitle: 炸弹\n" + bomb() + "---\n\n正文。\n"},
         NEW, FRONT_MATTER_BOMB_LINE, "", "YAML 炸弹"),
    Case("file-bomb-merge-keys", {NEW: "---\nbase: &b {title: 一}\nm1: &m1 {<<: [" + ", ".join(["*b"] * 10) + "]}\n"
                                  + "".join(f"m{i}: &m{i} [" + ", ".join([f"*m{i - 1}"] * 10) + "]\n" for i in range(2, 9))
                                  + "---\n"},
         NEW, 6, "", "YAML 炸弹"),
    Case("file-bomb-site", {SITE: bomb()}, SITE, BOMB_LEVEL_LINE, "", "YAML 炸弹"),
    Case("file-bomb-taxonomy", {TAXONOMY: bomb()}, TAXONOMY, BOMB_LEVEL_LINE, "", "YAML 炸弹"),
    Case("file-bomb-podcast", {PODCAST: bomb()}, PODCAST, BOMB_LEVEL_LINE, "", "YAML 炸弹"),
    Case("file-bomb-laws", {LAWS: "# 法条\n" + bomb()}, LAWS, 1 + BOMB_LEVEL_LINE, "", "YAML 炸弹"),
    Case("file-recursive-alias", {NEW: lesson(tags="&t [*t]")}, NEW, 8, "", "循环引用"),
    # Deep nesting: no RecursionError, the line where it goes too deep.
    Case("file-deep-flow-front-matter", {NEW: lesson(tags=DEEP)}, NEW, 8, "", f"嵌套超过 {MAX_DEPTH} 层"),
    Case("file-deep-block-taxonomy", {TAXONOMY: BLOCK_DEEP}, TAXONOMY, MAX_DEPTH, "", f"嵌套超过 {MAX_DEPTH} 层"),
    # Oversized files.
    Case("file-oversized-markdown", {}, NEW, 1, "", "Markdown 文件最大 1.0 MB",
         setup=big_file(NEW, lesson(), inputs.MARKDOWN.max_bytes)),
    Case("file-oversized-site-config", {}, SITE, 1, "", "站点配置文件最大 256 KB",
         setup=big_file(SITE, fixture(SITE), inputs.CONFIG.max_bytes)),
    Case("file-oversized-laws", {}, LAWS, 1, "", "法条文件最大 4.0 MB",
         setup=big_file(LAWS, fixture(LAWS), inputs.LAWS.max_bytes)),
    Case("file-oversized-caption", {}, EPISODE, 11, "transcript", "文字稿文件最大 4.0 MB",
         replace=WITH_TRANSCRIPT, setup=big_file("content/radio/ep001.vtt", VTT, inputs.CAPTIONS.max_bytes, "\n")),
    Case("file-oversized-artwork-bytes", {}, PODCAST, 7, "image", "图片最大 10.0 MB",
         setup=big_file("content/radio/cover.png", "", inputs.IMAGE.max_bytes, "x" * 1024)),
    # Image headers that claim a huge size: refused before any pixel is decoded.
    Case("file-png-bomb-header", {"content/radio/cover.png": png_header(100_000, 100_000)},
         PODCAST, 7, "image", "像素数超过上限"),
    Case("file-png-too-many-pixels", {"content/radio/cover.png": png_header(6000, 6000)},
         PODCAST, 7, "image", "现为 6000×6000"),
    # Not UTF-8: the line of the first bad byte.
    Case("file-non-utf8-site", {SITE: gbk_on_line(SITE, 3)}, SITE, 3, "", "第 3 行不是 UTF-8 编码"),
    Case("file-non-utf8-taxonomy", {TAXONOMY: gbk_on_line(TAXONOMY, 4)}, TAXONOMY, 4, "", "不是 UTF-8 编码"),
    Case("file-non-utf8-markdown", {NEW: lesson().encode("utf-8") + "案例。\n".encode("gbk")},
         NEW, 11, "", "第 11 行不是 UTF-8 编码"),
    Case("file-non-utf8-caption", {"content/radio/ep001.vtt": VTT.encode("gbk")}, EPISODE, 11, "transcript",
         "第 4 行不是 UTF-8 编码", replace=WITH_TRANSCRIPT),
    # Nothing outside content/ is read or published.
    Case("file-symlink-markdown-outside", {}, "content/lessons/xianfa/leak.md", 1, "", "指向 content 目录之外的符号链接",
         setup=link("content/lessons/xianfa/leak.md", "leak.md", lesson().encode("utf-8"))),
    Case("file-symlink-static-outside", {}, "content/downloads/passwd.txt", 1, "", "指向 content 目录之外的符号链接",
         setup=link("content/downloads/passwd.txt", "passwd")),
    Case("file-symlink-dir-outside", {}, "content/shared", 1, "", "指向 content 目录之外的符号链接",
         setup=link("content/shared", "shared", directory=True)),
    Case("file-symlink-site-config-outside", {}, SITE, 1, "", "指向 site_config 目录之外的符号链接",
         setup=link(SITE, "site.yml", fixture(SITE).encode("utf-8"))),
    Case("file-symlink-loop", {}, "content/a.txt", 1, "", "符号链接形成了循环", setup=symlink_loop),
    Case("file-symlink-dangling", {}, "content/gone.pdf", 1, "", "符号链接",
         setup=link("content/gone.pdf", "missing.pdf", content=None)),
    Case("file-symlink-transcript-outside", {}, EPISODE, 11, "transcript", "指向 content 目录之外的符号链接",
         replace=WITH_TRANSCRIPT, setup=link("content/radio/ep001.vtt", "ep001.vtt", VTT.encode("utf-8"))),
    Case("file-symlink-artwork-outside", {}, PODCAST, 7, "image", "指向 content 目录之外的符号链接",
         setup=link("content/radio/cover.png", "cover.png", (MINISITE / "content/radio/cover.png").read_bytes())),
    Case("file-symlink-audio-outside", {}, EPISODE, 11, "audio", "指向 content 目录之外的符号链接",
         replace=WITH_AUDIO, setup=link("content/radio/ep001.mp3", "ep001.mp3")),
    Case("file-dotdot-transcript", {}, EPISODE, 11, "transcript", "文件名只能用英文字母",
         replace={EPISODE: ("guests:", "transcript: ../../site_config/site.vtt\nguests:")}),
    Case("file-fifo-in-content", {}, "content/pipe.md", 1, "", "不是普通文件", setup=fifo("content/pipe.md")),
    # Other Markdown extensions are refused, not copied raw or rendered unchecked.
    Case("file-uppercase-md", {"content/lessons/xianfa/new.MD": lesson()}, "content/lessons/xianfa/new.MD", 1, "",
         "请改名为 new.md"),
    Case("file-markdown-extension", {"content/notice.markdown": "# 通知\n"}, "content/notice.markdown", 1, "",
         "请改名为 notice.md"),
    Case("file-mkdn-extension", {"content/radio/ep002.Mkdn": "# 节目\n"}, "content/radio/ep002.Mkdn", 1, "",
         "扩展名 “.Mkdn” 不会被检查"),
    # YAML mistakes, in Chinese, at the line where the problem starts.
    Case("file-yaml-unclosed-quote", {NEW: lesson(title='"宪法课')}, NEW, 2, "", "引号没有结束"),
    Case("file-yaml-fullwidth-colon", {NEW: lesson().replace("topic: xianfa", "topic：xianfa")}, NEW, 3, "",
         "冒号应为半角 :"),
    Case("file-yaml-fullwidth-colon-first", {NEW: lesson().replace("title: 测试课程", "title：测试课程")}, NEW, 2, "",
         "冒号应为半角 :"),
    Case("file-yaml-fullwidth-colon-site", {}, TAXONOMY, 13, "", "冒号应为半角 :",
         replace={TAXONOMY: ("  wugong: 务工人员", "  wugong：务工人员")}),
    Case("file-yaml-control-char", {NEW: lesson(summary="从 Word 复制的\x0b一句话。")}, NEW, 7, "", "U+000B"),
    Case("file-yaml-control-char-site", {}, SITE, 5, "", "U+000C",
         replace={SITE: ("description: 测试用的最小站点。", "description: 测试用的\x0c最小站点。")}),
    Case("file-yaml-tab-indent", {}, EPISODE, 9, "", "Tab 缩进",
         replace={EPISODE: ("  - name: 林晓", "\t- name: 林晓")}),
    Case("file-yaml-colon-in-value", {NEW: lesson(title="宪法: 国家的根本法")}, NEW, 2, "", "请给整个值加上引号"),
    Case("file-yaml-at-sign", {NEW: lesson(summary="@全体同学 请学习。")}, NEW, 7, "", "值不能以 “@” 开头"),
    Case("file-yaml-emphasis-as-alias", {NEW: lesson(summary="*重点* 请学习。")}, NEW, 7, "", "会被当作 YAML 别名"),
    Case("file-yaml-bad-indent", {NEW: lesson().replace("department: sifaju", "  department: sifaju")}, NEW, 5, "",
         "缩进不对"),
    Case("file-yaml-missing-colon", {NEW: lesson().replace("department: sifaju", "department sifaju")}, NEW, 5, "",
         "这一行缺少冒号"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_file_is_refused_at_its_line(
    minisite: Site, case: Case, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def test_corpus_has_enough_cases() -> None:
    assert len(CASES) >= 25
    assert all(case.id.startswith("file-") for case in CASES)


# --- The reading path --------------------------------------------------------


def test_read_text_returns_utf8_text_without_bom_or_crlf(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes("\ufeff第一行\r\n第二行\r\n".encode("utf-8"))
    assert inputs.read_text(tmp_path / "a.md", tmp_path, inputs.MARKDOWN) == "第一行\n第二行\n"


def test_dotdot_absolute_and_symlink_paths_are_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "radio").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    with pytest.raises(InputError, match=r"路径中的 \.\. 指向了 content 目录之外"):
        inputs.read_text(content / "radio" / ".." / ".." / "secret.txt", content, inputs.CAPTIONS)
    with pytest.raises(InputError, match="绝对路径"):
        inputs.read_text(content / "radio" / secret, content, inputs.CAPTIONS)
    (content / "radio" / "x.vtt").symlink_to(secret)
    with pytest.raises(InputError, match="符号链接"):
        inputs.read_text(content / "radio" / "x.vtt", content, inputs.CAPTIONS)


def test_symlink_inside_the_directory_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (tmp_path / "alias.vtt").symlink_to(tmp_path / "real.vtt")
    assert inputs.read_text(tmp_path / "alias.vtt", tmp_path, inputs.CAPTIONS) == "WEBVTT\n"


def test_missing_file_is_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(MissingInput):
        inputs.read_bytes(tmp_path / "nothing.png", tmp_path, inputs.IMAGE)


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with path.open("wb") as handle:  # sparse: large on paper, nothing to read
        handle.truncate(5 * inputs.MIB)
    started = time.process_time()
    with pytest.raises(InputError, match=r"文件过大（5\.0 MB），Markdown 文件最大 1\.0 MB"):
        inputs.read_text(path, tmp_path, inputs.MARKDOWN)
    assert time.process_time() - started < HANG_SECONDS
    small = inputs.Limit("测试", 4)
    (tmp_path / "ok.txt").write_bytes(b"1234")
    assert inputs.read_bytes(tmp_path / "ok.txt", tmp_path, small) == b"1234"


def test_non_utf8_names_the_line_of_the_first_bad_byte() -> None:
    with pytest.raises(InputError) as failure:
        inputs.decode("第一行\n第二行\n".encode("utf-8") + "第三行".encode("gbk"))
    assert failure.value.line == 3 and "第 3 行不是 UTF-8 编码" in failure.value.message


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(InputError, match="不是普通文件"):
        inputs.read_text(tmp_path / "pipe.md", tmp_path, inputs.MARKDOWN)


def test_image_header_is_checked_before_decoding(tmp_path: Path) -> None:
    (tmp_path / "bomb.png").write_bytes(png_header(100_000, 100_000))
    started = time.process_time()
    with pytest.raises(InputError, match="像素数超过上限"):
        inputs.open_image(tmp_path / "bomb.png", tmp_path)
    assert time.process_time() - started < HANG_SECONDS
    (tmp_path / "small.png").write_bytes(png_header(20, 10))
    with inputs.open_image(tmp_path / "small.png", tmp_path) as image:
        assert image.size == (20, 10) and image.format == "PNG"
    (tmp_path / "text.png").write_text("不是图片", encoding="utf-8")
    with pytest.raises(InputError, match="不是可识别的图片"):
        inputs.open_image(tmp_path / "text.png", tmp_path)


def test_content_files_lists_markdown_and_refuses_the_rest(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "a").mkdir(parents=True)
    for name in ("a/x.md", "b.md", "c.MD", "d.markdown", "e.png", ".hidden.md"):
        (content / name).write_text("x", encoding="utf-8")
    (content / "e-copy.png").symlink_to(content / "e.png")  # inside: fine
    (content / "loop").symlink_to(content)  # a directory twice
    (tmp_path / "secret").write_text("x", encoding="utf-8")
    (content / "leak.txt").symlink_to(tmp_path / "secret")
    markdown, refused = inputs.content_files(content)
    assert inputs.content_files(tmp_path / "missing") == ([], [])
    assert [p.relative_to(content).as_posix() for p in markdown] == [".hidden.md", "a/x.md", "b.md"]
    reasons = {p.name: message for p, message in refused}
    assert set(reasons) == {"c.MD", "d.markdown", "loop", "leak.txt"}
    assert "请改名为 c.md" in reasons["c.MD"] and "两个网址" in reasons["loop"]
    assert "content 目录之外" in reasons["leak.txt"]


# --- YAML ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [bomb(12), "a: " + "[" * 100_000 + "]" * 100_000, "a: " + "{b: " * 5000 + "c" + "}" * 5000,
     "".join(" " * depth + "- \n" for depth in range(3000))],
    ids=["bomb", "deep-flow", "deep-flow-mapping", "deep-block"],
)
@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_hostile_yaml_is_refused_fast(text: str, parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if parser == "python":
        monkeypatch.setattr(yamlsource, "_Composer", yamlsource._PyComposer)
    started = time.process_time()
    doc, errors = parse_yaml(text, "f.yml")
    assert time.process_time() - started < HANG_SECONDS
    assert doc is None and len(errors) == 1 and ("YAML 炸弹" in errors[0].message or "嵌套超过" in errors[0].message)


def test_a_long_document_is_refused_before_it_is_all_read() -> None:
    started = time.process_time()
    doc, errors = parse_yaml("tags: [" + "x, " * 300_000 + "]\n", "f.md", max_nodes=10_000)
    assert time.process_time() - started < HANG_SECONDS
    assert doc is None and "展开后超过 10,000 项" in errors[0].message


def test_within_the_budget_aliases_still_work() -> None:
    doc, errors = parse_yaml("a: &a [1, 2]\nb: *a\nc: {<<: {x: 1}, y: 2}\n", "f.yml")
    assert not errors and doc is not None and doc.data == {"a": [1, 2], "b": [1, 2], "c": {"x": 1, "y": 2}}
    assert MAX_NODES >= 50_000  # laws.yml with the full text of several laws


@pytest.mark.parametrize(
    ("text", "line", "phrase"),
    [
        ("a: 1\nb: 'x\nc: 2\n", 2, "引号没有结束"),
        ("a: 1\nb：2\nc: 3\n", 2, "冒号应为半角 :"),
        ("a：1\n", 1, "冒号应为半角 :"),
        ("a:\n  - 1\n\t- 2\n", 3, "Tab 缩进"),
        ("a: 1\nb: x\x00y\n", 2, "U+0000"),
        ("a: b: c\n", 1, "请给整个值加上引号"),
        ("a: [1, 2\nb: 3\n", 2, "第 1 行的方括号 [ 没有配对的 ]"),
        ("a: {b: 1\nc: 2\n", 2, "花括号"),
        ('a: "C:\\d"\n', 1, "反斜杠"),
        ("a: 1\n---\nb: 2\n", 2, "只能有一段 YAML"),
        ("a: !python/object x\n", 1, "不支持以 ! 开头的 YAML 标签"),
        ("a: |x\n  b\n", 1, "| 或 > 后面只能换行"),
        ("a:\n  b: 1\n c: 2\n", 3, "缩进不对"),
        ("a: `x`\n", 1, "值不能以 “`” 开头"),
    ],
)
@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_yaml_errors_are_chinese_at_the_line_the_problem_starts(
    text: str, line: int, phrase: str, parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parser == "python":
        monkeypatch.setattr(yamlsource, "_Composer", yamlsource._PyComposer)
    doc, errors = parse_yaml(text, "f.yml", first_line=1)
    assert doc is None and len(errors) == 1, errors
    assert errors[0].line == line and phrase in errors[0].message, errors[0]
    assert errors[0].message.startswith("YAML 格式错误：")


def test_text_values_with_a_fullwidth_colon_are_fine() -> None:
    doc, errors = parse_yaml("summary: 案例：张某\nnote: |\n  ICP：备案\nq: \"x：y\"\n", "f.yml")
    assert not errors and doc is not None and doc.data["summary"] == "案例：张某"


def test_an_integer_too_long_for_python_stays_text() -> None:
    doc, errors = parse_yaml("number: " + "9" * 5000 + "\n", "f.yml")
    assert not errors and doc is not None and doc.data["number"] == "9" * 5000


def test_mkdocs_yml_goes_through_the_same_reading_path(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: 测试\n" + bomb(), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"mkdocs.yml:6: 内容过多"):
        Project.from_mkdocs_yml(config)
    config.write_bytes("site_name: 测试\ndocs_dir: 内容\n".encode("gbk"))
    with pytest.raises(ProjectError, match="第 1 行不是 UTF-8 编码"):
        Project.from_mkdocs_yml(config)
    config.write_text("site_name: 测试\nplugins:\n  - pufa:\n      site_config: conf\n", encoding="utf-8")
    assert Project.from_mkdocs_yml(config).site_config_dir == tmp_path.resolve() / "conf"


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_mutated_yaml_never_raises_and_is_always_explained_in_chinese(parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeded random edits of the fixture's YAML: every outcome is data or Chinese errors."""
    import random
    import re

    if parser == "python":
        monkeypatch.setattr(yamlsource, "_Composer", yamlsource._PyComposer)
    rng = random.Random(7)
    texts = [path.read_text(encoding="utf-8") for path in sorted((MINISITE / "site_config").glob("*.yml"))]
    pieces = [*":：-[]{}&*!|>'\"#%@`\t\n ,?\\", "\x0b", "<<: ", "!!int ", "!!binary ", "!!set ", "*a", "&a ", "---\n"]
    for _ in range(1500 if parser == "libyaml" else 400):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at + rng.choice((0, 0, 1, 3)):]
        _doc, errors = parse_yaml(text, "f.yml")
        for error in errors:
            assert re.search(r"[\u4e00-\u9fff]", error.message) and "无法解析" not in error.message, (text, error)
