"""User text is data: never markup, never terminal control.

``clean()`` is applied at input (before storing). At render, text read from the database
goes through ``widgets.text`` (``visible()``: what ``clean`` would strip is shown as a
stand-in, never sent) or is cleaned again (``clean_line`` in one-line lists). It strips C0/C1
control characters except tab and newline, DEL, the bidi overrides/isolates
(U+202A–202E, U+2066–2069) that could reorder what the clerk sees, and lone surrogates
(U+D800–DFFF: no character, they cannot be encoded to UTF-8 — a write to PostgreSQL, a
file or the terminal fails on them).

The services apply it at the boundary (issue 15, item 1): intake, lifecycle, complaints,
clerks — a stored ``ESC ] 52`` wrote the clerk's clipboard when a case card was opened.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("[\t\n]+")


def clean(text: str) -> str:
    """Strip control characters (keep tab and newline), bidi overrides, lone surrogates."""
    return _CONTROL.sub("", text)


def _stand_in(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Control Pictures block
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1, a bidi override or a lone surrogate: �


def visible(text: str) -> str:
    """User text as it may reach the terminal: every character ``clean`` would strip is
    shown instead (ESC as ␛, DEL as ␡, a C1 control, bidi override or lone surrogate as �),
    so a tampered row is seen for what it is and never obeyed. Tab and newline stay."""
    return _CONTROL.sub(_stand_in, text)


def clean_line(text: str) -> str:
    """One line of user text for a single-line field: tabs/newlines become one space."""
    return _LINE_BREAKS.sub(" ", clean(text)).strip()


def clean_data(value: Any) -> Any:
    """``clean`` every string in a JSON-like value (dict keys too): a saved draft is user
    text as much as a stored field, and comes back into the form's fields."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_data(v) for v in value]
    return value


def is_clean(text: str) -> bool:
    return _CONTROL.search(text) is None


def mask_iin(iin: str) -> str:
    """IINs in lists show the first six digits' shape only: 450315******."""
    digits = clean_line(iin)
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:2] + "****" + "*" * max(0, len(digits) - 8) + digits[-2:]
