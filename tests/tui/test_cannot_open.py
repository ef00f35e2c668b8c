"""Issue 15, item 13 on the desk: at start, what is at the database path and is no damaged
database is said in its own words — the command line's — never "The database is damaged":
a directory, a file that is no SQLite database, a pipe, a sound file in a read-only folder,
a file the desk's user may not read. Any key quits (exit 1) and nothing is written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from mss_desk.i18n import t
from screens.login import LoginScreen
from screens.restore import RestoreScreen
from tests.tui.conftest import footer_text

NOT_THESE = ("damaged", "зақымдалған", "повреждена", "internal error", "safety.", "cli.")


def _live(sqlite_url: str) -> Path:
    return Path(sqlite_url.removeprefix("sqlite:///"))


def _texts(screen: Any) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


def _words(key: str, lang: str, **params: Any) -> str:
    return t(key, lang, **params)


async def _said(make_app: Any, lang: str, key: str, **params: Any) -> Any:
    """Start the desk; the "cannot be opened" screen says ``key``'s words; Enter quits."""
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RestoreScreen), type(screen).__name__
        assert screen.backup_file is None  # nothing to restore: only quit
        text = " ".join(_texts(screen).split())
        assert _words("safety.cannot_open_title", lang) in screen.question_title
        assert " ".join(_words(key, lang, **params).split()) in text
        assert _words("safety.quit_keys", lang) in text
        assert not any(bad in (text + screen.question_title).lower() for bad in NOT_THESE)
        footer = footer_text(app)
        assert _words("safety.key.quit", lang) in footer
        assert _words("safety.key.restore", lang) not in footer  # nothing to restore
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    return app


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
async def test_a_directory(make_app: Any, sqlite_url: str, lang: str) -> None:
    live = _live(sqlite_url)
    live.mkdir(parents=True)
    await _said(make_app, lang, "cli.db_is_directory", path=str(live))
    assert live.is_dir() and not any(live.iterdir())


@pytest.mark.parametrize("lang", ["en", "kk"])
@pytest.mark.parametrize("content", [b"RIFF\x24\x08\x00\x00WAVEfmt ", b"%PDF-1.7\n"])
async def test_a_file_that_is_no_sqlite_database(
    make_app: Any, sqlite_url: str, lang: str, content: bytes
) -> None:
    live = _live(sqlite_url)
    live.parent.mkdir(parents=True)
    live.write_bytes(content * 100)
    await _said(make_app, lang, "cli.db_not_sqlite", path=str(live))
    assert live.read_bytes() == content * 100  # nothing was written to it
    assert sorted(p.name for p in live.parent.iterdir()) == ["desk.sqlite3"]


async def test_a_pipe(make_app: Any, sqlite_url: str) -> None:
    live = _live(sqlite_url)
    live.parent.mkdir(parents=True)
    os.mkfifo(live)
    await _said(make_app, "en", "cli.db_not_a_file", path=str(live))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
async def test_a_sound_database_in_a_read_only_folder(
    make_app: Any, ready_db: Any, sqlite_url: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready_db.engine.dispose()
    live = _live(sqlite_url)
    before = live.read_bytes()
    folder = live.parent
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):  # root writes anyway: the folder is read-only to
            import mss_desk.store.sqlite_file as sqlite_file  # the desk's user, as if not

            monkeypatch.setattr(sqlite_file, "folder_writable", lambda _folder: False)
        await _said(make_app, lang, "cli.db_folder_read_only", path=str(live), folder=str(folder))
    finally:
        folder.chmod(0o700)
    assert live.read_bytes() == before


async def test_a_database_the_desk_user_may_not_read(
    make_app: Any, ready_db: Any, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15, item 10: started by a clerk's own account, the desk's files are out of
    reach (docs/operations.md §3): said so, not "damaged", not first-run setup."""
    ready_db.engine.dispose()
    live = _live(sqlite_url)
    real_stat = os.stat

    def denied(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path) == live:
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    import mss_desk.store.sqlite_file as sqlite_file
    import screens.startup as startup

    monkeypatch.setattr(sqlite_file.os, "stat", denied)
    monkeypatch.setattr(startup.os, "stat", denied)
    # (first-run setup would have come instead: screens.startup saw no file)
    await _said(make_app, "en", "cli.db_unreadable", path=str(live), reason="Permission denied")


async def test_a_sound_database_still_opens(make_app: Any, ready_db: Any) -> None:
    """Guard: the checks let the desk's own database through to the login."""
    ready_db.engine.dispose()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_snapshot_a_directory_80x24(snap_compare: Any, make_app: Any, lang: str) -> None:
    """What the clerk sees (a fixed path that is always a directory: ``/tmp``)."""
    app = make_app(lang=lang)
    app.db_url = "/tmp"

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, RestoreScreen)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
