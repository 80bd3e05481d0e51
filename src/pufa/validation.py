"""Turn pydantic validation errors into Chinese content errors with lines.

Schemas stay plain pydantic models; this module is the one place that knows how
to phrase pydantic's error types for an editor.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ContentError
from .yamlsource import YamlDocument

M = TypeVar("M", bound=BaseModel)

_MESSAGES: dict[str, str] = {
    "missing": "缺少必填字段，请补上",
    "extra_forbidden": "不认识的字段，请检查拼写（可用字段见编写指南）",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能带小数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表，例如 [a, b] 或每行以“- ”开头",
    "dict_type": "应为“键: 值”形式的映射",
    "model_type": "应为“键: 值”形式的映射",
    "model_attributes_type": "应为“键: 值”形式的映射",
    "date_type": "应为日期，格式如 2026-03-15",
    "date_parsing": "应为日期，格式如 2026-03-15",
    "date_from_datetime_parsing": "应为日期，格式如 2026-03-15",
    "date_from_datetime_inexact": "应为日期，不要带时间",
    "datetime_type": "应为日期时间，格式如 2026-03-13 18:30",
    "datetime_parsing": "应为日期时间，格式如 2026-03-13 18:30",
    "datetime_from_date_parsing": "应为日期时间，格式如 2026-03-13 18:30",
    "url_parsing": "应为网址",
    "url_scheme": "网址应以 https:// 开头",
    "uuid_type": "应为 UUID，如 3b7e3f8e-0b4c-5b43-9f7e-1f5a0d7a4c11",
    "uuid_parsing": "应为 UUID，如 3b7e3f8e-0b4c-5b43-9f7e-1f5a0d7a4c11",
}


#: Messages that quote the constraint from pydantic's error context.
_TEMPLATES: dict[str, str] = {
    "string_too_long": "太长了：最多 {max_length} 个字",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "string_pattern_mismatch": "格式不对（应符合 {pattern}）",
}


def describe(error: dict[str, Any]) -> str:
    """A Chinese sentence for one pydantic error dict."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "string_too_short" or (kind == "too_short" and isinstance(error.get("input"), str)):
        # A text whose surrounding spaces were stripped reports ``too_short``, as a list would.
        return "不能为空" if ctx.get("min_length", 1) <= 1 else f"至少需要 {ctx['min_length']} 个字"
    if kind == "invalid_key":
        return f"“{error.get('input')}” 不能作字段名：字段名是英文单词，如 title；请检查这一行"
    if kind == "literal_error":
        return f"只能是 {str(ctx.get('expected')).replace(' or ', ' 或 ')}"
    if kind in _TEMPLATES:
        return _TEMPLATES[kind].format(**ctx)
    # Our own PydanticCustomError messages and value errors are already Chinese.
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    # A pydantic error type not listed above would reach the editor in English.
    return "格式不对，请对照编写指南改正" if message.isascii() else message


def dotted(loc: tuple[str | int, ...]) -> str:
    """``('quiz', 1, 'answer')`` -> ``quiz[1].answer``: how editors see nesting."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validate(
    model: type[M], doc: YamlDocument, context: dict[str, Any] | None = None, prefix: tuple[str | int, ...] = ()
) -> tuple[M | None, list[ContentError]]:
    """Validate ``doc.data`` (or its part at ``prefix``) against ``model``."""
    data = doc.data
    for part in prefix:
        data = data[part]
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            loc = prefix + tuple(error["loc"])
            # Unions and wrapped validators add tags such as "function-after[...]"
            # to loc; they are not keys the editor wrote.
            loc = tuple(p for p in loc if isinstance(p, int) or not ("[" in p or "(" in p))
            if error["type"] == "missing":
                # Point at the mapping that lacks the key: its first line.
                line = doc.line_of(loc[:-1])
            elif error["type"] == "invalid_key":
                # A key YAML read as a number or null: the field is the mapping that holds it.
                line = doc.key_line(loc)
                loc = loc[:-1]
            else:
                line = doc.key_line(loc)
            message = describe(error)
            if error["type"] == "extra_forbidden":
                message += _did_you_mean(str(loc[-1]), _fields_at(model, loc[len(prefix):-1]))
            errors.append(ContentError(doc.path, line, dotted(loc), message))
        return None, errors


def _did_you_mean(key: str, fields: list[str]) -> str:
    match = difflib.get_close_matches(key, fields, n=1, cutoff=0.5)
    return f"。是否为 “{match[0]}”？" if match else ""


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed at ``loc`` inside ``model``, for “did you mean”."""
    current: Any = model
    for part in loc:
        current = _model_in(current)
        if current is None:
            return []
        if isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        # Integer parts index into lists; _model_in unwraps list[...] below.
    current = _model_in(current)
    return list(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the pydantic model inside ``list[X]``, ``X | None``, ``Annotated[X, …]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
