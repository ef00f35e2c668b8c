"""Backups: online backup API, temp name + fsync + rename + integrity_check; rotation; restore."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mss_desk.clock import FixedClock
from mss_desk.errors import StorageError
from mss_desk.store import backups as bk
from mss_desk.store import recovery
from mss_desk.store.engine import open_store
from mss_desk.store.sqlite_file import integrity_problems

from .helpers import (
    add_cases,
    case_numbers,
    case_numbers_in_file,
    damage_header,
    damage_pages,
    db_path,
)


@pytest.fixture
def store(sqlite_url: str):
    eng = open_store(sqlite_url)
    add_cases(eng, [1, 2, 3])
    yield eng
    eng.dispose()


def _clock(text: str) -> FixedClock:
    return FixedClock(datetime.fromisoformat(text).replace(tzinfo=UTC))


# --- backup ---------------------------------------------------------------------------------


def test_backup_is_a_checked_private_self_contained_copy(sqlite_url: str, store) -> None:
    live = db_path(sqlite_url)
    assert Path(str(live) + "-wal").exists()  # the engine is open: WAL in use
    path = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
    assert path.name == "mss-desk-20260302T050000Z-manual.sqlite3"
    assert path.parent == live.parent / "backups"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert integrity_problems(path, quick=False) == []
    assert case_numbers_in_file(path) == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    # no temporary file left; the live -wal/-shm are untouched
    side = path.name + ".audit.json"  # issue 15, item 6: the audit head beside it
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, side]
    assert Path(str(live) + "-wal").exists() and Path(str(live) + "-shm").exists()


def test_backup_group_shared_database_gives_group_shared_backup(sqlite_url: str, store) -> None:
    live = db_path(sqlite_url)
    os.chmod(live, 0o660)
    path = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o660


def test_backup_takes_a_snapshot_without_waiting_for_an_open_write(sqlite_url: str, store) -> None:
    """A clerk in the middle of a write transaction: the backup has the committed data only."""
    writer = sqlite3.connect(db_path(sqlite_url), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE cases SET case_no = '19-2026-00099' WHERE case_no = '19-2026-00003'")
        path = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert case_numbers_in_file(path) == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]
    assert case_numbers(store)[-1] == "19-2026-00099"


def test_two_backups_in_the_same_second_do_not_overwrite(sqlite_url: str, store) -> None:
    clock = _clock("2026-03-02T05:00:00")
    a = bk.backup(sqlite_url, clock=clock)
    b = bk.backup(sqlite_url, clock=clock)
    assert a != b and a.exists() and b.exists()
    assert b.name == "mss-desk-20260302T050000Z-2-manual.sqlite3"
    assert [i.path for i in bk.list_backups(a.parent)] == [b, a]


def test_backup_of_a_damaged_database_is_refused_and_leaves_nothing(sqlite_url: str, store) -> None:
    clock = _clock("2026-03-02T05:00:00")
    good = bk.backup(sqlite_url, clock=clock, kind="auto")
    store.dispose()
    damage_pages(db_path(sqlite_url))
    clock.advance(days=1)
    with pytest.raises(StorageError) as err:
        bk.backup(sqlite_url, clock=clock, kind="auto", keep=1)
    assert err.value.key == "safety.backup_failed"
    # the good backup survives (no rotation after a failed backup), no partial file
    side = good.name + ".audit.json"  # the good backup's audit anchor (issue 15, item 6)
    assert sorted(p.name for p in good.parent.iterdir()) == [good.name, side]


def test_backup_refuses_postgresql_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as err:
        bk.backup("postgresql+psycopg://u@h/db")
    assert err.value.key == "safety.sqlite_only"
    with pytest.raises(StorageError) as err:
        bk.backup(f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert err.value.key == "safety.no_database"


# --- listing and rotation -------------------------------------------------------------------


def test_list_backups_ignores_foreign_files_and_sorts_newest_first(tmp_path: Path) -> None:
    for name in (
        "mss-desk-20260301T050000Z-auto.sqlite3",
        "mss-desk-20260303T050000Z-manual.sqlite3",
        "mss-desk-20260302T050000Z-pre-restore.sqlite3",
        "notes.txt",
        "mss-desk-2026-auto.sqlite3",
        ".mss-desk-20260304T050000Z-auto.sqlite3.partial-12",
    ):
        (tmp_path / name).write_bytes(b"")
    got = [(i.path.name, i.kind) for i in bk.list_backups(tmp_path)]
    assert got == [
        ("mss-desk-20260303T050000Z-manual.sqlite3", "manual"),
        ("mss-desk-20260302T050000Z-pre-restore.sqlite3", "pre-restore"),
        ("mss-desk-20260301T050000Z-auto.sqlite3", "auto"),
    ]
    assert bk.list_backups(tmp_path / "missing") == []


@pytest.mark.parametrize(("keep", "left"), [(0, 1), (1, 1), (2, 2), (3, 3), (4, 3)])
def test_rotation_keeps_the_newest_auto_backups_and_every_manual_one(
    tmp_path: Path, keep: int, left: int
) -> None:
    for day in (1, 2, 3):
        (tmp_path / f"mss-desk-2026030{day}T050000Z-auto.sqlite3").write_bytes(b"")
        (tmp_path / f"mss-desk-2026030{day}T060000Z-manual.sqlite3").write_bytes(b"")
    (tmp_path / "other.sqlite3").write_bytes(b"")
    deleted = bk.rotate(tmp_path, keep)
    autos = [i.path.name for i in bk.list_backups(tmp_path) if i.kind == "auto"]
    assert len(autos) == left
    assert autos[0] == "mss-desk-20260303T050000Z-auto.sqlite3"
    assert len(deleted) == 3 - left
    assert len([i for i in bk.list_backups(tmp_path) if i.kind == "manual"]) == 3
    assert (tmp_path / "other.sqlite3").exists()


def test_latest_good_backup_skips_damaged_ones(sqlite_url: str, store) -> None:
    clock = _clock("2026-03-02T05:00:00")
    older = bk.backup(sqlite_url, clock=clock, kind="auto")
    clock.advance(days=1)
    newer = bk.backup(sqlite_url, clock=clock, kind="auto")
    assert bk.latest_good_backup(older.parent) == newer
    damage_pages(newer)
    assert bk.latest_good_backup(older.parent) == older
    damage_header(older)
    assert bk.latest_good_backup(older.parent) is None


# --- automatic daily backup -----------------------------------------------------------------


def test_auto_backup_once_per_local_day_with_rotation(sqlite_url: str, store) -> None:
    # 23:59 in Almaty (UTC+5) on 2 March is 18:59 UTC
    clock = _clock("2026-03-02T18:59:00")
    settings = bk.BackupSettings(keep=2)
    first = bk.auto_backup_if_due(sqlite_url, settings, clock)
    assert first is not None and first.name.endswith("-auto.sqlite3")
    assert bk.auto_backup_if_due(sqlite_url, settings, clock) is None  # same day
    clock.advance(minutes=1)  # 00:00 on 3 March in Almaty: a new local day
    second = bk.auto_backup_if_due(sqlite_url, settings, clock)
    assert second is not None
    clock.advance(days=1)
    third = bk.auto_backup_if_due(sqlite_url, settings, clock)
    assert third is not None
    assert [i.path for i in bk.list_backups(first.parent)] == [third, second]


def test_auto_backup_day_follows_the_department_time_zone(sqlite_url: str, store) -> None:
    # 20:00 UTC on 2 March is 01:00 on 3 March in Almaty but still 2 March in UTC
    clock = _clock("2026-03-02T04:00:00")
    assert bk.auto_backup_if_due(sqlite_url, bk.BackupSettings(tz="UTC"), clock) is not None
    clock.set(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    assert bk.auto_backup_if_due(sqlite_url, {"tz": "UTC"}, clock) is None
    assert bk.auto_backup_if_due(sqlite_url, {"tz": "Asia/Almaty"}, clock) is not None


def test_a_manual_backup_does_not_count_as_the_daily_one(sqlite_url: str, store) -> None:
    clock = _clock("2026-03-02T05:00:00")
    bk.backup(sqlite_url, clock=clock)
    assert bk.auto_backup_if_due(sqlite_url, None, clock) is not None


def test_auto_backup_settings_can_disable_or_redirect(
    sqlite_url: str, store, tmp_path: Path
) -> None:
    clock = _clock("2026-03-02T05:00:00")
    assert bk.auto_backup_if_due(sqlite_url, {"backup_enabled": False}, clock) is None
    target = tmp_path / "elsewhere"
    got = bk.auto_backup_if_due(sqlite_url, {"backup_dir": str(target), "backup_keep": 3}, clock)
    assert got is not None and got.parent == target
    assert bk.auto_backup_if_due("postgresql+psycopg://u@h/db", None, clock) is None


# --- restore --------------------------------------------------------------------------------


def test_backup_damage_restore_gives_the_same_cases(sqlite_url: str, store) -> None:
    """The issue's check: backup → damage the live file → restore → the same cases."""
    clock = _clock("2026-03-02T05:00:00")
    saved = bk.backup(sqlite_url, clock=clock)
    before = case_numbers(store)
    store.dispose()
    live = db_path(sqlite_url)
    damage_pages(live)
    assert integrity_problems(live)
    clock.advance(minutes=5)
    result = recovery.restore(sqlite_url, saved, clock=clock)
    assert result.pre_restore_backup is None  # a damaged file cannot be backed up
    assert result.moved_aside[0].name == "desk.sqlite3.damaged-20260302T050500Z"
    assert {p.name[len("desk.sqlite3.damaged-20260302T050500Z") :] for p in result.moved_aside} <= {
        "",
        "-wal",
        "-shm",
    }
    assert all(p.exists() for p in result.moved_aside)  # kept for the record, never deleted
    assert integrity_problems(live, quick=False) == []
    eng = open_store(sqlite_url)
    try:
        assert case_numbers(eng) == before
        with eng.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        eng.dispose()


