"""The reliability room from a script (mss_desk/store/backup.py, audit.py): ``backup``,
``restore`` and ``audit verify``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mss_desk.cli.context import Context, check_db_file, sqlite_path
from mss_desk.cli.errors import EXIT_INVALID, EXIT_OK

if TYPE_CHECKING:
    from pathlib import Path


def _dir_arg(ctx: Context) -> Path | None:
    """``--dir``, or None for the default place beside the database."""
    from pathlib import Path

    return Path(ctx.args.dir).expanduser() if ctx.args.dir else None


def cmd_backup(ctx: Context) -> int:
    from mss_desk.store.backup import backup

    url = ctx.db_url()
    source = sqlite_path(url)
    if source is not None:
        check_db_file(source, create=False)  # a directory or no database: said so (item 13)
    path = backup(url, clock=ctx.clock(), directory=_dir_arg(ctx), kind="manual")
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
    """Issue 15, item 6: the chain intact, and (``--expect-head``) still reaching the head
    written down outside the database — on the day's register or report, beside a backup.

    JSON ``{"ok", "events", "head", ...}``; exit 1 when broken or the anchor is not reached
    (rows cut at the end, every row deleted, or the chain recomputed after an edit).
    """
    from mss_desk.cli.errors import UsageError
    from mss_desk.store.audit import check_anchor, check_chain, normalise_head

    args = ctx.args
    expected = None
    if args.expect_head is not None:
        expected = normalise_head(args.expect_head)
        if expected is None:
            raise UsageError(
                "mss-desk audit verify: --expect-head takes the 64 hex digits of a head"
            )
    if args.expect_events is not None and expected is None:
        raise UsageError("mss-desk audit verify: --expect-events goes with --expect-head")
    if args.expect_events is not None and args.expect_events < 0:
        raise UsageError("mss-desk audit verify: --expect-events takes a count of 0 or more")
    if expected is None:
        report, reached, at_events = check_chain(ctx.engine(read_only=True)), True, None
    else:
        got = check_anchor(ctx.engine(read_only=True), expected, args.expect_events)
        report, reached, at_events = got.report, got.reached, got.at_events
    intact = report.first_broken is None
    data: dict[str, object] = {
        "ok": intact and reached,
        "events": report.count if intact else report.count - 1,  # the rows ending in head
        "head": report.head,
        "count": report.count,
        "first_broken": report.first_broken,
        "reason": report.reason or None,
    }
    if expected is not None:
        data.update(
            expected_head=expected, expected_events=args.expect_events, reached=reached,
            reached_at_events=at_events,
        )
    if not intact:
        ctx.emit(data, lambda: ctx.t("safety.audit_broken", id=report.first_broken))
        return EXIT_INVALID
    if not reached:
        ctx.emit(
            data,
            lambda: ctx.t("safety.audit_anchor_lost", head=expected, events=report.count),
        )
        return EXIT_INVALID
    ctx.emit(
        data,
        lambda: "\n".join(
            (
                ctx.t("safety.audit_ok", count=report.count),
                ctx.t("safety.audit_head", head=report.head),
            )
        ),
    )
    return EXIT_OK
