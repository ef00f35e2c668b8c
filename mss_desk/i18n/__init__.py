"""Message catalogs (Kazakh, Russian, English) and the lookup function.

Each language is a folder of TOML files, one per room (``rules.toml``, ``ui.toml``,
``paper.toml`` …), merged into one flat table of dotted keys. Kazakh is the clerk's
default; English is for developers. A test checks every key exists in all three.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "kk"
_HERE = Path(__file__).resolve().parent


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@cache
def messages(lang: str) -> dict[str, str]:
    """All messages of one language, flattened to dotted keys."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    out: dict[str, str] = {}
    for path in sorted((_HERE / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out)
    return out


def t(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """Translate ``key`` into ``lang``; falls back to English, then to the key itself."""
    text = messages(lang).get(key) or messages("en").get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in messages(lang)
