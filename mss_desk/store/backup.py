"""Backups and restore of the SQLite database (item 18.5 protection, 18.6 safekeeping).

Rules, each one learnt the hard way by someone:

- Never copy a live file with ``cp``: a copy taken while a clerk writes can be torn, and the
  last commits may still sit in the ``-wal`` file. The backup uses SQLite's online backup
  API, which reads one consistent snapshot while the other clerks keep writing.
- The copy is written under a temporary name, switched to a self-contained rollback journal
  (no ``-wal`` beside a backup), fsync'ed, checked with ``PRAGMA integrity_check`` and only
  then renamed into place (and the directory fsync'ed): a backup file that exists is whole.
- Never delete ``-wal``/``-shm`` files: they may hold committed data. Restore writes
  *through* SQLite (the backup API again, into the live database) so WAL stays consistent and
  other desks see the restored data; only when the live file is too damaged for SQLite to
  open is it moved aside (renamed, with its ``-wal``/``-shm``, never deleted).
- Restore checks the file first: a sound SQLite file, an MSS Desk database, a schema
  revision this version knows. The current database is backed up ("pre-restore") first.

Backups are named ``mss-desk-YYYYMMDDTHHMMSSZ-<kind>.sqlite3`` (UTC) with kind ``auto``
(first start of the day), ``manual`` (``mss-desk backup``) or ``pre-restore``. Rotation keeps
the newest ``keep`` of each of ``auto`` and ``pre-restore``; manual backups are the
administrator's to delete. By default they live in ``backups/`` beside the database file.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mss_desk.clock import DEFAULT_TZ, Clock, SystemClock
from mss_desk.errors import StorageError
from mss_desk.store.safety import _ro_connect, integrity_problems, sqlite_file

KINDS = ("auto", "manual", "pre-restore")
ROTATED_KINDS = ("auto", "pre-restore")
DEFAULT_KEEP = 14
_NAME = re.compile(
    r"^mss-desk-(?P<ts>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?-(?P<kind>auto|manual|pre-restore)\.sqlite3$"
)
# Tables every MSS Desk database has; a file without them is not one of ours.
_DESK_TABLES = ("alembic_version", "cases", "queue_tickets", "audit_events")


@dataclass(frozen=True)
class BackupSettings:
    """``keep``: how many automatic backups to keep; ``directory``: None = ``backups/`` beside
    the database; ``enabled``: the automatic daily backup; ``tz``: whose day it is."""

    keep: int = DEFAULT_KEEP
    directory: Path | None = None
    enabled: bool = True
    tz: str = DEFAULT_TZ


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # aware UTC
    kind: str


def settings_from(obj: Any) -> BackupSettings:
    """Accept a BackupSettings, a mapping, an object with ``backup_*`` attributes, or None."""
    if obj is None:
        return BackupSettings()
    if isinstance(obj, BackupSettings):
        return obj

    def get(name: str, default: Any) -> Any:
        for key in (f"backup_{name}", name):
            if isinstance(obj, Mapping):
                if key in obj and obj[key] is not None:
                    return obj[key]
            elif getattr(obj, key, None) is not None:
                return getattr(obj, key)
        return default

    directory = get("dir", None) or get("directory", None)
    return BackupSettings(
        keep=int(get("keep", DEFAULT_KEEP)),
        directory=Path(directory).expanduser() if directory else None,
        enabled=bool(get("enabled", True)),
        tz=str(get("tz", None) or get("timezone", DEFAULT_TZ)),
    )


def default_backup_dir(db_path: Path) -> Path:
    """``backups/`` beside the database (for the default file: ``locations.backups_dir()``)."""
    return Path(os.path.abspath(db_path)).parent / "backups"


def _require_file(url: str) -> Path:
    path = sqlite_file(url)
    if path is None:
        raise StorageError("backup/restore work on SQLite files", key="safety.sqlite_only")
    return Path(os.path.abspath(path))


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _file_mode(db_path: Path) -> int:
    """A backup is as private as the database: 0600, or 0660 when the DB is group-shared."""
    try:
        mode = db_path.stat().st_mode & 0o660
    except OSError:
        return 0o600
    return mode | 0o600


def _ensure_dir(directory: Path, db_path: Path) -> None:
    if directory.exists():
        return
    shared = _file_mode(db_path) & 0o060
    directory.mkdir(parents=True, mode=0o770 if shared else 0o700)
    os.chmod(directory, (0o2770 if shared else 0o700))


def _name_for(directory: Path, at: datetime, kind: str) -> Path:
    stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"mss-desk-{stamp}-{kind}.sqlite3"
    n = 1
    while path.exists():
        n += 1
        path = directory / f"mss-desk-{stamp}-{n}-{kind}.sqlite3"
    return path


def _give_up_when_busy(status: int, _remaining: int, _total: int) -> None:
    """Python's backup loop retries a busy step forever; each step already waited the busy
    timeout, so one busy answer means another desk holds the lock: give up, say "busy"."""
    if status in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
        raise StorageError("database busy", key="safety.busy")


def _copy_via_backup_api(src_path: Path, dest_tmp: Path, mode: int, journal: str) -> None:
    """Snapshot ``src_path`` into a new file ``dest_tmp`` with the online backup API."""
    fd = os.open(dest_tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    os.close(fd)
    os.chmod(dest_tmp, mode)  # the umask may have narrowed it
    src = _ro_connect(src_path)
    try:
        dst = sqlite3.connect(dest_tmp, isolation_level=None)
        try:
            # one step: one consistent snapshot, writers are not blocked (WAL)
            src.backup(dst, progress=_give_up_when_busy)
            dst.execute(f"PRAGMA journal_mode={journal}").fetchall()
        finally:
            dst.close()
    finally:
        src.close()
    _fsync_path(dest_tmp)


def backup(
    url: str,
    *,
    clock: Clock | None = None,
    directory: Path | None = None,
    kind: str = "manual",
    keep: int | None = None,
) -> Path:
    """Take a checked backup of the database; return its path.

    Raises StorageError (``safety.backup_failed``) and leaves no partial file when the copy
    fails or does not pass ``integrity_check`` (a damaged database is never "backed up" over
    good backups). ``keep`` rotates the ``auto``/``pre-restore`` backups afterwards.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    db = _require_file(url)
    if not db.exists():
        raise StorageError(f"no database at {db}", key="safety.no_database", path=str(db))
    directory = Path(directory) if directory else default_backup_dir(db)
    _ensure_dir(directory, db)
    at = (clock or SystemClock()).now()
    final = _name_for(directory, at, kind)
    tmp = directory / f".{final.name}.partial-{os.getpid()}"
    try:
        _copy_via_backup_api(db, tmp, _file_mode(db), "DELETE")
        problems = integrity_problems(tmp, quick=False)
        if problems:
            raise StorageError(
                f"backup of {db} failed integrity_check: {problems[0]}",
                key="safety.backup_failed",
                reason=problems[0],
            )
        os.replace(tmp, final)
        _fsync_path(directory, directory=True)
    except StorageError:
        _unlink_quietly(tmp)
        raise
    except (sqlite3.Error, OSError) as exc:
        _unlink_quietly(tmp)
        raise StorageError(str(exc), key="safety.backup_failed", reason=str(exc)) from exc
    if keep is not None:
        rotate(directory, keep)
    return final


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def list_backups(directory: Path) -> list[BackupInfo]:
    """Backups in ``directory``, newest first (by the time in the name)."""
    if not directory.is_dir():
        return []
    found: list[tuple[datetime, int, BackupInfo]] = []
    for entry in directory.iterdir():
        m = _NAME.match(entry.name)
        if not m or not entry.is_file():
            continue
        at = datetime.strptime(m["ts"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        found.append((at, int(m["n"] or 1), BackupInfo(entry, at, m["kind"])))
    found.sort(key=lambda x: (x[0], x[1]), reverse=True)
    return [info for _, _, info in found]


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` (at least 1) of each rotated kind; return the deleted.

    Only files whose names are ours are touched; manual backups are never deleted.
    """
    keep = max(1, int(keep))
    deleted: list[Path] = []
    for kind in ROTATED_KINDS:
        mine = [b for b in list_backups(directory) if b.kind == kind]
        for old in mine[keep:]:
            old.path.unlink()
            deleted.append(old.path)
    return deleted


def latest_good_backup(directory: Path) -> Path | None:
    """The newest backup that passes ``quick_check`` (what "restore last good backup" uses)."""
    for info in list_backups(directory):
        if not integrity_problems(info.path, quick=True):
            return info.path
    return None


def check_backup(file: Path) -> str:
    """Check a file before it may replace the database; return its schema revision.

    Raises StorageError: ``safety.backup_missing``, ``safety.backup_damaged`` (integrity
    check), ``safety.not_desk_db`` (no desk tables), ``safety.backup_unknown_revision``
    (made by a newer MSS Desk).
    """
    file = Path(file)
    if not file.is_file():
        raise StorageError(f"{file}: no such file", key="safety.backup_missing", path=str(file))
    problems = integrity_problems(file, quick=False)
    if problems:
        raise StorageError(
            f"{file}: {problems[0]}",
            key="safety.backup_damaged",
            path=str(file),
            reason=problems[0],
        )
    conn = _ro_connect(file)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in _DESK_TABLES if t not in tables]
        if missing:
            raise StorageError(
                f"{file}: not an MSS Desk database (no {missing[0]})",
                key="safety.not_desk_db",
                path=str(file),
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    revision = row[0] if row else ""
    if revision not in _known_revisions():
        raise StorageError(
            f"{file}: schema revision {revision!r} unknown to this version",
            key="safety.backup_unknown_revision",
            path=str(file),
            revision=str(revision),
        )
    return str(revision)


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from mss_desk.store.engine import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


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
    db = _require_file(url)
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
    problems = integrity_problems(db, quick=False)
    if problems:
        raise StorageError(
            f"restored database failed integrity_check: {problems[0]}",
            key="safety.restore_failed",
            reason=problems[0],
        )
    _migrate_forward(url, revision)
    return RestoreResult(file, revision, pre, moved)


def _migrate_forward(url: str, revision: str) -> None:
    """A backup from an older schema is brought to this version's schema at once, so desks
    of this version that stayed open keep working on it."""
    from mss_desk.store.engine import head_revision, open_store

    if revision != head_revision():
        open_store(url).dispose()


def restore_last_good(
    url: str, *, clock: Clock | None = None, directory: Path | None = None
) -> RestoreResult:
    """The App's answer "yes" to "the database is damaged: restore the last good backup?"."""
    db = _require_file(url)
    good = latest_good_backup(Path(directory) if directory else default_backup_dir(db))
    if good is None:
        raise StorageError("no good backup", key="safety.damaged_no_backup", path=str(db))
    return restore(url, good, clock=clock, directory=directory)


def _restore_into_live(file: Path, db: Path, busy_timeout_ms: int) -> None:
    src = _ro_connect(file)
    try:
        dst = sqlite3.connect(db, timeout=busy_timeout_ms / 1000, isolation_level=None)
        try:
            dst.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            dst.execute("PRAGMA synchronous=FULL")
            # one step, under the write lock: the other desks see all or nothing
            src.backup(dst, progress=_give_up_when_busy)
            dst.execute("PRAGMA wal_checkpoint(FULL)").fetchall()
        finally:
            dst.close()
    finally:
        src.close()


def _replace_damaged(file: Path, db: Path, clock: Clock) -> tuple[Path, ...]:
    stamp = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    moved: list[Path] = []
    mode = _file_mode(db) if db.exists() else 0o600
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(db) + suffix)
        if part.exists():
            aside = Path(f"{db}.damaged-{stamp}{suffix}")
            os.replace(part, aside)
            moved.append(aside)
    tmp = db.with_name(f".{db.name}.restore-{os.getpid()}")
    try:
        _copy_via_backup_api(file, tmp, mode, "WAL")
        os.replace(tmp, db)
        _fsync_path(db.parent, directory=True)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tuple(moved)


def backup_due(directory: Path, clock: Clock, tz: str = DEFAULT_TZ) -> bool:
    """True when no automatic backup was taken yet on today's local date."""
    zone = ZoneInfo(tz)
    today = clock.now().astimezone(zone).date()
    for info in list_backups(directory):
        if info.kind == "auto" and info.taken_at.astimezone(zone).date() == today:
            return False
    return True


def auto_backup_if_due(url: str, settings: Any = None, clock: Clock | None = None) -> Path | None:
    """At the first start of each local day, take an ``auto`` backup and rotate; else None.

    Called by the app and the CLI after ``open_store``. Does nothing for PostgreSQL (use
    ``pg_dump``, docs/operations.md) or an in-memory database. A failure raises StorageError;
    the caller shows it and lets the clerk work on.
    """
    cfg = settings_from(settings)
    clock = clock or SystemClock()
    db = sqlite_file(url)
    if db is None or not cfg.enabled or not Path(db).exists():
        return None
    directory = cfg.directory or default_backup_dir(db)
    if not backup_due(directory, clock, cfg.tz):
        return None
    return backup(url, clock=clock, directory=directory, kind="auto", keep=cfg.keep)
