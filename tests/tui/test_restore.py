"""A damaged database at start (item 18.6): the desk offers the last good backup by name and
time; Enter/Y restores it and goes on to the login, Esc/N quits, no backup: it says so and
quits. A failed automatic backup is shown to the clerk."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from mss_desk.errors import StorageError
from mss_desk.store.backups import backup, default_backup_dir
from screens.home import HomeScreen
from screens.login import LoginScreen
from screens.restore import RestoreScreen
from tests.reliability.helpers import (
    add_cases,
    case_numbers,
    case_numbers_in_file,
    damage_header,
    damage_pages,
)
from tests.tui.conftest import footer_text, login

NUMBERS = [1, 2, 3]


def _texts(screen: Any) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


def _live(sqlite_url: str) -> Path:
    return Path(sqlite_url.removeprefix("sqlite:///"))


async def _offered(pilot: Any) -> RestoreScreen:
    """The start-up worker found the damage: the restore screen is up."""
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RestoreScreen)
    return screen


async def _answered(pilot: Any, key: str) -> None:
    """Answer the restore screen and let the restore worker finish."""
    await pilot.press(key)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


@pytest.fixture
def damaged_with_backup(ready_db: Any, sqlite_url: str, tui_clock: Any) -> Path:
    """Three cases, a manual backup of them, then the live file damaged (engine closed)."""
    add_cases(ready_db.engine, NUMBERS)
    taken = backup(sqlite_url, clock=tui_clock, kind="manual")
    ready_db.engine.dispose()
    live = _live(sqlite_url)
    damage_pages(live)
    return taken


@pytest.mark.parametrize("key", ["enter", "y"])
async def test_damaged_database_restored_on_confirm(
    make_app: Any, damaged_with_backup: Path, sqlite_url: str, key: str
) -> None:
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        text = _texts(await _offered(pilot))
        assert damaged_with_backup.name in text
        assert "02.03.2026 10:00" in text  # the backup's time, Department's local time
        await _answered(pilot, key)
        assert app.is_running
        assert isinstance(app.screen, LoginScreen)
        await login(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert case_numbers(app.services.engine) == [f"19-2026-{n:05d}" for n in NUMBERS]
        assert [r.case_no for r in app.services.cases.find("19-2026-00002")] == ["19-2026-00002"]
    live = _live(sqlite_url)
    # the damaged file was moved aside, never deleted
    assert list(live.parent.glob("desk.sqlite3.damaged-*"))


@pytest.mark.parametrize("key", ["escape", "n"])
async def test_damaged_database_quit_changes_nothing(
    make_app: Any, damaged_with_backup: Path, sqlite_url: str, key: str
) -> None:
    live = _live(sqlite_url)
    before = live.read_bytes()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _offered(pilot)
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code == 1
    assert live.read_bytes() == before  # nothing written to the damaged file
    assert not list(live.parent.glob("desk.sqlite3.damaged-*"))


async def test_damaged_database_without_backup_says_so_and_quits(
    make_app: Any, ready_db: Any, sqlite_url: str
) -> None:
    add_cases(ready_db.engine, NUMBERS)
    ready_db.engine.dispose()
    live = _live(sqlite_url)
    damage_pages(live)
    assert not default_backup_dir(live).exists()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        text = _texts(await _offered(pilot))
        assert "no good backup" in text
        assert "Enter or Esc: quit." in text
        await pilot.press("enter")  # Enter cannot restore what is not there
        await pilot.pause()
    assert app.return_code == 1
    assert not list(live.parent.glob("desk.sqlite3.damaged-*"))


async def test_restore_screen_speaks_kazakh(make_app: Any, damaged_with_backup: Path) -> None:
    app = make_app(lang="kk")
    async with app.run_test(size=(80, 24)) as pilot:
        text = _texts(await _offered(pilot))
        assert "Дерекқор зақымдалған" in text and damaged_with_backup.name in text
        footer = footer_text(app)
        assert "Қалпына келтіру" in footer and "Шығу" in footer and "safety." not in footer


async def test_a_file_sqlite_cannot_open_is_restored_too(
    make_app: Any, ready_db: Any, sqlite_url: str, tui_clock: Any
) -> None:
    add_cases(ready_db.engine, NUMBERS)
    backup(sqlite_url, clock=tui_clock, kind="manual")
    ready_db.engine.dispose()
    damage_header(_live(sqlite_url))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _offered(pilot)
        await _answered(pilot, "enter")
        assert isinstance(app.screen, LoginScreen)
        await login(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert case_numbers(app.services.engine) == [f"19-2026-{n:05d}" for n in NUMBERS]


async def test_failed_auto_backup_is_shown_to_the_clerk(make_app: Any, ready_db: Any) -> None:
    app = make_app(lang="en")
    # reported before the App is up (the CLI's backup thread may finish first): kept
    app.report_backup_failure(StorageError("x", key="safety.backup_failed", reason="disk full"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("daily backup was not made" in m and "disk full" in m for m in messages)
        # and once running, from another thread (the loop must stay free meanwhile)
        await asyncio.to_thread(
            app.report_backup_failure,
            StorageError("x", key="safety.backup_failed", reason="no space"),
        )
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("no space" in m for m in messages)


def test_backup_made_before_damage_still_holds_the_cases(damaged_with_backup: Path) -> None:
    """Guard for the fixtures above: the backup really holds the cases."""
    assert case_numbers_in_file(damaged_with_backup) == [f"19-2026-{n:05d}" for n in NUMBERS]


async def test_a_failed_restore_is_said_and_quits(
    make_app: Any, damaged_with_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_a: Any, **_k: Any) -> None:
        raise StorageError("x", key="safety.restore_failed", reason="database busy")

    monkeypatch.setattr("mss_desk.store.backup.restore_last_good", refuse)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _offered(pilot)
        await _answered(pilot, "enter")
        assert isinstance(app.screen, RestoreScreen) and app.screen.backup_file is None
        assert "Restore failed: database busy" in _texts(app.screen)
        await pilot.press("y")  # nothing to restore: every key quits
        await pilot.pause()
    assert app.return_code == 1


@pytest.mark.parametrize("gone", ["missing", "empty"])
async def test_a_missing_or_empty_database_beside_a_backup_is_offered_it_not_setup(
    make_app: Any, damaged_with_backup: Path, sqlite_url: str, gone: str
) -> None:
    """Issue 15, item 5: kill -9 during a restore left no file (or 0 bytes) and the desk
    opened first-run setup; now it offers the backup beside it and restores it."""
    live = _live(sqlite_url)
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    if gone == "missing":
        live.unlink()
    else:
        live.write_bytes(b"")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = _texts(await _offered(pilot))
        assert damaged_with_backup.name in text
        await _answered(pilot, "enter")
        assert isinstance(app.screen, LoginScreen)
        await login(pilot)
        assert case_numbers(app.services.engine) == [f"19-2026-{n:05d}" for n in NUMBERS]
