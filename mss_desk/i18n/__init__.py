"""Message catalogs (Kazakh, Russian, English) and the lookup function.

Each language is a folder of TOML files, one per room (``rules.toml``, ``ui.toml``,
``paper.toml`` …), merged into one flat table of dotted keys. Kazakh is the clerk's
default; English is for developers. A test checks every key exists in all three.

A countable message is a table of plural forms (``{ by = "n", one = "…", other = "…" }``,
see :mod:`mss_desk.i18n.plural`): :func:`t` picks the form for the counted parameter by the
language's CLDR rules; :func:`tn` says the count explicitly.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from functools import cache
from importlib.util import cache_from_source
from pathlib import Path
from typing import Any

from mss_desk.i18n.plural import Plural, from_table, is_plural_table

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "kk"
_HERE = Path(__file__).resolve().parent


def _flatten(
    prefix: str, table: dict[str, Any], out: dict[str, str], plurals: dict[str, Plural]
) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if is_plural_table(value):
            plurals[full] = from_table(value)
            out[full] = str(value["other"])
        elif isinstance(value, dict):
            _flatten(full, value, out, plurals)
        else:
            out[full] = str(value)


@cache
def _catalog(lang: str) -> tuple[dict[str, str], dict[str, Plural]]:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    paths = sorted((_HERE / lang).glob("*.toml"))
    tables = _compiled(lang, paths)
    out: dict[str, str] = {}
    plurals: dict[str, Plural] = {}
    for table in tables:
        _flatten("", table, out, plurals)
    return out, plurals


# Parsing the TOML files is a tenth of the desk's start-up (issue 12 point 15: tomllib is
# pure Python). Like Python's own bytecode, the parsed tables are kept beside the sources —
# in __pycache__, or under PYTHONPYCACHEPREFIX — stamped with every file's name, size and
# modification time, written only where bytecode would be (not with PYTHONDONTWRITEBYTECODE,
# nor where the folder cannot be written). Any change to a file parses them all again.
_COMPILED_VERSION = 1


def _compiled_path(lang: str) -> Path:
    source = cache_from_source(str(_HERE / lang / "catalog.py"))
    return Path(source).with_suffix(".marshal")


def _compiled(lang: str, paths: list[Path]) -> list[dict[str, Any]]:
    stamp = [_COMPILED_VERSION] + [
        (p.name, (st := p.stat()).st_size, st.st_mtime_ns) for p in paths
    ]
    cached = _compiled_path(lang)
    try:
        saved_stamp, tables = marshal.loads(cached.read_bytes())
        if saved_stamp == stamp:
            return list(tables)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    import tomllib  # only when the parsed tables are not kept: start-up

    tables = []
    for path in paths:
        with path.open("rb") as fh:
            tables.append(tomllib.load(fh))
    if not sys.dont_write_bytecode:
        try:
            data = marshal.dumps((stamp, tables))
        except ValueError:  # a value marshal cannot keep (a TOML date): not cached
            return tables
        _write_compiled(cached, data)
    return tables


def _write_compiled(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)
    except OSError:  # a read-only install: parsed on every start, as without bytecode
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def messages(lang: str) -> dict[str, str]:
    """All messages of one language, flattened to dotted keys (a countable message by its
    ``other`` form)."""
    return _catalog(lang)[0]


def plurals(lang: str) -> dict[str, Plural]:
    """The countable messages of one language: key → its plural forms."""
    return _catalog(lang)[1]


def _lookup(key: str, lang: str) -> tuple[str, Plural | None, str]:
    """The message, its plural forms if countable, and the language they are in."""
    for where in (lang, "en"):
        text = messages(where).get(key)
        if text:
            return text, plurals(where).get(key), where
    return key, None, lang


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
    """Translate ``key`` into ``lang``; falls back to English, then to the key itself.

    A countable message takes the plural form for its counted parameter (item 9 of issue
    12: "1 day", "2 дня", "5 лет")."""
    text, plural, said_in = _lookup(key, lang)
    if plural is not None and plural.by in params:
        text = plural.pick(params[plural.by], said_in)
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

def tn(key: str, count: Any, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """Translate a countable message: ``count`` picks the plural form (CLDR rules of
    ``lang``) and fills the parameter the message counts (``count``, ``n``, ``days`` …)."""
    _text, plural, _said_in = _lookup(key, lang)
    params[plural.by if plural is not None else "count"] = count
    return t(key, lang, **params)


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