def test_restore_over_an_unreadable_header(sqlite_url: str, store) -> None:
    clock = _clock("2026-03-02T05:00:00")
    saved = bk.backup(sqlite_url, clock=clock)
    live = db_path(sqlite_url)
    store.dispose()
    damage_header(live)
    result = recovery.restore(sqlite_url, saved, clock=clock)
    assert result.moved_aside[0].name == "desk.sqlite3.damaged-20260302T050000Z"
    assert result.moved_aside[0].read_bytes().startswith(b"this is not sqlite")
    assert case_numbers_in_file(live) == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]


def test_restore_gives_up_cleanly_while_another_desk_holds_the_write_lock(
    sqlite_url: str, store
) -> None:
    saved = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
    add_cases(store, [4])
    writer = sqlite3.connect(db_path(sqlite_url), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageError) as err:
            recovery.restore(
                sqlite_url, saved, clock=_clock("2026-03-02T06:00:00"), busy_timeout_ms=50,
                force="test: an older backup on purpose",
            )
        assert err.value.key == "safety.busy"
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert len(case_numbers(store)) == 4  # nothing changed


def test_restore_into_a_sound_database_keeps_a_pre_restore_backup(sqlite_url: str, store) -> None:
    clock = _clock("2026-03-02T05:00:00")
    saved = bk.backup(sqlite_url, clock=clock)
    add_cases(store, [4, 5])
    clock.advance(hours=1)
    other = open_store(sqlite_url)  # another clerk's desk, open during the restore
    try:
        assert len(case_numbers(other)) == 5
        result = recovery.restore(sqlite_url, saved, clock=clock, force="test: case 4, 5 wrong")
        assert result.moved_aside == ()
        assert result.pre_restore_backup is not None
        assert result.pre_restore_backup.name.endswith("-pre-restore.sqlite3")
        assert len(case_numbers_in_file(result.pre_restore_backup)) == 5
        # the other desk sees the restored data through its open engine (written via SQLite)
        assert case_numbers(other) == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]
        assert case_numbers(store) == case_numbers(other)
        live = db_path(sqlite_url)
        assert Path(str(live) + "-wal").exists()  # WAL files were never deleted
    finally:
        other.dispose()


