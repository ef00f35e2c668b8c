"""Recovery: restore a checked backup into the database and bring it to this version's schema.

Item 18.6 (safekeeping). The rules (taking the backups themselves: ``store.backups``):

- Restore checks the file first: a sound SQLite file, an MSS Desk database, a schema
  revision this version knows. The current database is backed up ("pre-restore") first.
- Never delete ``-wal``/``-shm`` files: they may hold committed data. Restore writes
  *through* SQLite (the backup API again, into the live database) so WAL stays consistent and
  other desks see the restored data; only when the live file is too damaged for SQLite to
  open is it moved aside (renamed, with its ``-wal``/``-shm``, never deleted).
- A backup from an older schema is migrated forward at once (``store.engine.open_store``).
"""

from __future__ import annotations

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
from mss_desk.store.sqlite_file import integrity_problems, require_sound, ro_connect


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    revision: str
    pre_restore_backup: Path | None  # the database as it was, if it could be read
    moved_aside: tuple[Path, ...]  # a damaged file (and its -wal/-shm), renamed, never deleted


def restore(
    url: str,
    file: Path,
    *,
    clock: Clock | None = None,
    directory: Path | None = None,
    keep: int | None = DEFAULT_KEEP,
    busy_timeout_ms: int = 10_000,
) -> RestoreResult:
    """Replace the database's contents with a checked backup ``file``.

    1. ``check_backup(file)`` — refuse anything not sound, not ours, or from a newer version.
    2. Back up the current database ("pre-restore") when it is sound.
    3. Write the backup into the live database through SQLite's backup API (WAL-safe, other
       desks see it); if SQLite cannot open the live file at all, move it and its
       ``-wal``/``-shm`` aside (renamed, not deleted) and put a fresh checked copy in place.
    4. ``integrity_check`` the result.

    Stop the other desks first when the live file is damaged (docs/operations.md). When
    another desk holds the write lock longer than ``busy_timeout_ms``: StorageError
    ``safety.busy`` and nothing changed.
    """
    clock = clock or SystemClock()
    db = require_sqlite_file(url)
    file = Path(os.path.abspath(file))
    if file == db:
        raise StorageError("cannot restore a database onto itself", key="safety.restore_same")
    revision = check_backup(file)
    directory = Path(directory) if directory else default_backup_dir(db)
    pre: Path | None = None
    live_sound = db.exists() and db.stat().st_size > 0 and not integrity_problems(db, quick=True)
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
    return RestoreResult(file, revision, pre, moved)


def _migrate_forward(url: str, revision: str) -> None:
    """A backup from an older schema is brought to this version's schema at once, so desks
    of this version that stayed open keep working on it."""
    from mss_desk.store.engine import open_store  # here: SQLAlchemy only when it is needed

    if revision != head_revision():
        open_store(url).dispose()


def restore_last_good(
    url: str, *, clock: Clock | None = None, directory: Path | None = None
) -> RestoreResult:
    """The App's answer "yes" to "the database is damaged: restore the last good backup?"."""
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
