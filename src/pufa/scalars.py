"""Scalar types shared by every schema, for models that validate strictly.

Pydantic's default (lax) mode reads ``date: 0`` as 1970-01-01, ``number: true``
as 1 and ``explicit: 1`` as true: conversions an editor never meant and would
never notice. Every schema therefore sets ``strict=True`` (see :data:`STRICT`),
and the few conversions that *are* meant live here, each stated once.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

#: The model configuration every schema starts from: strict types, unknown keys refused.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)


def number_as_text(value: Any) -> Any:
    """YAML reads ``12315`` or ``2026`` as numbers; in free text they are words."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


#: Characters no text field may hold, though YAML lets them in through escapes
#: (``"\a"``, ``"\x00"``, ``"\u202e"``): C0/C1 controls, which XML (every feed)
#: cannot carry at all, lone surrogates and non-characters, and the bidi
#: overrides and isolates that make a title read differently from what it holds.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
#: Whitespace and format characters (zero-width space …): text of nothing but these reads as empty.
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060-\u2064\ufeff]*")


def unsafe_character(text: str) -> str | None:
    """Why ``text`` cannot be published as it is, or None."""
    match = _UNSAFE.search(text)
    if match is None:
        return None
    code = ord(match.group())
    if 0x202A <= code <= 0x2069:
        return f"含有改变文字方向的控制字符 U+{code:04X}（会让文字显示得与实际内容不同）；请删除它，或把这段文字重新输入"
    return f"含有看不见的控制字符 U+{code:04X}（常见于从 Word 或网页复制的文字，网站和订阅源都无法发布）；请删除它，或把这段文字重新输入"


def _plain(value: str) -> str:
    problem = unsafe_character(value)
    if problem is not None:
        raise PydanticCustomError("unsafe_character", problem)
    return value


def _visible(value: str) -> str:
    if value and _INVISIBLE.fullmatch(value):
        raise PydanticCustomError("invisible_text", "只有空白或看不见的字符，请填写实际内容")
    return value


#: Text as an editor writes it: any character a page and a feed can show.
Plain = AfterValidator(_plain)
#: Free text that may not be empty.
Text = Annotated[str, BeforeValidator(number_as_text), Field(min_length=1), Plain, AfterValidator(_visible)]
#: Free text that may be empty (an optional note, a phone number).
Words = Annotated[str, BeforeValidator(number_as_text), Plain]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(value: Any) -> Any:
    """A YAML date, or a quoted ``"2026-03-15"``; never a number or a time of day."""
    if isinstance(value, datetime):
        raise PydanticCustomError("date_with_time", "应为日期，不要带时间，格式如 2026-03-15")
    if isinstance(value, str) and _ISO_DAY.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_value", f"应为日期，{value.strip()} 这一天不存在，请改正") from None
    return value


Day = Annotated[date, BeforeValidator(_day)]
