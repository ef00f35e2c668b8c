"""The store: URL resolution, SQLite pragmas, file permissions, write lock, migrations."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from mss_desk.errors import StorageError
from mss_desk.store import engine as store_engine
from mss_desk.store.engine import make_engine, open_store, resolve_url, sqlite_pragmas
from mss_desk.store.models import AuditEvent
from mss_desk.store.revisions import current_revision, head_revision, migrate


def _db_path(url: str) -> Path:
    return Path(sa.make_url(url).database or "")


# --- resolve_url -------------------------------------------------------------------------


def test_resolve_url_prefers_the_argument(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MSS_DESK_DATABASE", str(tmp_path / "env.sqlite3"))
    url = resolve_url(str(tmp_path / "arg.sqlite3"))
    assert url == f"sqlite:///{tmp_path / 'arg.sqlite3'}"


def test_resolve_url_then_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MSS_DESK_DATABASE", str(tmp_path / "env.sqlite3"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.sqlite3'}"


def test_resolve_url_then_the_default_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    from mss_desk.locations import default_db_path

    assert resolve_url(None) == f"sqlite:///{default_db_path()}"
    assert str(default_db_path()).startswith(os.environ["MSS_DESK_DATA_DIR"])


def test_resolve_url_keeps_urls_and_names_the_postgres_driver() -> None:
    assert resolve_url("sqlite:////x/y.db") == "sqlite:////x/y.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_resolve_url_makes_a_relative_path_absolute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_url("desk.sqlite3") == f"sqlite:///{tmp_path / 'desk.sqlite3'}"


# --- SQLite pragmas, permissions, write lock ----------------------------------------------


def test_sqlite_pragmas_are_read_back(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    try:
        assert sqlite_pragmas(eng) == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 10000,
            "synchronous": 2,  # FULL
        }
    finally:
        eng.dispose()


def test_a_pragma_that_does_not_take_refuses_to_run(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "_SQLITE_PRAGMAS", (("journal_mode", "WAL", "truncate"),))
    with pytest.raises(StorageError) as err:
        open_store(sqlite_url)
    assert err.value.key == "store.pragma_refused"
    assert err.value.params["pragma"] == "journal_mode"


def test_database_file_is_private(sqlite_url: str) -> None:
    path = _db_path(sqlite_url)
    assert not path.parent.exists()
    eng = open_store(sqlite_url)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            assert stat.S_IMODE(side.stat().st_mode) == 0o600
    finally:
        eng.dispose()


def test_file_stays_private_even_with_a_permissive_umask(sqlite_url: str) -> None:
    old = os.umask(0)
    try:
        eng = make_engine(sqlite_url)
        with eng.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x)")
        eng.dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(_db_path(sqlite_url).stat().st_mode) == 0o600


def test_a_transaction_takes_the_write_lock_at_begin(sqlite_url: str) -> None:
    """BEGIN IMMEDIATE: a second writer cannot start while the first is open, even before
    the first has written anything (so no 'database is locked' on upgrade later)."""
    eng = open_store(sqlite_url)
    other = sqlite3.connect(_db_path(sqlite_url), timeout=0, isolation_level=None)
    try:
        with eng.begin() as conn:
            conn.exec_driver_sql("SELECT 1")  # a read only
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after commit
        other.execute("ROLLBACK")
    finally:
        other.close()
        eng.dispose()


# --- migrations ---------------------------------------------------------------------------


def test_open_store_migrates_a_new_database_to_head(db_url: str) -> None:
    eng = open_store(db_url)
    try:
        assert current_revision(eng) == head_revision()
        names = set(sa.inspect(eng).get_table_names())
        assert set(SQLModel.metadata.tables) <= names
    finally:
        eng.dispose()


def test_models_match_the_migrations(db_url: str) -> None:
    """Nobody changed a table without writing its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    eng = open_store(db_url)
    try:
        with eng.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, SQLModel.metadata) == []
    finally:
        eng.dispose()


def test_an_older_database_is_migrated_forward_at_open(db_url: str) -> None:
    eng = make_engine(db_url)
    migrate(eng, "0001")
    assert current_revision(eng) == "0001"
    assert "drafts" not in sa.inspect(eng).get_table_names()
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO departments (code, name_kk, name_ru, tz, created_at) "
                "VALUES (19, 'Көкшетау', 'Кокшетау', 'Asia/Almaty', :at)"
            ),
            {"at": datetime(2026, 3, 2, 5, 0)},
        )
    eng.dispose()

    eng = open_store(db_url)
    try:
        assert current_revision(eng) == head_revision() != "0001"
        assert "drafts" in sa.inspect(eng).get_table_names()
        with eng.connect() as conn:
            assert conn.execute(sa.text("SELECT name_kk FROM departments")).scalar() == "Көкшетау"
    finally:
        eng.dispose()


