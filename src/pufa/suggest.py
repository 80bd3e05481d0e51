"""“Did you mean …?” for keys and values an editor mistyped."""

from __future__ import annotations

import difflib
from collections.abc import Mapping


def nearest(value: str, choices: Mapping[str, str]) -> str | None:
    """The valid key closest to ``value``; also matches a Chinese display name.

    ``choices`` maps keys to their Chinese names, so an editor who wrote the
    name (``宪法``) instead of the key (``xianfa``) is pointed at the key.
    """
    for key, name in choices.items():
        if value == name or value in name.split("/"):
            return key
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def unknown_message(kind: str, value: str, choices: Mapping[str, str]) -> str:
    guess = nearest(value, choices)
    if guess is not None:
        return f"未知的{kind} “{value}”，是否为 “{guess}”（{choices[guess]}）？"
    listing = "、".join(f"{k}（{v}）" for k, v in list(choices.items())[:12])
    return f"未知的{kind} “{value}”，可用的有：{listing}"
