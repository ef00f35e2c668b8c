"""The engine: opening the store, the SQLite pragmas and the writers' turn.

The schema revisions live in ``store.revisions``, the checks before a write in
``store.safety``, the file itself in ``store.sqlite_file``.

SQLite recipe (DESIGN "Known traps", measured with eight writer processes): the driver's
own transaction handling is switched off (``isolation_level = None``) and every transaction
starts with ``BEGIN IMMEDIATE``, so a writer takes the write lock at the start and waits
(``busy_timeout``) instead of failing half-way with "database is locked" when it upgrades
a read transaction. WAL lets readers go on while one writes; ``synchronous=FULL`` makes a
committed intake survive a power cut. The pragmas are read back: if one did not take, the
desk refuses to run rather than run unsafely.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from mss_desk.errors import StorageError
from mss_desk.locations import default_db_path
from mss_desk.store.revisions import (  # kept importable from here for the CLI and the App
    alembic_config as alembic_config,
)
from mss_desk.store.revisions import at_head, migrate
from mss_desk.store.revisions import (
    head_revision as head_revision,
)
from mss_desk.store.safety import preflight
from mss_desk.store.sqlite_file import is_busy_code, refuse_pragma, sqlite_file

ENV_DATABASE = "MSS_DESK_DATABASE"
BUSY_TIMEOUT_MS = 10_000
# waiting for the write lock (see _begin_immediate): SQLite's busy handler this long, then
# the writers' turn (a flock on <db>-turn) and an ask every 0.05-0.2 ms (jittered)
ESCALATE_MS = 10
LOCK_POLL_S = (0.00005, 0.0002)
TURN_SUFFIX = "-turn"
READ_ONLY = "read_only"  # execution option: a read transaction (plain BEGIN on SQLite)
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL: a desk role may not migrate (issue 14.4)

# pragma -> value that must be read back
_SQLITE_PRAGMAS: tuple[tuple[str, str, Any], ...] = (
    ("journal_mode", "WAL", "wal"),
    ("foreign_keys", "ON", 1),
    ("busy_timeout", str(BUSY_TIMEOUT_MS), BUSY_TIMEOUT_MS),
    ("synchronous", "FULL", 2),
)


def resolve_url(arg: str | None = None) -> str:
    """``--db`` beats ``MSS_DESK_DATABASE`` beats the per-user default file.

    A value with ``://`` is a SQLAlchemy URL (``postgresql+psycopg://…``); anything else
    is a path to a SQLite file.
    """
    value = arg or os.environ.get(ENV_DATABASE) or ""
    if not value:
        return _sqlite_url(default_db_path())
    if "://" in value:
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://") :]
        return value
    return _sqlite_url(Path(value).expanduser())


def _sqlite_url(path: Path) -> str:
    return URL.create("sqlite", database=str(path.absolute())).render_as_string()


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


def _create_private_file(path: Path) -> None:
    """Create the database file 0600 (and a missing parent 0700) before SQLite opens it."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def make_engine(url: str) -> Engine:
    """An engine with the desk's settings; SQLite gets the pragmas and BEGIN IMMEDIATE.

    ``url`` may also be a bare path (a SQLite file), as ``resolve_url`` understands it.
    """
    parsed = make_url(url if "://" in url else resolve_url(url))
    if parsed.get_backend_name() != "sqlite":
        # hide_parameters: a failed statement's values (names, IINs) never reach an
        # exception's text or a log (issue 15: no personal data in logs)
        return sa.create_engine(parsed, pool_pre_ping=True, hide_parameters=True)

    memory = _is_memory(parsed)
    if not memory:
        assert parsed.database is not None
        _create_private_file(Path(parsed.database))
    kwargs: dict[str, Any] = {}
    if memory:
        kwargs["poolclass"] = sa.pool.StaticPool
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    engine = sa.create_engine(
        parsed, connect_args=connect_args, hide_parameters=True, **kwargs
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        try:
            for name, value, _expected in _SQLITE_PRAGMAS:
                if memory and name == "journal_mode":
                    continue
                cur.execute(f"PRAGMA {name}={value}")
                cur.fetchall()
            for name, _value, expected in _SQLITE_PRAGMAS:
                if memory and name == "journal_mode":
                    continue
                got = cur.execute(f"PRAGMA {name}").fetchone()[0]
                refuse_pragma(name, got, expected, "store.pragma_refused")
        finally:
            cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A read-only transaction (execution option ``read_only``, used by the services'
        # searches) needs no write lock: in WAL it reads a snapshot and never upgrades, so
        # a search never waits behind a writer (issue 7: lookups p99 ≤ 1 ms under load).
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(conn, None if memory else parsed.database)

    return engine


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return is_busy_code(code)
    return "locked" in str(exc).lower()


def _try_begin(raw: Any) -> bool:
    """One ``BEGIN IMMEDIATE``: True when the write lock was had, False when busy."""
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            return False
        raise
    return True


def _begin_immediate(conn: sa.Connection, db_path: str | None) -> None:
    """``BEGIN IMMEDIATE`` that waits its turn (issue 7: the queue under load).

    SQLite's own busy handler sleeps in growing steps (1, 2, 5, 10, … 25, 50, 100 ms) and
    keeps no order: under load the writer that just let go takes the lock again while the
    others sleep, some for seconds (bench_queue: p99 110–340 ms, single waits past 1 s).
    Asking again every millisecond from every waiting desk is no cure on two cores: the
    askers take the CPU from the one who holds the lock (measured: throughput halved).

    So: SQLite's handler for the first ``ESCALATE_MS`` (most writes get the lock at once,
    or within a step or two); a writer still waiting then takes its turn — an exclusive
    ``flock`` on ``<db>-turn`` beside the database, which the kernel grants one waiter at a
    time (no order promised, though in practice close to it) while the others sleep without
    asking — and, holding it, asks for the lock every 0.05–0.2 ms until it has it, then
    passes the turn on. Never longer than ``BUSY_TIMEOUT_MS`` in all (the turn is waited
    for in a helper thread with that bound too); then the usual "database is locked"
    (``StorageRetry`` in the services). Only the wait changes: the lock itself is
    SQLite's, as before, so a desk without this code (or the ``sqlite3`` shell) is still
    kept out while a desk writes.
    """
    raw = conn.connection.driver_connection
    assert raw is not None
    try:
        _wait_and_begin(conn, raw, db_path)
    except sqlite3.Error as exc:  # not "busy": disk I/O, damage … wrapped as SQLAlchemy would
        raise sa.exc.DBAPIError.instance(
            "BEGIN IMMEDIATE", None, exc, sqlite3.Error, dialect=conn.dialect
        ) from exc


def _wait_and_begin(conn: sa.Connection, raw: Any, db_path: str | None) -> None:
    timeout_ms = BUSY_TIMEOUT_MS
    deadline = time.monotonic() + timeout_ms / 1000
    raw.execute(f"PRAGMA busy_timeout={min(ESCALATE_MS, timeout_ms)}")
    try:
        if _try_begin(raw):
            return
        raw.execute("PRAGMA busy_timeout=0")
        turn = _take_turn(db_path, deadline) if db_path else None
        try:
            while time.monotonic() < deadline:
                if _try_begin(raw):
                    return
                time.sleep(random.uniform(*LOCK_POLL_S))
        finally:
            if turn is not None:
                os.close(turn)  # closing the file lets the turn go to the next waiter
        # the last ask through SQLAlchemy, so that its error is wrapped as any other
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout={timeout_ms}")


def _take_turn(db_path: str, deadline: float) -> int | None:
    """An open descriptor of ``<db>-turn`` holding its exclusive ``flock``, or None.

    None when the turn was not had by ``deadline`` or cannot be had here (no ``fcntl``,
    a read-only folder): the caller then asks SQLite without it, as before. A fresh
    descriptor each time, so two threads of one desk wait for each other too. ``flock``
    cannot time out, so a contended wait blocks in a daemon thread; given up, the thread
    lets the turn go as soon as it gets it.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux/macOS
        return None
    path = db_path + TURN_SUFFIX
    try:
        mode = os.stat(db_path).st_mode & 0o666
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, mode)  # flock needs no write access
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    except OSError:
        os.close(fd)
        return None
    guard = threading.Lock()
    granted = threading.Event()
    state = {"given_up": False, "failed": False}

    def wait() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            state["failed"] = True
        with guard:
            if state["given_up"]:
                os.close(fd)
                return
            granted.set()

    threading.Thread(target=wait, name="mss-desk-turn", daemon=True).start()
    granted.wait(max(0.0, deadline - time.monotonic()))
    with guard:
        if granted.is_set() and not state["failed"]:
            return fd
        if granted.is_set():  # the thread is done with it: flock failed
            os.close(fd)
        else:
            state["given_up"] = True
    return None


def sqlite_pragmas(engine: Engine) -> dict[str, Any]:
    """The pragmas as the database reports them (for tests and ``mss-desk doctor``)."""
    with engine.connect() as conn:
        return {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name, _v, _e in _SQLITE_PRAGMAS
        }


def open_store(url: str, *, read_only: bool = False) -> Engine:
    """Open (or create) the database and migrate it to the newest schema.

    A database already at the newest revision skips Alembic altogether: importing it and
    running its upgrade machinery took ~1 s of the desk's start-up (issue 7).

    ``read_only``: for the commands that only read (``cases``, ``report``, ``audit verify``
    …): never create a file or a schema and never migrate (issue 15, item 5: ``cases`` on
    an empty PostgreSQL database created 13 tables and a function there; on a 0-byte file
    a fresh schema that then gave ticket A-001 again). StorageError ``safety.no_desk`` when
    there is no desk, ``safety.needs_upgrade`` when its schema is older than this version.
    """
    preflight(url)  # refuses a network filesystem; a damaged file is never written to
    if read_only:
        _refuse_missing_file(url)
    engine = make_engine(url)
    try:
        if not at_head(engine):
            if read_only:
                _refuse_to_migrate(engine, url)
            migrate(engine)
    except StorageError:
        engine.dispose()
        raise
    except sa.exc.ProgrammingError as exc:
        engine.dispose()
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            # a desk connected as a Department's role (migration 0012) may not change the
            # schema: the owner upgrades it (docs/operations.md §8)
            raise StorageError(
                f"{_where(url)}: only the owner may upgrade the schema",
                key="safety.upgrade_by_owner",
                path=_where(url),
            ) from exc
        raise
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise StorageError(str(exc), key="store.cannot_open", reason=str(exc.orig)) from exc
    return engine


def _where(url: str) -> str:
    """The database named without its password (for a message)."""
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def _refuse_missing_file(url: str) -> None:
    """A read-only open of a missing or empty SQLite file: no desk (and no file made)."""
    path = sqlite_file(url)
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        raise StorageError(f"no desk at {path}", key="safety.no_desk", path=str(path))


def _refuse_to_migrate(engine: Engine, url: str) -> None:
    """Not at the newest revision, opened read-only: say which, change nothing."""
    try:
        with engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            conn.rollback()
    except sa.exc.DBAPIError:
        row = None
    if row is None:
        raise StorageError(f"no desk at {_where(url)}", key="safety.no_desk", path=_where(url))
    raise StorageError(
        f"{_where(url)}: schema {row[0]} needs an upgrade",
        key="safety.needs_upgrade",
        path=_where(url),
        revision=str(row[0]),
    )