def test_restore_into_a_missing_database(sqlite_url: str, store, tmp_path: Path) -> None:
    saved = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
    url = f"sqlite:///{tmp_path / 'new' / 'desk.sqlite3'}"
    (tmp_path / "new").mkdir()
    result = recovery.restore(url, saved, clock=_clock("2026-03-02T06:00:00"))
    assert result.moved_aside == () and result.pre_restore_backup is None
    assert len(case_numbers_in_file(tmp_path / "new" / "desk.sqlite3")) == 3


def _live_bytes(url: str) -> bytes:
    return db_path(url).read_bytes()


def test_restore_refuses_a_damaged_backup(sqlite_url: str, store) -> None:
    saved = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
    damage_pages(saved)
    store.dispose()
    before = _live_bytes(sqlite_url)
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, saved)
    assert err.value.key == "safety.backup_damaged"
    assert _live_bytes(sqlite_url) == before


def test_restore_refuses_a_file_that_is_not_a_desk_database(
    sqlite_url: str, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE cases (x)")
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, other)
    assert err.value.key == "safety.not_desk_db"
    text = tmp_path / "notes.txt"
    text.write_text("hello" * 1000)
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, text)
    assert err.value.key == "safety.backup_damaged"


def test_restore_refuses_a_backup_from_a_newer_version(sqlite_url: str, store) -> None:
    saved = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
    with sqlite3.connect(saved) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, saved)
    assert err.value.key == "safety.backup_unknown_revision"
    assert err.value.params["revision"] == "9999"


