"""Issue 15, item 5: a missing or empty database beside backups is a damaged desk, never a new
one; read-only commands never create or migrate a schema (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.errors import StorageError
from mss_desk.store import backups as bk
from mss_desk.store.engine import open_store
from screens.startup import surely_new_database

from .helpers import add_cases, db_path


def _tables(url: str) -> list[str]:
    eng = sa.create_engine(url)
    try:
        return sorted(sa.inspect(eng).get_table_names())
    finally:
        eng.dispose()


# --- SQLite: the file gone or emptied beside backups ---------------------------------------


@pytest.mark.parametrize("gone", ["missing", "empty"])
def test_a_missing_or_empty_file_beside_backups_is_damaged_not_new(
    sqlite_url: str, gone: str
) -> None:
    eng = open_store(sqlite_url)
    add_cases(eng, [1, 2])
    good = bk.backup(sqlite_url, kind="auto")
    eng.dispose()
    live = db_path(sqlite_url)
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    if gone == "missing":
        live.unlink()
    else:
        live.write_bytes(b"")
    assert not surely_new_database(sqlite_url)  # the App does not open first-run setup
    for read_only in (False, True):
        with pytest.raises(StorageError) as err:
            open_store(sqlite_url, read_only=read_only)
        assert err.value.key == "safety.damaged"
        assert err.value.params["backup"] == str(good)
    # nothing was made in its place
    assert not live.exists() if gone == "missing" else live.stat().st_size == 0


def test_a_missing_file_without_backups_is_a_new_desk(sqlite_url: str) -> None:
    assert surely_new_database(sqlite_url)
    with pytest.raises(StorageError) as err:
        open_store(sqlite_url, read_only=True)
    assert err.value.key == "safety.no_desk"
    assert not db_path(sqlite_url).exists()  # read-only made no file
    open_store(sqlite_url).dispose()  # the first run creates it


def test_cli_on_an_emptied_database_refuses_and_restores(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The hostile test's story: ticket A-001, a backup, the file emptied; ``cases`` wrote a
    fresh schema and ``ticket issue`` gave A-001 again. Now both refuse, naming the backup."""
    monkeypatch.delenv("MSS_DESK_DATABASE", raising=False)
    db = str(tmp_path / "office" / "desk.sqlite3")
    assert run("init", "--department", "19", "--db", db, "--json")[0] == 0
    code, data = run("ticket", "issue", "--purpose", "consult", "--db", db, "--json")
    assert code == 0 and data["number"].endswith("001")
    code, data = run("backup", "--db", db, "--json")
    assert code == 0
    backup = data["backup"]
    for suffix in ("-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    Path(db).write_bytes(b"")
    for args in (("cases",), ("ticket", "issue", "--purpose", "consult"), ("ticket", "list")):
        code, data = run(*args, "--db", db, "--json")
        assert code != 0, args
        assert Path(backup).name in data["error"], args
        assert os.path.getsize(db) == 0, args  # no schema written
    os.unlink(db)
    code, out = run("cases", "--db", db, "--lang", "en")
    assert code != 0 and Path(backup).name in out and not os.path.exists(db)
    code, data = run("restore", backup, "--db", db, "--json")
    assert code == 0
    code, data = run("ticket", "issue", "--purpose", "consult", "--db", db, "--json")
    assert code == 0 and data["number"].endswith("002")


def test_read_only_sqlite_commands_do_not_create_or_migrate(
    run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "desk.sqlite3"
    db.write_bytes(b"")
    code, out = run("cases", "--db", str(db), "--lang", "en")
    assert code != 0 and "No desk here" in out and "mss-desk init" in out
    assert db.stat().st_size == 0
    # an older schema: "needs an upgrade", not migrated
    eng = open_store(f"sqlite:///{db}")
    eng.dispose()
    with sqlite3_connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0006'")
    code, out = run("audit", "verify", "--db", str(db), "--lang", "en")
    assert code != 0 and "needs an upgrade" in out
    with sqlite3_connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0006"


def sqlite3_connect(path: Path) -> Any:
    import sqlite3

    return sqlite3.connect(path)


# --- PostgreSQL ---------------------------------------------------------------------------


def test_read_only_open_creates_nothing_on_postgresql(pg_url: str) -> None:
    with pytest.raises(StorageError) as err:
        open_store(pg_url, read_only=True)
    assert err.value.key == "safety.no_desk"
    assert _tables(pg_url) == []
    open_store(pg_url).dispose()  # a writing open creates the schema
    eng = sa.create_engine(pg_url)
    try:
        with eng.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0006'")
    finally:
        eng.dispose()
    with pytest.raises(StorageError) as err:
        open_store(pg_url, read_only=True)
    assert err.value.key == "safety.needs_upgrade" and err.value.params["revision"] == "0006"


def test_cases_on_an_empty_postgresql_database_creates_no_table(run, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    code, out = run("cases", "--db", pg_url, "--lang", "en")
    assert code != 0 and "No desk here" in out
    assert _tables(pg_url) == []
    code, out = run("report", "--from", "2026-03-01", "--to", "2026-03-02", "--db", pg_url)
    assert code != 0
    assert _tables(pg_url) == []
