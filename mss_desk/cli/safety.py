"""The reliability room from a script (mss_desk/store/backup.py, audit.py): ``backup``,
``restore`` and ``audit verify``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mss_desk.cli.context import Context
from mss_desk.cli.errors import EXIT_INVALID, EXIT_OK

if TYPE_CHECKING:
    from pathlib import Path


def _dir_arg(ctx: Context) -> Path | None:
    """``--dir``, or None for the default place beside the database."""
    from pathlib import Path

    return Path(ctx.args.dir).expanduser() if ctx.args.dir else None


def cmd_backup(ctx: Context) -> int:
    from mss_desk.store.backup import backup

    path = backup(ctx.db_url(), clock=ctx.clock(), directory=_dir_arg(ctx), kind="manual")
    return ctx.emit({"backup": str(path)}, lambda: ctx.t("safety.backup_done", path=str(path)))


def _who() -> str:
    """The audit actor of a restore from the command line: the Unix account that ran it."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "?"
    return f"cli:{user}"[:64]


def cmd_restore(ctx: Context) -> int:
    """No engine is opened first: a damaged database must not be written to (preflight).

    Issue 15, item 4: a backup that would lose audit events or cases is refused with the
    counts unless ``--force REASON`` (the head's decision); the restore is audited with
    the Unix account, the losses and the reason."""
    from pathlib import Path

    from mss_desk.store.backup import restore

    result = restore(
        ctx.db_url(),
        Path(ctx.args.file).expanduser(),
        clock=ctx.clock(),
        directory=_dir_arg(ctx),
        keep=ctx.settings.backup_keep,
        force=ctx.args.force,
        actor=_who(),
    )
    lost = result.lost
    data = {
        "restored_from": str(result.restored_from),
        "revision": result.revision,
        "pre_restore_backup": str(result.pre_restore_backup or "") or None,
        "moved_aside": [str(p) for p in result.moved_aside],
        "events_lost": lost.events if lost else 0,
        "cases_lost": lost.cases if lost else 0,
    }
    return ctx.emit(data, lambda: ctx.t("safety.restore_done", path=str(result.restored_from)))


def cmd_audit_verify(ctx: Context) -> int:
    from mss_desk.store.audit import check_chain

    report = check_chain(ctx.engine(read_only=True))
    data = {
        "ok": report.first_broken is None,
        "count": report.count,
        "first_broken": report.first_broken,
        "reason": report.reason or None,
        "head": report.head,
    }
    if report.first_broken is None:
        ctx.emit(data, lambda: ctx.t("safety.audit_ok", count=report.count))
        return EXIT_OK
    ctx.emit(data, lambda: ctx.t("safety.audit_broken", id=report.first_broken))
    return EXIT_INVALID
