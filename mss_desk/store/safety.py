"""Checks that keep the database safe to write, and the translation of storage failures.

Item 18.5 (protection and confidentiality of information) and item 18.6 (safekeeping):
a case once acknowledged on screen must never be lost or half-written. So, before the desk
writes to a SQLite file:

- the file must sit on a local filesystem: SQLite's locks are unreliable over NFS, SMB,
  sshfs and the like, and two clerks could then both get ticket A-007
  (:func:`refuse_network_fs`);
- the file must pass ``PRAGMA quick_check``; a damaged file is never written to, and the
  error carries the newest good backup so the desk can offer to restore it
  (:func:`preflight`); a missing or empty file with backups beside it is a damaged desk
  too, never a new one;
- the pragmas the engine set (WAL, foreign keys, busy timeout, synchronous=FULL) are read
  back (:func:`verify_pragmas`).

Every write goes through :func:`run_write` / :func:`write_session`, which turn "disk full",
"disk I/O error" and a lock that outlasted the busy timeout into :class:`StorageError`
("not saved", in the clerk's language) and retry a busy write, so the clerk's form stays
open and the database stays intact.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mss_desk.errors import StorageError, ValidationError
from mss_desk.store.sqlite_file import (
    SQLITE_BUSY,
    SQLITE_CANTOPEN,
    SQLITE_CORRUPT,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_LOCKED,
    SQLITE_NOTADB,
    SQLITE_READONLY,
    check_database_file,
    integrity_problems,
    primary_code,
    refuse_pragma,
    sqlite_file,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

T = TypeVar("T")

MOUNTINFO = Path("/proc/self/mountinfo")

# Filesystems on which SQLite's POSIX locks or mmap'ed WAL index cannot be trusted.
NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "coda",
        "9p",
        "v9fs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "ocfs2",
        "gfs2",
        "davfs",
        "sshfs",
        "virtiofs",
        "vboxsf",
        "vmhgfs",
    }
)
# FUSE filesystems appear as "fuse.<name>" (fuse.sshfs, fuse.glusterfs, fuse.rclone ...).
NETWORK_FUSE = frozenset(
    {
        "sshfs",
        "glusterfs",
        "rclone",
        "s3fs",
        "gcsfuse",
        "davfs",
        "davfs2",
        "cephfs",
        "lizardfs",
        "moosefs",
        "mfs",
        "juicefs",
        "smbnetfs",
        "curlftpfs",
        "vmhgfs-fuse",
        "goofys",
    }
)


# --------------------------------------------------------------------------- mounts


@dataclass(frozen=True)
class Mount:
    mount_point: str
    fstype: str
    source: str


def _unescape(field: str) -> str:
    """mountinfo escapes space, tab, newline and backslash as \\ooo octal."""
    out: list[str] = []
    i = 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def parse_mountinfo(text: str) -> list[Mount]:
    """Parse ``/proc/self/mountinfo`` (proc(5)): fields, optional fields, ``-``, fstype, source."""
    mounts: list[Mount] = []
    for line in text.splitlines():
        parts = line.split(" ")
        try:
            sep = parts.index("-", 6)
        except ValueError:
            continue
        if sep + 1 >= len(parts):
            continue
        fstype = parts[sep + 1]
        source = _unescape(parts[sep + 2]) if sep + 2 < len(parts) else ""
        mounts.append(Mount(_unescape(parts[4]), fstype, source))
    return mounts


def mount_of(path: Path, mounts: list[Mount]) -> Mount | None:
    """The mount holding ``path``: the longest mount point that is a prefix (last one wins)."""
    target = _existing_ancestor(path)
    best: Mount | None = None
    best_len = -1
    for m in mounts:
        mp = m.mount_point.rstrip("/") or "/"
        inside = target == mp or mp == "/" or target.startswith(mp + "/")
        # ">=": a later mount on the same point hides the earlier one
        if inside and len(mp) >= best_len:
            best, best_len = m, len(mp)
    return best


def _existing_ancestor(path: Path) -> str:
    """The absolute path with symlinks resolved as far as the path exists."""
    return os.path.realpath(os.path.abspath(path))


def is_network_fstype(fstype: str) -> bool:
    fstype = fstype.lower()
    if fstype in NETWORK_FS:
        return True
    if fstype.startswith("fuse."):
        return fstype[len("fuse.") :] in NETWORK_FUSE
    return fstype.startswith("nfs") or fstype.startswith("smb")


def network_fstype(path: Path, mountinfo: str | None = None) -> str | None:
    """The network filesystem type holding ``path``, or None when it is local (or unknown)."""
    if mountinfo is None:
        try:
            mountinfo = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None  # not Linux: nothing to parse, no refusal
    mount = mount_of(path, parse_mountinfo(mountinfo))
    if mount is not None and is_network_fstype(mount.fstype):
        return mount.fstype
    return None


def refuse_network_fs(path: Path, mountinfo: str | None = None) -> None:
    """Raise StorageError when the database would live on a network filesystem."""
    fstype = network_fstype(path, mountinfo)
    if fstype is not None:
        raise StorageError(
            f"{path} is on a network filesystem ({fstype}); SQLite cannot lock it safely",
            key="safety.network_fs",
            path=str(path),
            fstype=fstype,
        )


# --------------------------------------------------------------------------- integrity


def damaged_error(path: Path, problems: list[str], backup_dir: Path | None = None) -> StorageError:
    """The error the desk turns into "the database is damaged: restore the last good backup?"."""
    from mss_desk.store.backups import default_backup_dir, latest_good_backup

    good = latest_good_backup(backup_dir or default_backup_dir(path))
    err = StorageError(
        f"{path} failed quick_check: {problems[0] if problems else '?'}",
        key="safety.damaged" if good else "safety.damaged_no_backup",
        path=str(path),
        backup=str(good) if good else "",
    )
    err.params["problems"] = problems[:10]
    return err


def preflight(url: str, *, mountinfo: str | None = None, backup_dir: Path | None = None) -> None:
    """Run before the desk opens a database for writing (called by ``open_store``).

    Refuses a network filesystem; refuses a damaged file (never writes to it) with the newest
    good backup named in ``err.params["backup"]``; refuses what is no database file at all
    (a directory, a pipe, an unreadable file, a file that is no SQLite database without a
    desk's backups beside it, a read-only folder) with ValidationError in its own words
    (``sqlite_file.check_database_file``).
    """
    path = sqlite_file(url)
    if path is None:
        return
    refuse_network_fs(path, mountinfo)
    try:
        # issue 15, item 13: a directory, a file that is no SQLite database, an unreadable
        # file and a sound file in a read-only folder each in their own words, not "damaged"
        gone = check_database_file(path)
    except ValidationError as err:
        if err.key == "cli.db_not_sqlite" and has_backups(path, backup_dir):
            # backups of a desk beside it: the desk's own file, overwritten: damaged
            raise damaged_error(path, ["not a SQLite database file"], backup_dir) from None
        raise
    if gone == "file":
        problems = integrity_problems(path, quick=True)
        if problems:
            raise damaged_error(path, problems, backup_dir)
        return
    if has_backups(path, backup_dir):
        # issue 15, item 5: kill -9 during a restore left no file; a 0-byte file got a fresh
        # schema and gave ticket A-001 again. Backups beside it say a desk lived here: a
        # damaged desk, offered its newest good backup, never a first run.
        raise damaged_error(path, [f"database file {gone}"], backup_dir)


def has_backups(path: Path, backup_dir: Path | None = None) -> bool:
    """True when backups of a desk (files named as ours) lie in the database's backup folder."""
    from mss_desk.store.backups import default_backup_dir, list_backups

    return bool(list_backups(backup_dir or default_backup_dir(path)))


EXPECTED_PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL
}


