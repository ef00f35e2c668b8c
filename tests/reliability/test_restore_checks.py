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
