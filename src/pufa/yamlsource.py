"""YAML documents that remember where each key and item came from.

PyYAML's composed node tree carries start marks; we keep it next to the
constructed data so a validation error at ``quiz[1].answer`` can be reported
at the line the editor wrote it on.

It is also where hostile YAML stops: a document is composed under a budget of
nesting and of nodes counted with aliases expanded (so an alias bomb is refused
before anything walks it), and every syntax error is explained in Chinese at
the line where the problem starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import ContentError

Loc = Sequence[str | int]


@dataclass
class YamlDocument:
    """Constructed data plus its node tree, offset to lines of the host file."""

    data: Any
    root: yaml.Node | None
    path: str
    first_line: int  # file line of the document's first line (1-based)
    #: id(mapping node) -> key text -> (key, value), built on first lookup: a
    #: file with thousands of wrong keys must not cost a scan per error.
    _entries: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict, repr=False)

    def line_of(self, loc: Loc) -> int:
        """The file line of the deepest node that ``loc`` reaches."""
        node = self.root
        line = self.first_line
        if node is not None:
            line = node.start_mark.line + self.first_line
        for part in loc:
            child = self._child(node, part)
            if child is None:
                break
            node = child
            line = node.start_mark.line + self.first_line
        return line

    def key_line(self, loc: Loc) -> int:
        """Like :meth:`line_of`, but for a mapping entry the line of its key."""
        if not loc:
            return self.line_of(loc)
        parent = self.root
        for part in loc[:-1]:
            parent = self._child(parent, part)
            if parent is None:
                return self.line_of(loc)
        entry = self._entry(parent, loc[-1])
        if entry is not None:
            return entry[0].start_mark.line + self.first_line
        return self.line_of(loc)

    def _entry(self, node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            return None
        entries = self._entries.get(id(node))
        if entries is None:
            entries = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    entries.setdefault(key.value, (key, value))
            self._entries[id(node)] = entries
        return entries.get(str(part))

    def _child(self, node: yaml.Node | None, part: str | int) -> yaml.Node | None:
        if isinstance(node, yaml.SequenceNode):
            return node.value[part] if isinstance(part, int) and 0 <= part < len(node.value) else None
        entry = self._entry(node, part)
        return entry[1] if entry is not None else None


def _duplicate_keys(node: yaml.Node | None, prefix: str = "") -> list[tuple[yaml.Node, str]]:
    """PyYAML keeps the last of two equal keys; an editor almost never means that."""
    found: list[tuple[yaml.Node, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            dotted = f"{prefix}.{name}" if prefix else str(name)
            if name in seen:
                found.append((key, dotted))
            seen.add(name)
            found.extend(_duplicate_keys(value, dotted))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(_duplicate_keys(item, f"{prefix}[{index}]"))
    return found


class _Loader(yaml.SafeLoader):
    """Safe loading where an impossible date (``2026-13-01``) or an integer
    too long for Python (``int`` refuses over 4300 digits) stays text.

    PyYAML raises a bare ValueError without a position for those; as text, the
    schema reports it at its own line like any other bad value.
    """

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)

#: Nesting deeper than this (counting through aliases) is refused; pufa's files need about six.
MAX_DEPTH = 32
#: Nodes a document may have once every alias is expanded: what validation will walk.
MAX_NODES = 100_000
#: A front matter is a few dozen keys; a quiz of fifty questions is under a thousand nodes.
FRONT_MATTER_NODES = 10_000


class YamlLimitError(yaml.MarkedYAMLError):
    """A document refused for its shape, not its syntax; ``problem`` is already Chinese."""


class _GuardedComposer(Composer):
    """PyYAML's composer, counting as it goes, so that no bomb is ever expanded.

    Aliases share one node, so composing an alias bomb is cheap; it explodes
    later, in every walk over the data (validation, duplicate keys). Each
    complete node's size and height *with aliases expanded* is remembered, and
    a running count of the expanded document refuses it at the first node or
    alias past the budget; nesting is refused before the recursive composer can
    reach Python's recursion limit.
    """

    def __init__(self, max_nodes: int) -> None:
        super().__init__()
        self.max_nodes = max_nodes
        self._depth = 0
        self._count = 0
        self._shape: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)
        #: Plain scalars with a full-width colon: perhaps a key typed with ``：``.
        self.plain_colons: list[yaml.ScalarNode] = []

    def _add(self, size: int, mark: yaml.Mark) -> None:
        self._count += size
        if self._count > self.max_nodes:
            raise YamlLimitError(
                None, None,
                f"内容过多：展开后超过 {self.max_nodes:,} 项（常见原因是用锚点 & 和别名 * 层层引用，即“YAML 炸弹”）；"
                "请不要使用锚点和别名，直接写出内容",
                mark,
            )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        start = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            node = super().compose_node(parent, index)
            shape = self._shape.get(id(node))
            if shape is None:  # an alias inside its own anchor
                raise YamlLimitError(None, None, "别名 * 引用了包含它自己的锚点（循环引用）：请不要使用锚点和别名，直接写出内容", start)
            if self._depth + shape[1] > MAX_DEPTH:
                raise YamlLimitError(None, None, _too_deep(), start)
            self._add(shape[0], start)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlLimitError(None, None, _too_deep(), start)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if isinstance(node, yaml.ScalarNode):
            size, height = 1, 1
            if not node.style and "：" in node.value:
                self.plain_colons.append(node)
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
            shapes = [self._shape[id(child)] for child in children]
            size = 1 + sum(shape[0] for shape in shapes)
            height = 1 + max((shape[1] for shape in shapes), default=0)
        self._add(1, start)
        self._shape[id(node)] = (size, height)
        return node


def _too_deep() -> str:
    return f"嵌套超过 {MAX_DEPTH} 层：内容和配置不需要这么深的结构，请检查缩进和括号是否多余"


class _PyComposer(_GuardedComposer, Reader, Scanner, Parser, SafeConstructor, Resolver):  # type: ignore[misc]
    """Pure-Python PyYAML, for installations built without libyaml."""

    def __init__(self, text: str, max_nodes: int) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _GuardedComposer.__init__(self, max_nodes)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


_Composer: type = _PyComposer
if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _CComposer(_GuardedComposer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """libyaml scans and parses (several times faster, iterative); the guarded composer builds nodes."""

        def __init__(self, text: str, max_nodes: int) -> None:
            CParser.__init__(self, text)
            _GuardedComposer.__init__(self, max_nodes)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    _Composer = _CComposer


def compose(text: str, max_nodes: int = MAX_NODES) -> yaml.Node | None:
    """The node tree of one document, within :data:`MAX_DEPTH` and ``max_nodes``.

    Raises :class:`YamlError` with a Chinese message and the line to show.
    """
    control = _control_character(text)
    if control is not None:
        raise YamlError(*control)
    composer = _Composer(text, max_nodes)
    try:
        root = composer.get_single_node()
    except yaml.YAMLError as exc:
        raise YamlError(*explain(exc, text)) from None
    finally:
        composer.dispose()
    lines = text.split("\n")
    for node in composer.plain_colons:
        for number in range(node.start_mark.line, node.end_mark.line + 1):
            if number < len(lines) and _KEY_WITH_FULLWIDTH_COLON.match(lines[number]):
                raise YamlError(number, _FULLWIDTH_COLON)
    return root


class YamlError(Exception):
    """A YAML document that cannot be used; ``line`` is 0-based in the text, ``message`` Chinese."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


