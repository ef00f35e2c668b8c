"""``mss-desk``: the desk itself and its command line for scripts.

With ``--json`` every command prints exactly one JSON value on stdout. Exit codes:
0 success, 1 invalid input (``{"error": "..."}``), 2 usage error. Never a traceback: a
:class:`DeskError` becomes one line in the chosen language; anything else becomes
"internal error" (the traceback goes to ``debug.log`` in the data dir only when
``MSS_DESK_DEBUG=1``).

The rooms: ``parser`` (every command and option), ``errors`` (exit codes and the one-line
failure), ``context`` (settings, database URL, clock, services — built on first use),
``values`` (choices, date arguments, output formats) and one module per command group:
``rules`` (iin, evaluate, deadlines), ``setup`` (init, clerk add), ``tickets``,
``cases`` (cases, talon), ``report``, ``safety`` (backup, restore, audit verify), ``demo``
and ``tui`` (run, board).

Start-up time matters (the desk runs over slow SSH links): the package imports only the
stdlib and the light core modules. SQLModel/SQLAlchemy, ReportLab and Textual are imported
inside the commands that need them. The desk started with no command (``mss-desk``,
``mss-desk --db FILE``: what a clerk runs) does not even build the command-line parser —
argparse, every command's module and the catalog's shapes (issue 12 point 15):
:func:`_desk_args` reads its few options, exactly as the parser would.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.errors import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    error_text,
    fail,
    json_text,
    log_internal,
    missing_table,
    safe_t,
    screen_text,
)
from mss_desk.cli.tui import cmd_run
from mss_desk.config import load_settings
from mss_desk.errors import DeskError
from mss_desk.i18n import LANGS

__all__ = ["main"]


def _explicit_lang(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGS:
            return arg[7:]
    return None


# the options of the desk started with no command, and their names in the parser's namespace
_DESK_OPTIONS = {"--db": "db", "--lang": "lang", "--department": "desk_department"}


def _desk_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """``argv`` as ``build_parser().parse_args`` reads it, when it starts the desk with no
    command and only ``--db``, ``--lang`` and ``--department`` (each as ``--opt VALUE`` or
    ``--opt=VALUE``); None for anything else (a command, ``--json``, ``--help``, an
    abbreviation, a value that is missing or looks like an option): the parser reads that,
    its errors included. Start-up: the parser imports argparse and every command's module
    (issue 12 point 15); ``tests/cli/test_desk_args.py`` checks both read alike."""
    values: dict[str, Any] = dict.fromkeys(_DESK_OPTIONS.values())
    i = 0
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name not in _DESK_OPTIONS:
            return None
        if not eq:
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return None
            i += 1
            value = argv[i]
        if name == "--lang" and value not in LANGS:
            return None
        values[_DESK_OPTIONS[name]] = value
        i += 1
    return SimpleNamespace(version=False, json=False, command=None, **values)


def _parse(argv: list[str]) -> Any:
    """The command line read: the desk's own few options without the parser, else argparse."""
    args = _desk_args(argv)
    if args is not None:
        return args
    from mss_desk.cli.parser import build_parser

    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``mss-desk``; returns the exit code (the console script exits with it)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args_list
    explicit_lang = _explicit_lang(args_list)
    # Errors in JSON are for scripts: English unless a language was asked for.
    error_lang = explicit_lang or ("en" if as_json else None)
    ctx: Context | None = None
    try:
        try:
            args = _parse(args_list)
        except SystemExit as exc:  # --help (argparse prints and exits 0)
            return int(exc.code or 0)
        if args.version:
            return _print_version(as_json)
        settings = load_settings(
            database=args.db,
            language=args.lang,
            department=getattr(args, "desk_department", None),
        )
        if error_lang is None:
            error_lang = settings.language
        ctx = Context(
            args=args,
            settings=settings,
            lang=settings.language,
            json=bool(args.json),
            json_lang=explicit_lang or "en",
        )
        func = getattr(args, "func", None) or cmd_run
        return func(ctx)
    except UsageError as exc:
        return fail(str(exc), as_json=as_json, code=EXIT_USAGE)
    except DeskError as exc:
        table = missing_table(exc)
        if table is not None:
            return _fail_missing_table(table, error_lang or "kk", as_json)
        return fail(error_text(exc, error_lang or "kk"), as_json=as_json, code=EXIT_INVALID)
    except KeyboardInterrupt:
        return fail("interrupted", as_json=as_json, code=EXIT_INTERRUPTED)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        table = missing_table(exc)
        if table is not None:
            return _fail_missing_table(table, error_lang or "kk", as_json)
        log_internal(exc)
        return fail(
            safe_t("cli.internal_error", error_lang or "kk", "internal error"),
            as_json=as_json,
            code=EXIT_INVALID,
        )
    finally:
        if ctx is not None:
            ctx.close()


def _fail_missing_table(table: str, lang: str, as_json: bool) -> int:
    """Issue 15 item 13: a database without one of its tables (the audit trail) is named."""
    message = safe_t(
        "cli.db_table_missing", lang, f"the database has no table {table}", table=table
    )
    return fail(message, as_json=as_json, code=EXIT_INVALID)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mss-desk")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def _print_version(as_json: bool) -> int:
    version = _version()
    if as_json:
        sys.stdout.write(json_text({"version": version}) + "\n")
    else:
        sys.stdout.write(screen_text(f"mss-desk {version}") + "\n")
    return EXIT_OK
