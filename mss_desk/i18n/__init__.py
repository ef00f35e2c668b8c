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


class Translated(str):
    """A message as :func:`t` said it, remembering its key and parameters.

    It is an ordinary ``str`` everywhere; :func:`retranslate` can say it again in another
    language (F12: the toasts already on screen follow the switch). Text built from it
    (f-strings, ``+``, ``join``) is a plain ``str`` again and is not re-sayable.
    """

    key: str
    params: dict[str, Any]


class Localized(str):
    """A value that is not from the catalog but has its own words per language (a holiday's
    name from the ``holidays`` package, say): a :func:`t` parameter made of it is said in
    the new language too when :func:`retranslate` says the message again."""

    by_lang: dict[str, str]

    @classmethod
    def of(cls, by_lang: dict[str, str], lang: str) -> Localized:
        out = cls(by_lang.get(lang, ""))
        out.by_lang = dict(by_lang)
        return out


def t(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """Translate ``key`` into ``lang``; falls back to English, then to the key itself."""
    text = messages(lang).get(key) or messages("en").get(key) or key
    if params:
        # a Localized parameter (a holiday's name) is said in the message's language
        said = {k: _in(v, lang) if isinstance(v, Localized) else v for k, v in params.items()}
        try:
            text = text.format(**said)
        except (KeyError, IndexError, ValueError):
            pass
    out = Translated(text)
    out.key, out.params = key, params
    return out


def _in(value: Localized, lang: str) -> str:
    return getattr(value, "by_lang", {}).get(lang) or str(value)


def retranslate(text: str, lang: str) -> str | None:
    """``text`` said again in ``lang`` if :func:`t` made it (parameters that :func:`t` made,
    and :class:`Localized` ones, are said again too); ``None`` for any other text."""
    if not isinstance(text, Translated):
        return None
    params = {name: _again(value, lang) for name, value in text.params.items()}
    return t(text.key, lang, **params)


def _again(value: Any, lang: str) -> Any:
    if isinstance(value, Translated):
        return retranslate(value, lang)
    if isinstance(value, Localized):
        return Localized.of(value.by_lang, lang)
    return value


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in messages(lang)
