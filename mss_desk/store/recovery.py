"""Recovery: restore a checked backup into the database and bring it to this version's schema.

Item 18.6 (safekeeping). The rules (taking the backups themselves: ``store.backups``):

- Restore checks the file first (``store.backups.check_backup``): a sound SQLite file, an
  MSS Desk database, a schema revision this version knows, the audit triggers present and
  the audit chain verifying. Against a readable current database it checks too (issue 15,
  item 4): the same Department(s), and what would be lost — audit events and cases in the
  database that the backup lacks; a loss needs ``force`` with a reason. The current
  database is backed up ("pre-restore") first, and the restore itself is audited.
- Never delete ``-wal``/``-shm`` files: they may hold committed data. Restore writes
  *through* SQLite (the backup API again, into the live database) so WAL stays consistent and
  other desks see the restored data; only when the live file is too damaged for SQLite to
  open is it moved aside (renamed, with its ``-wal``/``-shm``, never deleted).
- A backup from an older schema is migrated forward at once (``store.engine.open_store``).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from mss_desk.clock import Clock, SystemClock
from mss_desk.errors import StorageError
from mss_desk.store.backups import (
    DEFAULT_KEEP,
    backup,
    check_backup,
    copy_snapshot,
    default_backup_dir,
    file_mode,
    fsync_path,
    give_up_when_busy,
    latest_good_backup,
    require_sqlite_file,
)
from mss_desk.store.revisions import head_revision
from mss_desk.store.sqlite_file import (
    integrity_problems,
    reachable,
    require_sound,
    ro_connect,
)
from mss_desk.text import clean_line


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    revision: str
    pre_restore_backup: Path | None  # the database as it was, if it could be read
    moved_aside: tuple[Path, ...]  # a damaged file (and its -wal/-shm), renamed, never deleted
    lost: Loss | None = None  # audit events and cases of the current database not in the backup


def restore(
    url: str,
    file: Path,
    *,
    clock: Clock | None = None,
    directory: Path | None = None,
    keep: int | None = DEFAULT_KEEP,
    busy_timeout_ms: int = 10_000,
    force: str | None = None,
    actor: str | None = None,
) -> RestoreResult:
    """Replace the database's contents with a checked backup ``file``.

    1. ``check_backup(file)`` — refuse anything not sound, not ours, from a newer version,
       without its audit triggers or with a broken audit chain.
    2. Against a sound current database (:func:`check_against_live`): refuse another
       Department's backup; refuse one that would lose audit events or cases unless
       ``force`` gives the reason (the head's decision).
    3. Back up the current database ("pre-restore") when it is sound.
    3. Write the backup into the live database through SQLite's backup API (WAL-safe, other
       desks see it); if SQLite cannot open the live file at all, move it and its
       ``-wal``/``-shm`` aside (renamed, not deleted) and put a fresh checked copy in place.
    4. ``integrity_check`` the result, migrate it forward, and write the audit event
       ``database.restore`` (``actor``: who; the file, the losses and the reason).

    Stop the other desks first when the live file is damaged (docs/operations.md). When
    another desk holds the write lock longer than ``busy_timeout_ms``: StorageError
    ``safety.busy`` and nothing changed.
    """
    clock = clock or SystemClock()
    db = require_sqlite_file(url)
    file = Path(os.path.abspath(file))
    if file == db:
        raise StorageError("cannot restore a database onto itself", key="safety.restore_same")
    if force is not None and not clean_line(force):
        raise StorageError("--force needs a reason", key="safety.force_reason")
    exists = reachable(db)  # a database out of this user's reach: said so (issue 15, item 10)
    revision = check_backup(file)
    directory = Path(directory) if directory else default_backup_dir(db)
    pre: Path | None = None
    live_sound = exists and db.stat().st_size > 0 and not integrity_problems(db, quick=True)
    loss = check_against_live(file, db, force=force) if live_sound else Loss(0, 0)
    if live_sound:
        pre = backup(url, clock=clock, directory=directory, kind="pre-restore", keep=keep)
    moved: tuple[Path, ...] = ()
    try:
        if live_sound:
            _restore_into_live(file, db, busy_timeout_ms)
        else:
            moved = _replace_damaged(file, db, clock)
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(str(exc), key="safety.restore_failed", reason=str(exc)) from exc
    require_sound(db, "restored database", "safety.restore_failed")
    _migrate_forward(url, revision)
    _audit_restore(url, file, clock, actor, loss, force)
    return RestoreResult(file, revision, pre, moved, loss)


@dataclass(frozen=True)
class Loss:
    """What the current database has that the backup lacks (lost if it is restored)."""

    events: int
    cases: int


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple[object, ...]]:
    try:
        return [tuple(r) for r in conn.execute(sql)]
    except sqlite3.OperationalError:  # no such table: a database from before it existed
        return []


def _facts(path: Path) -> tuple[set[int], set[tuple[object, ...]], set[tuple[object, ...]]]:
    """Departments, audit events and cases of a file (read-only), as comparable keys."""
    conn = ro_connect(path)
    try:
        departments = {int(str(r[0])) for r in _rows(conn, "SELECT code FROM departments")}
        events = set(_rows(conn, "SELECT id, at, actor, action, entity, entity_id "
                                 "FROM audit_events"))
        cases = set(_rows(conn, "SELECT id, submitted_at FROM cases"))
    finally:
        conn.close()
    return departments, events, cases


def check_against_live(file: Path, db: Path, *, force: str | None = None) -> Loss:
    """Issue 15, item 4: a backup may replace the current database only when it is of the
    same Department(s) (a Department 1 backup restored over Department 19 without a word)
    and, when it is older, only with ``force`` (the head's reason): an older genuine backup
    silently dropped the later audit events. Return what will be lost; raise StorageError
    ``safety.restore_other_department`` or ``safety.restore_loses`` (with the counts)."""
    live_departments, live_events, live_cases = _facts(db)
    departments, events, cases = _facts(file)
    # the regional desk (code 0, issue 14) gains a Departments row with each Department's
    # first bundle: those rows are received data, not the desk; the desk is 0 in both
    regional = 0 in departments and 0 in live_departments
    if live_departments and departments != live_departments and not regional:
        raise StorageError(
            f"{file}: Department(s) {sorted(departments)}, "
            f"the database's {sorted(live_departments)}",
            key="safety.restore_other_department",
            path=str(file),
            backup_departments=", ".join(str(d) for d in sorted(departments)) or "—",
            departments=", ".join(str(d) for d in sorted(live_departments)),
        )
    loss = Loss(len(live_events - events), len(live_cases - cases))
    if (loss.events or loss.cases) and force is None:
        raise StorageError(
            f"{file}: restoring it loses {loss.events} audit events and {loss.cases} cases",
            key="safety.restore_loses",
            path=str(file),
            events=loss.events,
            cases=loss.cases,
        )
    return loss


def _audit_restore(
    url: str, file: Path, clock: Clock, actor: str | None, loss: Loss, force: str | None
) -> None:
    """The restore itself is an audit event in the restored database (item 18.5): which
    file, what was lost, and the head's reason when it was forced. No personal data."""
    from mss_desk.store.audit import record
    from mss_desk.store.engine import open_store

    detail = json.dumps(
        {
            "file": file.name,
            "events_lost": loss.events,
            "cases_lost": loss.cases,
            "reason": clean_line(force or "")[:500],
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    engine = open_store(url)
    try:
        with engine.begin() as conn:
            record(conn, clock.now(), actor, "database.restore", "database", None, detail)
    finally:
        engine.dispose()


def _migrate_forward(url: str, revision: str) -> None:
    """A backup from an older schema is brought to this version's schema at once, so desks
    of this version that stayed open keep working on it."""
    from mss_desk.store.engine import open_store  # here: SQLAlchemy only when it is needed

    if revision != head_revision():
        open_store(url).dispose()


def restore_last_good(
    url: str, *, clock: Clock | None = None, directory: Path | None = None
) -> RestoreResult:
    """The App's answer "yes" to "the database is damaged: restore the last good backup?".

    The current database is damaged or gone: nothing of it can be compared, so no
    ``force``; the clerk's "yes" at the start screen is the confirmation."""
    db = require_sqlite_file(url)
    good = latest_good_backup(Path(directory) if directory else default_backup_dir(db))
    if good is None:
        raise StorageError("no good backup", key="safety.damaged_no_backup", path=str(db))
    return restore(url, good, clock=clock, directory=directory)


def _restore_into_live(file: Path, db: Path, busy_timeout_ms: int) -> None:
    src = ro_connect(file)
    try:
        dst = sqlite3.connect(db, timeout=busy_timeout_ms / 1000, isolation_level=None)
        try:
            dst.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            dst.execute("PRAGMA synchronous=FULL")
            # one step, under the write lock: the other desks see all or nothing
            src.backup(dst, progress=give_up_when_busy)
            dst.execute("PRAGMA wal_checkpoint(FULL)").fetchall()
        finally:
            dst.close()
    finally:
        src.close()


def _replace_damaged(file: Path, db: Path, clock: Clock) -> tuple[Path, ...]:
    stamp = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    moved: list[Path] = []
    mode = file_mode(db) if db.exists() else 0o600
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(db) + suffix)
        if part.exists():
            aside = Path(f"{db}.damaged-{stamp}{suffix}")
            os.replace(part, aside)
            moved.append(aside)
    tmp = db.with_name(f".{db.name}.restore-{os.getpid()}")
    try:
        copy_snapshot(file, tmp, mode, "WAL")
        os.replace(tmp, db)
        fsync_path(db.parent, directory=True)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tuple(moved)