def test_open_store_twice_is_harmless(db_url: str) -> None:
    open_store(db_url).dispose()
    eng = open_store(db_url)
    try:
        assert current_revision(eng) == head_revision()
    finally:
        eng.dispose()


# --- aware UTC datetimes ------------------------------------------------------------------


def test_times_come_back_aware_utc(engine: sa.Engine) -> None:
    almaty = timezone(timedelta(hours=5))
    at = datetime(2026, 3, 2, 10, 0, tzinfo=almaty)
    with Session(engine) as session:
        session.add(AuditEvent(at=at, actor="system", action="test", entity="none"))
        session.commit()
    with Session(engine) as session:
        got = session.exec(sa.select(AuditEvent.at)).scalar_one()  # type: ignore[call-overload]
    assert got == at
    assert got.utcoffset() == timedelta(0)
    assert got.tzinfo is not None and got.hour == 5


def test_naive_times_are_refused(engine: sa.Engine) -> None:
    with Session(engine) as session:
        session.add(AuditEvent(at=datetime(2026, 3, 2, 5), actor="s", action="a", entity="e"))
        with pytest.raises(sa.exc.StatementError):
            session.commit()


def test_time_order_is_kept_across_offsets(engine: sa.Engine) -> None:
    early = datetime(2026, 3, 2, 4, 59, tzinfo=UTC)
    late = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=5)))  # 05:00 UTC
    with Session(engine) as session:
        session.add(AuditEvent(at=late, actor="s", action="late", entity="e"))
        session.add(AuditEvent(at=early, actor="s", action="early", entity="e"))
        session.commit()
        rows = (
            session.exec(
                sa.select(AuditEvent.action).order_by(AuditEvent.at)  # type: ignore[call-overload]
            )
            .scalars()
            .all()
        )
    assert rows == ["early", "late"]


def test_an_unopenable_database_is_a_storage_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(StorageError) as err:
        open_store(str(folder))
    assert err.value.key == "store.cannot_open"
    assert err.value.params["reason"]


# --- waiting for the write lock: SQLite's handler, then the writers' turn (issue 7) --------


def _turn_is_free(path: Path) -> bool:
    import fcntl

    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing lets go of a lock taken here
    return True


