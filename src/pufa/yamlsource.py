"""YAML documents that remember where each key and item came from.

PyYAML's composed node tree carries start marks; we keep it next to the
constructed data so a validation error at ``quiz[1].answer`` can be reported
at the line the editor wrote it on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import ContentError

Loc = Sequence[str | int]


@dataclass
class YamlDocument:
    """Constructed data plus its node tree, offset to lines of the host file."""

    data: Any
    root: yaml.Node | None
    path: str
    first_line: int  # file line of the document's first line (1-based)

    def line_of(self, loc: Loc) -> int:
        """The file line of the deepest node that ``loc`` reaches."""
        node = self.root
        line = self.first_line
        if node is not None:
            line = node.start_mark.line + self.first_line
        for part in loc:
            child = _child(node, part)
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
            parent = _child(parent, part)
            if parent is None:
                return self.line_of(loc)
        if isinstance(parent, yaml.MappingNode):
            for key, _value in parent.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(loc[-1]):
                    return key.start_mark.line + self.first_line
        return self.line_of(loc)


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return node.value[part]
    return None


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
    """Safe loading where an impossible date (``2026-13-01``) stays text.

    PyYAML raises a bare ValueError without a position for those; as text, the
    schema reports it at its own line like any other bad date.
    """

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _construct(root: yaml.Node) -> Any:
    """Build Python data from the already-composed tree (no second parse)."""
    loader = _Loader("")
    try:
        return loader.construct_document(root)
    finally:
        loader.dispose()


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[YamlDocument | None, list[ContentError]]:
    """Parse ``text``; return the document, or ``None`` and the syntax errors."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        problem = exc.problem or exc.context or "无法解析"
        return None, [
            ContentError(path, line, "", f"YAML 格式错误（{problem}）：请检查缩进、冒号后的空格和引号是否配对")
        ]
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        return None, [ContentError(path, first_line, "", f"YAML 格式错误：{exc}")]
    errors = [
        ContentError(path, key.start_mark.line + first_line, dotted, "字段重复出现，请删除多余的一处")
        for key, dotted in _duplicate_keys(root)
    ]
    try:
        data = _construct(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line if mark else 0) + first_line
        return None, [ContentError(path, line, "", f"YAML 内容无法识别（{getattr(exc, 'problem', exc)}）")]
    return YamlDocument(data, root, path, first_line), errors