def verify_pragmas(engine: Engine) -> None:
    """Read the pragmas back on a real connection; refuse to run if one did not take."""
    if engine.dialect.name != "sqlite":
        return
    memory = sqlite_file(engine.url.render_as_string(hide_password=False)) is None
    with engine.connect() as conn:
        for name, expected in EXPECTED_PRAGMAS.items():
            if memory and name == "journal_mode":
                continue
            got = conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            refuse_pragma(name, got, expected, "safety.pragma")
        timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        if not timeout or int(timeout) < 1000:
            raise StorageError(
                f"PRAGMA busy_timeout is {timeout!r}",
                key="safety.pragma",
                pragma="busy_timeout",
                value=str(timeout),
            )


# --------------------------------------------------------------------------- failed writes


class StorageRetry(StorageError):
    """A write that may succeed if tried again (lock held too long, serialization failure)."""

    key = "safety.busy"


def storage_error(exc: BaseException) -> StorageError | None:
    """Translate a driver error into the clerk-facing "not saved" error, or None if not ours.

    The message never carries the SQL or its parameters (personal data stays out of logs).
    """
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None or isinstance(orig, sqlite3.Error):
        primary = primary_code(code or 0)
        text = str(orig).lower()
        if primary == SQLITE_FULL or "disk is full" in text:
            return StorageError("disk full", key="safety.disk_full")
        if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in text:
            return StorageRetry("database busy")
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
            return StorageError("database damaged", key="safety.damaged_write")
        if primary == SQLITE_READONLY or "readonly" in text:
            return StorageError("read-only database", key="safety.readonly")
        if primary in (SQLITE_IOERR, SQLITE_CANTOPEN) or "i/o" in text:
            return StorageError("disk I/O error", key="safety.io_error")
        if isinstance(orig, sqlite3.OperationalError):
            return StorageError("storage error", key="error.not_saved")
        return None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        if sqlstate in ("40001", "40P01", "55P03"):  # serialization, deadlock, lock not available
            return StorageRetry("database busy")
        if sqlstate.startswith("53"):  # insufficient resources: disk full, out of memory
            return StorageError("disk full", key="safety.disk_full")
        if sqlstate.startswith("08") or sqlstate.startswith("57") or sqlstate.startswith("58"):
            return StorageError("connection or I/O error", key="safety.io_error")
        return None
    if type(orig).__module__.startswith("psycopg") and type(orig).__name__ == "OperationalError":
        return StorageError("connection lost", key="safety.io_error")
    if isinstance(orig, OSError):
        return StorageError("I/O error", key="safety.io_error")
    return None


def _translate(exc: BaseException) -> BaseException:
    err = storage_error(exc)
    return err if err is not None else exc


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction for one clerk action: commit at the end, roll back on any error.

    Storage failures come out as :class:`StorageError` (the form stays open). No retry here:
    use :func:`run_write` when the action can be repeated as a whole.
    """
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except DBAPIError as exc:
        _safe_rollback(session)
        raise _translate(exc) from exc
    except OSError as exc:
        _safe_rollback(session)
        raise _translate(exc) from exc
    except BaseException:
        _safe_rollback(session)
        raise
    finally:
        session.close()


def _safe_rollback(session: Session) -> None:
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the original error matters
        pass


def run_write(engine: Engine, action: Callable[[Session], T], *, attempts: int = 3) -> T:
    """Run ``action(session)`` in one transaction; retry it whole when the database was busy.

    ``busy_timeout`` already waits for the lock; a write that still times out is retried
    (``attempts`` in all) before the clerk sees "not saved, try again".
    """
    last: StorageError | None = None
    for _ in range(max(1, attempts)):
        try:
            with write_session(engine) as session:
                return action(session)
        except StorageRetry as exc:
            last = exc
    assert last is not None
    raise last
