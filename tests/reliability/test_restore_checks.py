"""Issue 15, items 9, 8, 5 and 4: the last good backup, killed backups' leftovers, a missing
or empty database beside backups, and what restore checks before it replaces the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mss_desk.clock import FixedClock
from mss_desk.errors import StorageError
from mss_desk.store import backups as bk
from mss_desk.store import recovery
from mss_desk.store.engine import open_store
from mss_desk.store.sqlite_file import integrity_problems

from .helpers import add_cases, case_numbers, damage_header, damage_index, db_path


def _clock(text: str = "2026-03-02T05:00:00") -> FixedClock:
    return FixedClock(datetime.fromisoformat(text).replace(tzinfo=UTC))


@pytest.fixture
def store(sqlite_url: str):
    eng = open_store(sqlite_url)
    add_cases(eng, [1, 2, 3])
    yield eng
    eng.dispose()


# --- item 9: one check for "last good" and for restore ----------------------------------


def test_a_newest_backup_with_a_damaged_index_is_not_offered(sqlite_url: str, store) -> None:
    clock = _clock()
    older = bk.backup(sqlite_url, clock=clock, kind="auto")
    clock.advance(days=1)
    newer = bk.backup(sqlite_url, clock=clock, kind="auto")
    damage_index(newer)
    assert integrity_problems(newer, quick=True) == []  # quick_check sees nothing wrong
    assert integrity_problems(newer, quick=False)  # integrity_check does
    with pytest.raises(StorageError) as err:
        recovery.check_backup(newer)
    assert err.value.key == "safety.backup_damaged"
    assert bk.latest_good_backup(newer.parent) == older
    # the damaged desk is offered the older good one, and it restores
    store.dispose()
    damage_header(db_path(sqlite_url))
    with pytest.raises(StorageError) as opened:
        open_store(sqlite_url)
    assert opened.value.params["backup"] == str(older)
    result = recovery.restore_last_good(sqlite_url, clock=clock)
    assert result.restored_from == older
    eng = open_store(sqlite_url)
    try:
        assert case_numbers(eng) == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]
    finally:
        eng.dispose()


# --- item 8: the copies of killed backups -------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _killed_backup(sqlite_url: str, directory: Path) -> Path:
    """A backup process killed -9 while its copy is still ``.…partial-PID``."""
    code = (
        "import os, sys, signal\n"
        "from mss_desk.store import backups as bk\n"
        "real = bk.require_sound\n"
        "def die(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "bk.require_sound = die\n"
        "bk.backup(sys.argv[1], kind='auto')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, sqlite_url], check=False)
    assert proc.returncode == -9
    partials = [p for p in directory.iterdir() if ".partial-" in p.name]
    assert len(partials) == 1 and partials[0].stat().st_size > 0
    return partials[0]


def test_a_killed_backup_leftover_goes_at_the_next_start(sqlite_url: str, store) -> None:
    directory = db_path(sqlite_url).parent / "backups"
    partial = _killed_backup(sqlite_url, directory)
    # the next start: the daily backup (already due or not) cleans it
    bk.auto_backup_if_due(sqlite_url, None, _clock())
    assert not partial.exists()
    assert [p.name for p in directory.iterdir() if p.name.startswith(".")] == []


def test_rotation_removes_dead_leftovers_and_keeps_a_live_one(sqlite_url: str, store) -> None:
    directory = db_path(sqlite_url).parent / "backups"
    bk.backup(sqlite_url, clock=_clock(), kind="auto")
    name = "mss-desk-20260302T050000Z-auto.sqlite3"
    dead = directory / f".{name}.partial-{_dead_pid()}"
    live = directory / f".{name}.partial-{os.getpid()}"
    other = directory / ".not-ours.partial-1"
    for f in (dead, live, other):
        f.write_bytes(b"x" * 1000)
    deleted = bk.rotate(directory, 14)
    assert dead in deleted and not dead.exists()
    assert live.exists() and other.exists()  # a backup being written; a file not ours
    old = time.time() - bk.LEFTOVER_MAX_AGE_S - 60
    os.utime(live, (old, old))  # a live PID, but older than any backup takes: reused PID
    bk.rotate(directory, 14)
    assert not live.exists() and other.exists()


def test_a_killed_restore_copy_beside_the_database_goes_at_the_next_start(
    sqlite_url: str, store
) -> None:
    db = db_path(sqlite_url)
    leftover = db.parent / f".{db.name}.restore-{_dead_pid()}"
    leftover.write_bytes(b"x" * 1000)
    bk.auto_backup_if_due(sqlite_url, None, _clock())
    assert not leftover.exists()


# --- item 4: what restore checks before it replaces ---------------------------------------


def _events(engine, n: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    from mss_desk.store.audit import record

    with engine.begin() as conn:
        for i in range(start, start + n):
            record(conn, datetime(2026, 3, 2, 5, i, tzinfo=UTC), "1", "case.accept", "case", i)


def _tamper(path: Path, sql: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.executescript(sql)
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("sql", "key"),
    [
        (
            "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
            "DELETE FROM audit_events WHERE id > 5;",
            "safety.backup_no_audit_triggers",
        ),
        (  # triggers put back after a row in the middle went: the chain shows it
            "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE id = 4;"
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;",
            "safety.backup_audit_broken",
        ),
    ],
)
def test_a_tampered_backup_is_refused_and_never_offered(
    sqlite_url: str, store, sql: str, key: str
) -> None:
    _events(store, 10)
    good = bk.backup(sqlite_url, clock=_clock(), kind="auto")
    tampered = bk.backup(sqlite_url, clock=_clock("2026-03-03T05:00:00"), kind="auto")
    _tamper(tampered, sql)
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, tampered, clock=_clock("2026-03-03T06:00:00"))
    assert err.value.key == key
    assert bk.latest_good_backup(good.parent) == good
    from mss_desk.i18n import t

    for lang in ("kk", "ru", "en"):
        assert tampered.name in t(key, lang, **err.value.params)
    from mss_desk.store.audit import check_chain

    assert check_chain(store).count == 10  # the database was not touched


def test_a_backup_of_another_department_is_refused(sqlite_url: str, store, tmp_path: Path) -> None:
    other_url = f"sqlite:///{tmp_path / 'd1' / 'desk.sqlite3'}"
    eng = open_store(other_url)
    add_cases(eng, [1, 2, 3, 4, 5], dept=1)
    eng.dispose()
    foreign = bk.backup(other_url, clock=_clock(), kind="manual")
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, foreign, clock=_clock(), force="head: yes")
    assert err.value.key == "safety.restore_other_department"
    assert err.value.params["backup_departments"] == "1"
    assert err.value.params["departments"] == "19"
    assert case_numbers(store) == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]
    assert not list(db_path(sqlite_url).parent.joinpath("backups").glob("*pre-restore*"))


def test_an_older_backup_needs_force_with_a_reason_and_the_restore_is_audited(
    sqlite_url: str, store
) -> None:
    from mss_desk.store.audit import check_chain

    _events(store, 3)
    clock = _clock()
    older = bk.backup(sqlite_url, clock=clock, kind="manual")
    add_cases(store, [4, 5])
    _events(store, 4, start=3)
    clock.advance(hours=1)
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, older, clock=clock)
    assert err.value.key == "safety.restore_loses"
    assert (err.value.params["events"], err.value.params["cases"]) == (4, 2)
    from mss_desk.i18n import t

    assert "4" in t(err.value.key, "kk", **err.value.params)
    assert len(case_numbers(store)) == 5  # nothing changed
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, older, clock=clock, force="  ")
    assert err.value.key == "safety.force_reason"
    result = recovery.restore(
        sqlite_url, older, clock=clock, force="head Seitova: 4 and 5 typed twice", actor="cli:aig"
    )
    assert result.lost == recovery.Loss(events=4, cases=2)
    assert len(case_numbers(store)) == 3
    report = check_chain(store)
    assert report.first_broken is None and report.count == 4  # 3 restored + the restore
    import sqlalchemy as sa

    with store.connect() as conn:
        row = conn.execute(
            sa.text("SELECT actor, action, detail FROM audit_events ORDER BY id DESC LIMIT 1")
        ).one()
    assert row.actor == "cli:aig" and row.action == "database.restore"
    assert "head Seitova" in row.detail and '"events_lost": 4' in row.detail
    assert older.name in row.detail


def test_restoring_the_same_state_needs_no_force_and_is_audited(sqlite_url: str, store) -> None:
    _events(store, 2)
    same = bk.backup(sqlite_url, clock=_clock(), kind="manual")
    result = recovery.restore(sqlite_url, same, clock=_clock("2026-03-02T06:00:00"))
    assert result.lost == recovery.Loss(0, 0)
    import sqlalchemy as sa

    with store.connect() as conn:
        actions = conn.execute(sa.text("SELECT action FROM audit_events ORDER BY id")).scalars()
        assert list(actions)[-1] == "database.restore"


def test_cli_restore_of_an_older_backup_needs_force_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from mss_desk.cli import main

    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:00")
    monkeypatch.delenv("MSS_DESK_DATABASE", raising=False)

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out or captured.err

    db = str(tmp_path / "office" / "desk.sqlite3")
    assert run("init", "--department", "19", "--db", db)[0] == 0
    code, out = run("backup", "--db", db, "--json")
    older = json.loads(out)["backup"]
    for _ in range(2):
        assert run("ticket", "issue", "--purpose", "consult", "--db", db)[0] == 0
    code, out = run("restore", older, "--db", db, "--lang", "en")
    assert code == 1 and "audit events after it — 2, cases — 0" in out and "--force" in out
    code, out = run("restore", older, "--db", db, "--lang", "kk")
    assert code == 1 and "басшы --force" in out
    code, out = run("restore", older, "--db", db, "--json", "--force", "head: tickets in error")
    assert code == 0
    data = json.loads(out)
    assert (data["events_lost"], data["cases_lost"]) == (2, 0)
    code, out = run("audit", "verify", "--db", db, "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    import sqlite3

    with sqlite3.connect(db) as conn:
        actor, action, detail = conn.execute(
            "SELECT actor, action, detail FROM audit_events ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert action == "database.restore" and actor.startswith("cli:")
    assert "head: tickets in error" in detail
