"""The SQLite file itself: where it is, opening it read-only, its integrity, its result codes.

The bottom of the store (nothing here imports another store module): the backups, the
safety checks and the engine all need to look at a SQLite file without writing to it, and
to tell "busy" from "damaged" in SQLite's own result codes.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from mss_desk.errors import StorageError, ValidationError

# SQLite primary result codes (sqlite3.h); an extended code keeps the primary in its low byte
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26


def primary_code(code: int) -> int:
    """The primary result code of a (possibly extended) SQLite result code."""
    return code & 0xFF


SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


def is_busy_code(code: int) -> bool:
    """True for "another connection holds the lock" (SQLITE_BUSY, SQLITE_LOCKED)."""
    return primary_code(code) in (SQLITE_BUSY, SQLITE_LOCKED)


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for PostgreSQL or an in-memory database."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite":
        return None
    db = parsed.database
    if not db or db == ":memory:" or "mode=memory" in str(parsed):
        return None
    if db.startswith("file:"):
        db = db[len("file:") :].split("?", 1)[0]
    return Path(db)


def check_database_file(path: Path) -> str:
    """What is at the database path, before anything opens it: ``"missing"``, ``"empty"``
    or ``"file"`` (a SQLite database file SQLite can use); otherwise ValidationError in
    words (issue 15, item 13: the CLI and the desk at start called all of these "the
    database is damaged", and an unreadable one "internal error"):

    - ``cli.db_unreadable``: the file, or a folder on the way to it, cannot be read
      (item 10: the desk runs as its own user; a clerk at a shell is refused here);
    - ``cli.db_is_directory``, ``cli.db_not_a_file`` (a device, pipe or socket);
    - ``cli.db_not_sqlite``: a file that is no SQLite database (its header) — nothing is
      written to it (the caller may call it a damaged desk when backups lie beside it);
    - ``cli.db_folder_read_only``: a sound file in a folder the desk cannot write (SQLite
      in WAL mode keeps ``-wal``/``-shm`` beside it: even reading needs that).
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(key="cli.db_is_directory", path=name)
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(key="cli.db_not_a_file", path=name)
    if info.st_size == 0:
        return "empty"
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if head != SQLITE_HEADER:
        raise ValidationError(key="cli.db_not_sqlite", path=name)
    folder = Path(os.path.abspath(path)).parent
    if not folder_writable(folder):
        raise ValidationError(key="cli.db_folder_read_only", path=name, folder=str(folder))
    return "file"


def reachable(path: Path) -> bool:
    """True when a file is at ``path``, False when nothing is; ValidationError
    ``cli.db_unreadable`` when this user may not look (issue 15, item 10: the desk's own
    0700 folder, seen from a clerk's account — ``Path.exists`` raised PermissionError there
    and the command line said "internal error")."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if isinstance(exc, NotADirectoryError):
            return False
        raise _unreadable(path, exc) from None
    return True


def folder_writable(folder: Path) -> bool:
    """The desk's user may create files in ``folder`` (SQLite's ``-wal``/``-shm``)."""
    return os.access(folder, os.W_OK | os.X_OK)


def _unreadable(path: Path, exc: OSError) -> ValidationError:
    return ValidationError(key="cli.db_unreadable", path=str(path), reason=exc.strerror or "")


def ro_connect(path: Path) -> sqlite3.Connection:
    """A read-only connection: it never checkpoints, never writes the file."""
    uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=10.0, isolation_level=None)
    return conn


def integrity_problems(path: Path, *, quick: bool = True) -> list[str]:
    """``PRAGMA quick_check`` (or ``integrity_check``) of a SQLite file; [] means it is sound.

    A file that SQLite cannot even open as a database counts as damaged.
    """
    pragma = "quick_check" if quick else "integrity_check"
    try:
        conn = ro_connect(path)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        conn.close()
    if rows == ["ok"]:
        return []
    return rows or ["no answer"]


def is_sound(path: Path, *, quick: bool = True) -> bool:
    return not integrity_problems(path, quick=quick)


def require_sound(path: Path, what: str, key: str) -> None:
    """``PRAGMA integrity_check`` of a file just written (a backup, a restored database);
    raise StorageError ``key`` naming the first problem when it is not sound."""
    problems = integrity_problems(path, quick=False)
    if problems:
        raise StorageError(
            f"{what} failed integrity_check: {problems[0]}", key=key, reason=problems[0]
        )


def refuse_pragma(name: str, got: Any, expected: Any, key: str) -> None:
    """Raise StorageError ``key`` when ``PRAGMA name`` was read back as ``got``, not
    ``expected`` (text compared without case: ``WAL`` is ``wal``)."""
    if (got.lower() if isinstance(got, str) else got) != expected:
        raise StorageError(
            f"SQLite PRAGMA {name} is {got!r}, expected {expected!r}",
            key=key,
            pragma=name,
            value=str(got),
        )
