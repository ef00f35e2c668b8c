"""Starting the Textual apps: ``run`` (the desk, also with no command) and ``board``.

Textual and ``mss_desk.app`` are imported here only when a command starts an App (the
import-linter contract lets only the App and this lazy start touch the UI); the App builds
its own services after its first screen is up, so no SQLAlchemy is imported before that.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from mss_desk.cli.context import Context, check_db_scheme
from mss_desk.cli.errors import EXIT_OK, UsageError, log_internal
from mss_desk.errors import DeskError


def auto_backup_in_background(ctx: Context, app: Any = None) -> Any:
    """First start of the day: an automatic backup (store/backup.py) beside the starting desk.

    A thread, so the login screen is not delayed; not a daemon, so a backup is never cut off
    half-way at exit (it writes under a temporary name anyway). A failure is not the clerk's
    problem at the login screen: it goes to debug.log (MSS_DESK_DEBUG=1), nothing personal,
    and the App shows the clerk a warning (``app.report_backup_failure``) — work goes on.
    """
    import threading

    settings, clock = ctx.settings, ctx.clock()

    def work() -> None:
        try:
            from mss_desk.store.backup import auto_backup_if_due

            url = ctx.db_url()  # imports SQLAlchemy: here, not before the first screen

            auto_backup_if_due(url, settings, clock)
        except Exception as exc:  # noqa: BLE001 - the desk works on without it
            log_internal(exc)
            app.report_backup_failure(exc)

    thread = threading.Thread(target=work, name="mss-desk-auto-backup")
    thread.start()
    return thread


def _app_module() -> Any:
    """``mss_desk.app``, imported only by the commands that start the TUI (start-up)."""
    try:
        import mss_desk.app as app_module
    except ModuleNotFoundError as exc:
        if exc.name in ("mss_desk.app", "textual"):
            raise DeskError(key="cli.app_missing") from None
        raise
    return app_module


def _refuse_json(ctx: Context, command: str, what: str) -> None:
    if ctx.json:
        raise UsageError(f"mss-desk {command}: --json is for script commands, not {what}")


def cmd_run(ctx: Context) -> int:
    _refuse_json(ctx, "run", "the desk")
    # Issue 12 point 15 (start-up): no cyclic garbage collection until the first screen is
    # painted. Importing Textual and building the first screen allocate hundreds of
    # thousands of objects and little garbage, and the collector ran a hundred times on the
    # way (~15 ms, a twentieth of the start); it is back on as soon as the clerk sees the
    # desk (or when it stops before that).
    collecting = gc.isenabled()
    gc.disable()
    try:
        app = _build_app(_app_module().MssDeskApp, ctx)
        if collecting:
            app.when_started(gc.enable)
        app.when_started(lambda: auto_backup_in_background(ctx, app))  # after the first paint
        app.run()
    finally:
        if collecting:
            gc.enable()
    return EXIT_OK


def cmd_board(ctx: Context) -> int:
    _refuse_json(ctx, "board", "the board")
    _build_app(_app_module().BoardApp, ctx).run()
    return EXIT_OK


def _build_app(app_cls: Any, ctx: Context) -> Any:
    """The App gets the database URL (it resolves it: no SQLAlchemy here), the clock, the
    language and the settings; never the services: it builds them after the login screen is
    up (start-up time)."""
    value = ctx.settings.database or os.environ.get("MSS_DESK_DATABASE") or ""
    if "://" in value:
        check_db_scheme(value)  # a mysql:// URL is said so before any screen (item 13)
    return app_cls(ctx.settings.database, ctx.clock(), ctx.lang, ctx.settings)