def test_restore_refuses_a_missing_file_and_the_database_itself(sqlite_url: str, store) -> None:
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, db_path(sqlite_url).parent / "nope.sqlite3")
    assert err.value.key == "safety.backup_missing"
    with pytest.raises(StorageError) as err:
        recovery.restore(sqlite_url, db_path(sqlite_url))
    assert err.value.key == "safety.restore_same"


def test_settings_from_accepts_objects_and_mappings(tmp_path: Path) -> None:
    class Cfg:
        backup_keep = 5
        backup_dir = str(tmp_path)
        tz = "UTC"

    got = bk.settings_from(Cfg())
    assert (got.keep, got.directory, got.enabled, got.tz) == (5, tmp_path, True, "UTC")
    assert bk.settings_from(None) == bk.BackupSettings()
    assert bk.settings_from({"keep": 3}).keep == 3


def test_every_day_has_exactly_one_auto_backup_over_a_week(sqlite_url: str, store) -> None:
    clock = _clock("2026-03-02T04:00:00")  # 09:00 in Almaty
    taken = 0
    for _day in range(7):
        for start in range(4):  # starts at 09:00, 11:00, 13:00, 15:00
            if bk.auto_backup_if_due(sqlite_url, {"keep": 30}, clock):
                taken += 1
            clock.advance(hours=2 if start < 3 else 18)
    assert taken == 7
    days = {i.taken_at.date() for i in bk.list_backups(db_path(sqlite_url).parent / "backups")}
    assert len(days) == 7


def test_a_backup_from_an_older_schema_is_restored_and_migrated_forward(
    sqlite_url: str, store
) -> None:
    from alembic import command

    from mss_desk.store.revisions import alembic_config, current_revision, head_revision

    command.downgrade(alembic_config(store), "0003")
    old = bk.backup(sqlite_url, clock=_clock("2026-03-02T05:00:00"))
    assert recovery.check_backup(old) == "0003"
    store.dispose()
    eng = open_store(sqlite_url)  # the live database moves on to the newest schema
    add_cases(eng, [4])
    result = recovery.restore(
        sqlite_url, old, clock=_clock("2026-03-02T06:00:00"), force="test: back to 0003"
    )
    assert result.revision == "0003"
    assert current_revision(eng) == head_revision()  # migrated forward right after
    assert case_numbers(eng) == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]
    eng.dispose()