#: A line that starts like a key (ASCII name) but separates it with a full-width colon.
_KEY_WITH_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z0-9_][A-Za-z0-9_-]*\s*：")
_FULLWIDTH_COLON = "YAML 格式错误：键后面用了全角冒号“：”，冒号应为半角 :（英文冒号），且后面加一个空格"
#: ``topic:　xianfa``: a full-width (ideographic) space after the colon does not separate key and value.
_KEY_WITH_FULLWIDTH_SPACE = re.compile(r"^\s*(?:-\s+)?[A-Za-z0-9_][A-Za-z0-9_-]*:\u3000")
_FULLWIDTH_SPACE = "YAML 格式错误：冒号后面是全角空格，应为半角空格（英文空格）；请把冒号后的空格重新输入"
#: YAML reads a key on one line of at most this many characters (libyaml and PyYAML alike).
_MAX_SIMPLE_KEY = 1024
_CONTROL_NAMES = {0x00: "空字符", 0x08: "退格符", 0x0B: "垂直制表符", 0x0C: "换页符", 0x1B: "转义符", 0x7F: "删除符"}


def _control_character(text: str) -> tuple[int, str] | None:
    """Characters YAML forbids, found before PyYAML reports them by offset and in English."""
    match = Reader.NON_PRINTABLE.search(text)
    if match is None:
        # A byte-order mark is only allowed first (inputs drops it); pasted in the middle it
        # ends the document with an English "expected <document start>".
        bom = text.find("\ufeff", 1)
        if bom < 0:
            return None
        return text.count("\n", 0, bom), (
            "YAML 格式错误：含有看不见的字符 U+FEFF（字节顺序标记，常见于把另一个文件的内容粘贴进来）；"
            "请删除它，或把这一行重新输入"
        )
    code = ord(match.group())
    name = _CONTROL_NAMES.get(code, "控制字符")
    return text.count("\n", 0, match.start()), (
        f"YAML 格式错误：含有看不见的控制字符 U+{code:04X}（{name}，常见于从 Word 或网页复制的文字）；"
        "请删除它，或把这一行重新输入"
    )


