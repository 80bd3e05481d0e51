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

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

#: The model configuration every schema starts from: strict types, unknown keys refused.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)


def number_as_text(value: Any) -> Any:
    """YAML reads ``12315`` or ``2026`` as numbers; in free text they are words."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


#: Free text that may not be empty.
Text = Annotated[str, BeforeValidator(number_as_text), Field(min_length=1)]
#: Free text that may be empty (an optional note, a phone number).
Words = Annotated[str, BeforeValidator(number_as_text)]

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