def _hold_turn(path: Path) -> int:
    import fcntl

    fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def test_a_turn_is_held_until_its_file_is_closed(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    eng.dispose()
    db = _db_path(sqlite_url)
    turn = store_engine._take_turn(str(db), time.monotonic() + 5)
    assert turn is not None
    side = Path(str(db) + store_engine.TURN_SUFFIX)
    assert stat.S_IMODE(side.stat().st_mode) == 0o600  # as private as the database
    assert not _turn_is_free(side)
    os.close(turn)
    assert _turn_is_free(side)


def test_a_waiter_gets_the_turn_when_it_is_let_go(sqlite_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    eng = open_store(sqlite_url)
    eng.dispose()
    db = _db_path(sqlite_url)
    held = _hold_turn(Path(str(db) + store_engine.TURN_SUFFIX))
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = pool.submit(store_engine._take_turn, str(db), time.monotonic() + 60)
        os.close(held)  # let go: the waiter gets it (no sleep here; it blocks until then)
        turn = waiting.result(timeout=60)
    assert turn is not None
    os.close(turn)


def test_a_turn_not_had_in_time_is_given_up_and_never_kept(sqlite_url: str) -> None:
    import threading

    eng = open_store(sqlite_url)
    eng.dispose()
    db = _db_path(sqlite_url)
    side = Path(str(db) + store_engine.TURN_SUFFIX)
    held = _hold_turn(side)
    assert store_engine._take_turn(str(db), time.monotonic() + 0.02) is None  # bounded
    os.close(held)
    # the abandoned waiter (a daemon thread) gets the turn late and lets it go at once
    for thread in threading.enumerate():
        if thread.name == "mss-desk-turn":
            thread.join(timeout=60)
    assert _turn_is_free(side)


def test_a_contended_write_waits_its_turn_and_restores_the_busy_timeout(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is busy (another connection) and the turn is taken (another desk): the
    write says "busy" within the timeout, never hangs, and leaves busy_timeout as it was."""
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 30)
    eng = open_store(sqlite_url)
    db = _db_path(sqlite_url)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    held = _hold_turn(Path(str(db) + store_engine.TURN_SUFFIX))
    try:
        with pytest.raises(sa.exc.OperationalError, match="locked"):
            with eng.begin() as conn:
                conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        os.close(held)
        held = -1
        with pytest.raises(sa.exc.OperationalError, match="locked"):  # turn had, lock not
            with eng.begin() as conn:
                conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        holder.execute("COMMIT")
        with eng.begin() as conn:
            conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('k', 'v')")
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30
        assert sqlite_pragmas(eng)["busy_timeout"] == 30
    finally:
        if held >= 0:
            os.close(held)
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
        eng.dispose()


def test_an_uncontended_write_makes_no_turn_file(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    try:
        with eng.begin() as conn:
            conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('k', 'v')")
    finally:
        eng.dispose()
    assert not Path(str(_db_path(sqlite_url)) + store_engine.TURN_SUFFIX).exists()


def test_a_memory_database_never_takes_a_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []
    real = store_engine._begin_immediate

    def spy(conn: sa.Connection, db_path: str | None) -> None:
        seen.append(db_path)
        real(conn, db_path)

    monkeypatch.setattr(store_engine, "_begin_immediate", spy)
    eng = make_engine("sqlite://")
    try:
        with eng.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x)")
    finally:
        eng.dispose()
    assert seen == [None]  # no "<db>-turn" file for a database without a file


def test_an_error_other_than_busy_at_begin_is_wrapped_as_sqlalchemy_would(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk error while beginning reaches the services as a DBAPIError ("not saved" with
    the reason), not as a bare driver exception."""
    from mss_desk.store.safety import storage_error

    def broken(raw: object) -> bool:
        err = sqlite3.OperationalError("disk I/O error")
        err.sqlite_errorcode = 10  # type: ignore[attr-defined]  # SQLITE_IOERR
        raise err

    eng = open_store(sqlite_url)
    monkeypatch.setattr(store_engine, "_try_begin", broken)
    try:
        with pytest.raises(sa.exc.OperationalError) as err:
            with eng.begin():
                pass
        got = storage_error(err.value)
        assert got is not None and got.key == "safety.io_error"
        monkeypatch.undo()
        assert sqlite_pragmas(eng)["busy_timeout"] == 10000  # put back all the same
    finally:
        eng.dispose()


def test_a_failed_statement_never_shows_its_values(db_url: str) -> None:
    """Issue 15: no personal data in logs — an error's text names no bound value."""
    import sqlalchemy as sa

    from mss_desk.store.engine import open_store

    eng = open_store(db_url)
    try:
        with pytest.raises(sa.exc.DBAPIError) as caught, eng.begin() as conn:
            query = sa.text("SELECT * FROM no_such_table WHERE iin = :iin")
            conn.execute(query, {"iin": "900101300007"})
        assert "900101300007" not in str(caught.value)
    finally:
        eng.dispose()


def test_migration_0008_adds_the_clerks_language_and_keeps_the_clerks(db_url: str) -> None:
    """Issue 12.12: ``clerks.language`` (NULL for the clerks already there); and back."""
    eng = make_engine(db_url)
    migrate(eng, "0007")
    at = datetime(2026, 3, 2, 5, 0)
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO departments (code, name_kk, name_ru, tz, created_at) "
                "VALUES (19, 'Көкшетау', 'Кокшетау', 'Asia/Almaty', :at)"
            ),
            {"at": at},
        )
        conn.execute(
            sa.text(
                "INSERT INTO clerks (department_code, username, surname, name, role,"
                " password_hash, failed_attempts, active, created_at)"
                " VALUES (19, 'aigerim', 'Сейітова', 'Әйгерім', 'clerk', 'x', 0, :yes, :at)"
            ),
            {"at": at, "yes": True},
        )
    eng.dispose()

    eng = open_store(db_url)
    try:
        assert current_revision(eng) == head_revision()
        columns = {c["name"] for c in sa.inspect(eng).get_columns("clerks")}
        assert "language" in columns
        with eng.begin() as conn:
            row = conn.execute(sa.text("SELECT username, language FROM clerks")).one()
            assert tuple(row) == ("aigerim", None)
            conn.execute(sa.text("UPDATE clerks SET language = 'ru'"))
        from alembic import command

        from mss_desk.store.revisions import alembic_config

        command.downgrade(alembic_config(eng), "0007")  # drops the column, keeps the clerk
        columns = {c["name"] for c in sa.inspect(eng).get_columns("clerks")}
        assert "language" not in columns
        with eng.connect() as conn:
            assert conn.execute(sa.text("SELECT username FROM clerks")).scalar() == "aigerim"
    finally:
        eng.dispose()
