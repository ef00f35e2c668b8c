"""How the command line fails: exit codes, the usage error and the one line a mistake becomes.

Exit codes: 0 success, 1 invalid input (``{"error": "..."}`` with ``--json``), 2 usage
error. Never a traceback: a :class:`DeskError` becomes one line in the chosen language;
anything else becomes "internal error" (the traceback goes to ``debug.log`` in the data dir
only when ``MSS_DESK_DEBUG=1``). Stdlib and the i18n only: imported at every start.

Everything the command line writes to a terminal passes :func:`screen_text` (human text) or
:func:`json_text` (``--json``): a facts file, an argument or a stored name may hold escape
sequences (OSC 52 writes the clipboard, ``ESC [ 2 J`` blanks the screen) or bidi overrides
that reorder what the clerk reads (issue 15 item 1). They are shown, never obeyed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from functools import cache
from typing import Any

from mss_desk.errors import DeskError
from mss_desk.i18n import t

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

MAX_MESSAGE = 2000  # a one-line error never floods the terminal with a hostile value

# C0 controls (tab and newline are allowed only in multi-line human text), DEL, C1, the bidi
# marks, embeddings, overrides and isolates, the Unicode line/paragraph separators and lone
# surrogates (which cannot even be encoded as UTF-8).
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"


@cache
def _unsafe(multiline: bool) -> re.Pattern[str]:
    """The unsafe characters (``multiline``: tab and newline allowed). Compiled on first use:
    these wide classes take a millisecond and more to compile, and the desk started for the
    clerk writes nothing through them before its first screen (issue 12 point 15)."""
    return re.compile(f"[{_UNSAFE}]" if multiline else f"[\t\n{_UNSAFE}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def screen_text(text: str, *, multiline: bool = False) -> str:
    """Text made safe for a terminal: every control character is shown as ``\\x1b``,
    ``\\u202e`` …, never sent. ``multiline`` keeps newline and tab (human output)."""
    return _unsafe(multiline).sub(_visible, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(data: Any) -> str:
    """One JSON value, letters readable (Kazakh, Russian) but every unsafe character written
    as a ``\\uXXXX`` escape: the same value for a JSON reader, nothing for a terminal to obey.

    The unsafe characters can only stand inside JSON strings, where ``\\uXXXX`` is their
    exact JSON spelling, so replacing them in the dumped text changes no value.
    """
    return _unsafe(True).sub(_json_escape, json.dumps(data, ensure_ascii=False))


class UsageError(Exception):
    """Wrong command line: one line, exit 2."""


def fail(message: str, *, as_json: bool, code: int) -> int:
    """Say what went wrong in one line (stdout as JSON, else stderr) and give the exit code."""
    message = " ".join(screen_text(message, multiline=True).split())  # one line, always
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    if as_json:
        sys.stdout.write(json_text({"error": message}) + "\n")
    else:
        prefix = "" if message.startswith("mss-desk") else "mss-desk: "
        sys.stderr.write(f"{prefix}{message}\n")
    return code


def safe_t(key: str, lang: str, fallback: str, **params: Any) -> str:
    """A translation that cannot itself fail (a broken catalog must not cause a traceback)."""
    try:
        text = t(key, lang, **params)
    except Exception:  # noqa: BLE001
        return fallback
    return fallback if text == key else text


def error_text(exc: DeskError, lang: str) -> str:
    """A DeskError in the clerk's words; its own message when the key is not translated."""
    own = str(exc) or exc.key
    try:
        return safe_t(exc.key, lang, own, **exc.params)
    except Exception:  # noqa: BLE001
        return own


_MISSING_TABLE = re.compile(r'no such table: (\w+)|relation "(\w+)" does not exist')


def missing_table(exc: BaseException) -> str | None:
    """The table a failed query did not find (SQLite or PostgreSQL), anywhere in the chain of
    causes: a desk database without one of its tables is said so, not "internal error"."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = _MISSING_TABLE.search(str(current))
        if found:
            return found.group(1) or found.group(2)
        current = current.__cause__ or current.__context__
    return None


_SQL_PARAMETERS = re.compile(r"^\[parameters: .*$", re.MULTILINE)
_IIN_SHAPED = re.compile(r"(?<!\d)\d{12}(?!\d)")


def _loggable(text: str) -> str:
    """No personal data in logs: the values SQLAlchemy quotes with a failed statement
    (names, addresses) are dropped, IIN-shaped numbers masked; and no control characters
    for whoever reads the log in a terminal later."""
    text = _SQL_PARAMETERS.sub("[parameters: hidden]", text)
    return screen_text(_IIN_SHAPED.sub("<12 digits>", text), multiline=True)


def log_internal(exc: BaseException) -> None:
    """Only with MSS_DESK_DEBUG=1: the traceback goes to debug.log (never to the screen)."""
    if os.environ.get("MSS_DESK_DEBUG") != "1":
        return
    try:
        import traceback

        from mss_desk.locations import data_dir, ensure_private_dir

        path = ensure_private_dir(data_dir()) / "debug.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(_loggable("".join(traceback.format_exception(exc))))
            fh.write("\n")
    except Exception:  # noqa: BLE001 - logging must never become the error
        pass
