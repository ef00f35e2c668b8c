"""Backups of the SQLite database (item 18.5 protection, 18.6 safekeeping).

Rules, each one learnt the hard way by someone:

- Never copy a live file with ``cp``: a copy taken while a clerk writes can be torn, and the
  last commits may still sit in the ``-wal`` file. The backup uses SQLite's online backup
  API, which reads one consistent snapshot while the other clerks keep writing.
- The copy is written under a temporary name, switched to a self-contained rollback journal
  (no ``-wal`` beside a backup), fsync'ed, checked with ``PRAGMA integrity_check`` and only
  then renamed into place (and the directory fsync'ed): a backup file that exists is whole.
- Restoring one is ``store.recovery``'s job.

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
from mss_desk.store.revisions import known_revisions
from mss_desk.store.sqlite_file import (
    SQLITE_BUSY,
    SQLITE_LOCKED,
    integrity_problems,
    reachable,
    require_sound,
    ro_connect,
    sqlite_file,
)

KINDS = ("auto", "manual", "pre-restore")
ROTATED_KINDS = ("auto", "pre-restore")
DEFAULT_KEEP = 14
_NAME = re.compile(
    r"^mss-desk-(?P<ts>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?-(?P<kind>auto|manual|pre-restore)\.sqlite3$"
)
# A backup being written (``.<name>.partial-<pid>``) and a restore's copy being put in place
# (``.<db>.restore-<pid>``): whole copies of every applicant's data while they exist.
_PARTIAL = re.compile(r"^\.mss-desk-[^/]*\.sqlite3\.partial-(?P<pid>\d+)$")
_RESTORE_TMP = r"^\.{name}\.restore-(?P<pid>\d+)$"
# No backup or restore takes this long: an older leftover goes even if its PID is alive again
# (PIDs are reused).
LEFTOVER_MAX_AGE_S = 12 * 3600
# Tables every MSS Desk database has; a file without them is not one of ours.
DESK_TABLES = ("alembic_version", "cases", "queue_tickets", "audit_events")
# From this schema revision on (migration 0004) the audit table is chained and append-only.
AUDIT_FROM = "0004"
AUDIT_TRIGGERS = ("audit_events_no_update", "audit_events_no_delete")


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


def require_sqlite_file(url: str) -> Path:
    path = sqlite_file(url)
    if path is None:
        raise StorageError("backup/restore work on SQLite files", key="safety.sqlite_only")
    return Path(os.path.abspath(path))


def fsync_path(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_mode(db_path: Path) -> int:
    """A backup is as private as the database: 0600, or 0660 when the DB is group-shared."""
    try:
        mode = db_path.stat().st_mode & 0o660
    except OSError:
        return 0o600
    return mode | 0o600


def _ensure_dir(directory: Path, db_path: Path) -> None:
    if directory.exists():
        return
    shared = file_mode(db_path) & 0o060
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


def give_up_when_busy(status: int, _remaining: int, _total: int) -> None:
    """Python's backup loop retries a busy step forever; each step already waited the busy
    timeout, so one busy answer means another desk holds the lock: give up, say "busy"."""
    if status in (SQLITE_BUSY, SQLITE_LOCKED):
        raise StorageError("database busy", key="safety.busy")


def copy_snapshot(src_path: Path, dest_tmp: Path, mode: int, journal: str) -> None:
    """Snapshot ``src_path`` into a new file ``dest_tmp`` with the online backup API."""
    fd = os.open(dest_tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    os.close(fd)
    os.chmod(dest_tmp, mode)  # the umask may have narrowed it
    src = ro_connect(src_path)
    try:
        dst = sqlite3.connect(dest_tmp, isolation_level=None)
        try:
            # one step: one consistent snapshot, writers are not blocked (WAL)
            src.backup(dst, progress=give_up_when_busy)
            dst.execute(f"PRAGMA journal_mode={journal}").fetchall()
        finally:
            dst.close()
    finally:
        src.close()
    fsync_path(dest_tmp)


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
    db = require_sqlite_file(url)
    if not db.exists():
        raise StorageError(f"no database at {db}", key="safety.no_database", path=str(db))
    directory = Path(directory) if directory else default_backup_dir(db)
    _ensure_dir(directory, db)
    clean_leftovers(directory)
    at = (clock or SystemClock()).now()
    final = _name_for(directory, at, kind)
    tmp = directory / f".{final.name}.partial-{os.getpid()}"
    try:
        copy_snapshot(db, tmp, file_mode(db), "DELETE")
        require_sound(tmp, f"backup of {db}", "safety.backup_failed")
        from mss_desk.store.audit import write_backup_anchor  # lazy: SQLAlchemy

        write_backup_anchor(tmp, final, file_mode(db))  # issue 15, item 6: the head beside it
        os.replace(tmp, final)
        fsync_path(directory, directory=True)
    except StorageError:
        tmp.unlink(missing_ok=True)
        raise
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(str(exc), key="safety.backup_failed", reason=str(exc)) from exc
    if keep is not None:
        rotate(directory, keep)
    return final


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
    from mss_desk.store.audit import side_file  # lazy: SQLAlchemy

    keep = max(1, int(keep))
    deleted = clean_leftovers(directory)
    for kind in ROTATED_KINDS:
        mine = [b for b in list_backups(directory) if b.kind == kind]
        for old in mine[keep:]:
            old.path.unlink()
            side_file(old.path).unlink(missing_ok=True)  # its audit anchor (store/audit.py)
            deleted.append(old.path)
    return deleted


def _pid_alive(pid: int) -> bool:
    """True when a process ``pid`` exists (or may: it belongs to another user)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def clean_leftovers(
    directory: Path, db_name: str | None = None, *, max_age_s: float = LEFTOVER_MAX_AGE_S
) -> list[Path]:
    """Delete the temporary copies of killed backups and restores in ``directory``.

    Issue 15, item 8: four killed backups left ~1 GB of ``.…partial-PID`` files (every
    applicant's data, item 18.5) that nothing ever removed. A copy goes when the process
    that wrote it is gone, or when it is older than ``max_age_s`` (the PID may be reused);
    a copy another desk is writing right now stays. Only names that are ours are touched:
    ``.…partial-PID`` backups, and with ``db_name`` the restore's ``.<db_name>.restore-PID``.
    Return the deleted files.
    """
    deleted: list[Path] = []
    restore_tmp = re.compile(_RESTORE_TMP.format(name=re.escape(db_name))) if db_name else None
    try:
        entries = list(directory.iterdir())
    except OSError:
        return deleted
    now = datetime.now(UTC).timestamp()
    for entry in entries:
        m = _PARTIAL.match(entry.name) or (restore_tmp and restore_tmp.match(entry.name))
        if not m:
            continue
        try:
            info = entry.lstat()
        except OSError:
            continue
        if not os.path.isfile(entry) or os.path.islink(entry):
            continue
        if _pid_alive(int(m["pid"])) and now - info.st_mtime < max_age_s:
            continue
        try:
            entry.unlink()
        except OSError:
            continue
        deleted.append(entry)
    return deleted


