"""``mss-desk`` / ``mss-desk run`` / ``mss-desk board`` start the Textual apps (imported lazily)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    app_module = pytest.importorskip("mss_desk.app")
    seen: list[Any] = []

    def fake_run(self: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(self)

    monkeypatch.setattr(app_module.MssDeskApp, "run", fake_run)
    return seen


@pytest.mark.parametrize("argv", [[], ["run"]])
def test_no_subcommand_and_run_start_the_desk(cli, started, tmp_path: Path, argv) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "desk.sqlite3")
    r = cli(*argv, "--db", db, "--lang", "ru")
    assert r.code == 0, r.err
    (app,) = started
    assert type(app).__name__ == "MssDeskApp"
    assert app.db_url == db
    assert app.settings.language == "ru"
    assert not Path(db).exists()  # the App opens the database itself, after start


def test_board_starts_the_wall_board(cli, started) -> None:  # type: ignore[no-untyped-def]
    assert cli("board").code == 0
    (app,) = started
    assert getattr(app, "board_mode", True) is True


def test_fixed_clock_reaches_the_app(cli, started, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:00")
    assert cli("run").code == 0
    assert started[0].clock.now().isoformat() == "2026-03-02T05:00:00+00:00"


def test_json_makes_no_sense_for_the_desk(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("run", "--json").code == 2
    assert cli("board", "--json").code == 2


def test_missing_app_module_is_one_clear_line(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "mss_desk.app", None)  # as if app.py were not there
    r = cli("--lang", "en", "run")
    assert r.code == 1
    assert "mss_desk.app" in r.err and len(r.err.splitlines()) == 1


def test_no_garbage_collection_until_the_first_paint(cli, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 12 point 15 (start-up): the collector is off while the desk starts; the App
    turns it on again once its first screen is painted (a job kept for then)."""
    import gc

    app_module = pytest.importorskip("mss_desk.app")
    seen: list[tuple[bool, bool]] = []

    def fake_run(self: Any, *args: Any, **kwargs: Any) -> None:
        seen.append((gc.isenabled(), gc.enable in self._start_jobs._jobs))

    monkeypatch.setattr(app_module.MssDeskApp, "run", fake_run)
    assert gc.isenabled()
    r = cli("--db", str(tmp_path / "desk.sqlite3"))
    assert r.code == 0, r.err
    assert seen == [(False, True)]
    assert gc.isenabled()  # and back on however the App ended


def test_a_start_that_fails_collects_again(cli, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import gc

    app_module = pytest.importorskip("mss_desk.app")

    def failing_run(self: Any, *args: Any, **kwargs: Any) -> None:
        assert not gc.isenabled()
        raise RuntimeError("the terminal went away")

    monkeypatch.setattr(app_module.MssDeskApp, "run", failing_run)
    r = cli("--db", str(tmp_path / "desk.sqlite3"))
    assert r.code == 1
    assert gc.isenabled()