def _leading_tab(line: str) -> bool:
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


def explain(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """PyYAML's (or libyaml's) English problem as a Chinese explanation and the 0-based line it starts on."""
    if isinstance(exc, YamlLimitError):
        return exc.problem_mark.line, exc.problem  # type: ignore[union-attr,return-value]
    if isinstance(exc, yaml.reader.ReaderError):
        found = _control_character(text)
        return found if found is not None else (0, "YAML 格式错误：文件含有无法识别的字符，请用 UTF-8 重新保存")
    lines = text.split("\n")
    problem = getattr(exc, "problem", None) or ""
    context = getattr(exc, "context", None) or ""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    line = problem_mark.line if problem_mark else (context_mark.line if context_mark else 0)
    start = context_mark.line if context_mark else line
    for number in range(min(line, len(lines) - 1), max(min(start, line) - 3, -1), -1):
        if _KEY_WITH_FULLWIDTH_COLON.match(lines[number]):
            return number, _FULLWIDTH_COLON
        if _KEY_WITH_FULLWIDTH_SPACE.match(lines[number]):
            return number, _FULLWIDTH_SPACE
    if "simple key" in context and start < len(lines) and len(lines[start]) > _MAX_SIMPLE_KEY:
        return start, f"YAML 格式错误：这一行的键超过 {_MAX_SIMPLE_KEY} 个字符，YAML 无法读取；键应是一个短的英文单词，如 title"
    for number in sorted({start, line}):
        if (number < len(lines) and _leading_tab(lines[number])) or ("tab" in problem and number == line):
            return number, "YAML 格式错误：用了 Tab 缩进；YAML 只能用空格缩进，请把行首的 Tab 换成空格"
    here = lines[line][problem_mark.column] if problem_mark and line < len(lines) and problem_mark.column < len(lines[line]) else ""
    if "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
        return start, "YAML 格式错误：这一行开始的引号没有结束，请在值的末尾补上配对的引号（或去掉开头的引号）"
    for pattern, use_start, message in _EXPLANATIONS:
        if pattern in problem or pattern in context:
            return (start if use_start else line), "YAML 格式错误：" + message.format(
                char=here, start=start + 1, anchor=getattr(problem_mark, "line", 0) + 1
            )
    return line, f"YAML 格式错误：无法解析（{problem or context or exc}）；请检查缩进、冒号后的空格和引号是否配对"


#: (substring of PyYAML's or libyaml's problem or context, locate at the context mark?, Chinese).
_EXPLANATIONS: list[tuple[str, bool, str]] = [
    ("maximum nesting depth", False, f"嵌套超过 {MAX_DEPTH} 层（或括号过多）：内容和配置不需要这么深的结构，请检查缩进和括号是否多余"),
    ("escape character", False, "双引号里的反斜杠 \\ 后面不是有效的转义；请改用单引号，或把 \\ 写成 \\\\"),
    ("could not find expected ':'", True, "这一行缺少冒号；应写作“键: 值”，冒号为半角且后面有一个空格"),
    ("mapping values are not allowed", False, "这里不能出现“: ”；值里含有冒号时请给整个值加上引号，否则请检查这一行的缩进"),
    ("cannot start any token", False, "值不能以 “{char}” 开头，请给整个值加上引号"),
    ("expected ',' or ']'", False, "第 {start} 行的方括号 [ 没有配对的 ]，或列表项之间缺少逗号"),
    ("expected ',' or '}'", False, "第 {start} 行的花括号 {{ 没有配对的 }}，或各项之间缺少逗号"),
    ("sequence entries are not allowed", False, "“- ” 列表项不能写在这里；列表应从键的下一行开始，并多缩进两个空格"),
    ("expected <block end>", False, "缩进不对：同一层的键应左对齐，下一层应比上一层多缩进"),
    ("did not find expected key", False, "缩进不对：同一层的键应左对齐，下一层应比上一层多缩进"),
    ("node content", False, "这里缺少值，或多了符号"),
    ("undefined alias", False, "以 * 开头的值会被当作 YAML 别名，但没有对应的 & 锚点；请给整个值加上引号"),
    ("duplicate anchor", False, "同一个 & 锚点名出现了两次；请给整个值加上引号，或删除锚点"),
    ("while scanning an alias", False, "以 * 开头的值会被当作 YAML 别名；请给整个值加上引号"),
    ("while scanning an anchor", False, "以 & 开头的值会被当作 YAML 锚点；请给整个值加上引号"),
    ("block scalar", True, "| 或 > 后面只能换行，多行文字写在下一行起并缩进"),
    ("single document", False, "一个文件里只能有一段 YAML；请删除多余的 ---"),
    ("constructor for the tag", False, "不支持以 ! 开头的 YAML 标签；请删除它，或给整个值加上引号"),
    ("unhashable key", False, "键不能是列表或映射，请改为文字"),
    ("while scanning a simple key", True, "这一行缺少冒号；应写作“键: 值”，冒号为半角且后面有一个空格"),
    ("quoted scalar", True, "引号没有正确结束；值里要用同种引号时，请改用另一种引号把整个值括起来"),
    ("found unexpected ':'", False, "这里不能出现“:”；值里含有冒号时请给整个值加上引号"),
    ("expected '-' indicator", False, "列表项应以“- ”开头，且同一列表的各项对齐"),
    ("document start", False, "这里不应再有内容；请检查缩进，或删除多余的 --- 和 ..."),
    ("whitespace or line break", False, "这里应为空格或换行；请检查引号后面是否多了字符，或给整个值加上引号"),
    ("expected ' '", False, "这里应为空格；请给整个值加上引号"),
    ("mapping keys are not allowed", False, "“? ” 在 YAML 中表示复杂的键；请给整个值加上引号"),
    ("base64", False, "!!binary 后面不是有效的 Base64 数据；请删除 !!binary"),
    ("directive", False, "以 % 开头的行是 YAML 指令；请删除它，或给整个值加上引号"),
    ("non-alphabetical character", False, "以 % 开头的行是 YAML 指令；请删除它，或给整个值加上引号"),
    ("tag", False, "以 ! 开头的值是 YAML 标签；请删除它，或给整个值加上引号"),
    ("merging", False, "合并键 << 后面应是 * 别名；请删除这一行，直接写出内容"),
    ("while constructing", False, "YAML 标签（!! 开头）与内容不符；请删除标签，直接写出内容"),
    ("node, but found", False, "YAML 标签（!! 开头）与内容不符；请删除标签，直接写出内容"),
]


def _construct(root: yaml.Node) -> Any:
    """Build Python data from the already-composed tree (no second parse)."""
    loader = _Loader("")
    try:
        return loader.construct_document(root)
    finally:
        loader.dispose()


def parse_yaml(
    text: str, path: str, first_line: int = 1, max_nodes: int = MAX_NODES
) -> tuple[YamlDocument | None, list[ContentError]]:
    """Parse ``text``; return the document, or ``None`` and the errors, each in Chinese at its line."""
    try:
        root = compose(text, max_nodes)
    except YamlError as exc:
        return None, [ContentError(path, exc.line + first_line, "", exc.message)]
    errors = [
        ContentError(path, key.start_mark.line + first_line, dotted, "字段重复出现，请删除多余的一处")
        for key, dotted in _duplicate_keys(root)
    ]
    try:
        data = _construct(root) if root is not None else None
    except yaml.YAMLError as exc:
        line, message = explain(exc, text)
        return None, [ContentError(path, line + first_line, "", message)]
    return YamlDocument(data, root, path, first_line), errors
