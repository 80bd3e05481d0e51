"""Markdown source files: front matter (via python-frontmatter) and body, with line offsets.

MkDocs' own ``meta.get_data`` swallows YAML errors and returns an empty
mapping; we split the file ourselves so a broken front matter is an error at
its line, never a page that silently lost its metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from .errors import ContentError
from .inputs import MARKDOWN, InputError, control_character, read_text
from .yamlsource import FRONT_MATTER_NODES, YamlDocument, parse_yaml

_HANDLER = YAMLHandler()


@dataclass
class Source:
    """One Markdown file as the editor wrote it."""

    path: Path  # absolute
    shown: str  # relative to the project root, for messages
    src_uri: str  # relative to the content directory, '/'-separated
    front: YamlDocument | None
    body: str
    body_line: int  # file line on which the body starts

    @property
    def meta(self) -> dict:
        data = self.front.data if self.front is not None else None
        return data if isinstance(data, dict) else {}


def read_source(path: Path, shown: str, src_uri: str, inside: Path) -> tuple[Source | None, list[ContentError]]:
    """Read one Markdown file of ``inside`` (the content directory) through :mod:`pufa.inputs`."""
    try:
        text = read_text(path, inside, MARKDOWN)
    except InputError as exc:
        return None, [ContentError(shown, exc.line, "", exc.message)]
    if not _HANDLER.detect(text):
        return _with_body(Source(path, shown, src_uri, None, text, 1), [])
    try:
        front_text, body = _HANDLER.split(text)
    except ValueError:
        return None, [ContentError(shown, 1, "", "前置信息没有结束：请在其末尾另起一行写 ---")]
    start = text.index(front_text) if front_text else text.index("---") + 3
    first_line = text.count("\n", 0, start) + 1
    doc, errors = parse_yaml(front_text, shown, first_line=first_line, max_nodes=FRONT_MATTER_NODES)
    if doc is None:
        return None, errors
    body_start = text.rfind(body) if body else len(text)
    body_line = text.count("\n", 0, body_start) + 1
    if doc is not None and doc.data is not None and not isinstance(doc.data, dict):
        errors.append(ContentError(shown, first_line, "", "前置信息应为“键: 值”形式的映射"))
        doc = None
    return _with_body(Source(path, shown, src_uri, doc, body, body_line), errors)


def _with_body(source: Source, errors: list[ContentError]) -> tuple[Source | None, list[ContentError]]:
    """The source, unless its body holds a character no page or feed can carry
    (front matter has its own check, in :mod:`pufa.yamlsource`)."""
    problem = control_character(source.body, source.body_line)
    if problem is not None:
        return None, [*errors, ContentError(source.shown, problem.line, "", problem.message)]
    return source, errors