def check_backup(file: Path) -> str:
    """Check a file before it may replace the database; return its schema revision.

    The one check of a backup: restore demands it, and "the last good backup" offered at
    start is the newest that passes it (issue 15, item 9). Raises StorageError:
    ``safety.backup_missing``, ``safety.backup_damaged`` (``integrity_check``),
    ``safety.not_desk_db`` (no desk tables), ``safety.backup_unknown_revision`` (made by a
    newer MSS Desk), ``safety.backup_no_audit_triggers`` (the append-only triggers were
    dropped), ``safety.backup_audit_broken`` (the audit chain does not verify) — issue 15,
    item 4: a tampered copy is never put in place of the database.
    """
    file = Path(file)
    if not reachable(file) or not file.is_file():  # out of reach: said so (issue 15, item 10)
        raise StorageError(f"{file}: no such file", key="safety.backup_missing", path=str(file))
    problems = integrity_problems(file, quick=False)
    if problems:
        raise StorageError(
            f"{file}: {problems[0]}",
            key="safety.backup_damaged",
            path=str(file),
            reason=problems[0],
        )
    conn = ro_connect(file)
    try:
        found = {
            (r[0], r[1])
            for r in conn.execute("SELECT type, name FROM sqlite_master WHERE type IN "
                                  "('table', 'trigger')")
        }
        missing = [t for t in DESK_TABLES if ("table", t) not in found]
        if missing:
            raise StorageError(
                f"{file}: not an MSS Desk database (no {missing[0]})",
                key="safety.not_desk_db",
                path=str(file),
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    revision = str(row[0]) if row else ""
    if revision not in known_revisions():
        raise StorageError(
            f"{file}: schema revision {revision!r} unknown to this version",
            key="safety.backup_unknown_revision",
            path=str(file),
            revision=revision,
        )
    if revision >= AUDIT_FROM:
        gone = [t for t in AUDIT_TRIGGERS if ("trigger", t) not in found]
        if gone:
            raise StorageError(
                f"{file}: audit trigger {gone[0]} missing",
                key="safety.backup_no_audit_triggers",
                path=str(file),
                trigger=gone[0],
            )
        broken = _first_broken_event(file)
        if broken is not None:
            raise StorageError(
                f"{file}: audit chain broken at event {broken}",
                key="safety.backup_audit_broken",
                path=str(file),
                id=broken,
            )
    return revision


def _first_broken_event(file: Path) -> int | None:
    """``store.audit.check_chain`` on a backup file, opened read-only."""
    import sqlalchemy as sa

    from mss_desk.store.audit import check_chain

    engine = sa.create_engine(
        "sqlite://", creator=lambda: ro_connect(file), poolclass=sa.pool.NullPool
    )
    try:
        return check_chain(engine).first_broken
    finally:
        engine.dispose()


def latest_good_backup(directory: Path) -> Path | None:
    """The newest backup that ``check_backup`` accepts: what "restore the last good backup"
    offers is exactly what restore will take (issue 15, item 9: it was chosen with
    ``quick_check`` while restore demands ``integrity_check``, so a newest backup with a
    damaged index was offered, refused, and the older good one never offered)."""
    for info in list_backups(directory):
        try:
            check_backup(info.path)
        except StorageError:
            continue
        return info.path
    return None


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
    if db is None:
        return None
    directory = cfg.directory or default_backup_dir(db)
    # item 8: the copies of backups killed last time go at the next start, due or not
    clean_leftovers(directory)
    db_abs = Path(os.path.abspath(db))
    clean_leftovers(db_abs.parent, db_abs.name)
    if not cfg.enabled or not Path(db).exists():
        return None
    if not backup_due(directory, clock, cfg.tz):
        return None
    return backup(url, clock=clock, directory=directory, kind="auto", keep=cfg.keep)
