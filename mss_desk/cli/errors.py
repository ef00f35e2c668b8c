"""How the command line fails: exit codes, the usage error and the one line a mistake becomes.

Exit codes: 0 success, 1 invalid input (``{"error": "..."}`` with ``--json``), 2 usage
error. Never a traceback: a :class:`DeskError` becomes one line in the chosen language;
anything else becomes "internal error" (the traceback goes to ``debug.log`` in the data dir
only when ``MSS_DESK_DEBUG=1``). Stdlib and the i18n only: imported at every start.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from mss_desk.errors import DeskError
from mss_desk.i18n import t

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Wrong command line: one line, exit 2."""


def fail(message: str, *, as_json: bool, code: int) -> int:
    """Say what went wrong in one line (stdout as JSON, else stderr) and give the exit code."""
    message = " ".join(message.split())  # one line, always
    if as_json:
        sys.stdout.write(json.dumps({"error": message}, ensure_ascii=False) + "\n")
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


def log_internal(exc: BaseException) -> None:
    """Only with MSS_DESK_DEBUG=1: the traceback goes to debug.log (never to the screen)."""
    if os.environ.get("MSS_DESK_DEBUG") != "1":
        return
    try:
        import re
        import traceback

        from mss_desk.locations import data_dir, ensure_private_dir

        path = ensure_private_dir(data_dir()) / "debug.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            # no personal data in logs: IIN-shaped numbers are masked
            text = "".join(traceback.format_exception(exc))
            fh.write(re.sub(r"(?<!\d)\d{12}(?!\d)", "<12 digits>", text))
            fh.write("\n")
    except Exception:  # noqa: BLE001 - logging must never become the error
        pass
