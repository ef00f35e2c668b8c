"""``mss-desk run``: a failed automatic daily backup reaches the App (a warning for the
clerk), not only debug.log; a good one says nothing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from mss_desk.cli import tui
from mss_desk.errors import StorageError


class FakeApp:
    def __init__(self) -> None:
        self.reported: list[BaseException] = []

    def report_backup_failure(self, exc: BaseException) -> None:
        self.reported.append(exc)


def _ctx(clock: Any) -> Any:
    return SimpleNamespace(db_url=lambda: "sqlite:///x.sqlite3", settings=None, clock=lambda: clock)


def test_a_failed_daily_backup_is_reported_to_the_app(
    monkeypatch: pytest.MonkeyPatch, clock: Any
) -> None:
    err = StorageError("no space", key="safety.backup_failed", reason="disk full")

    def fail(*_a: Any, **_k: Any) -> None:
        raise err

    monkeypatch.setattr("mss_desk.store.backup.auto_backup_if_due", fail)
    app = FakeApp()
    tui.auto_backup_in_background(_ctx(clock), app).join()
    assert app.reported == [err]


def test_a_good_daily_backup_reports_nothing(monkeypatch: pytest.MonkeyPatch, clock: Any) -> None:
    monkeypatch.setattr("mss_desk.store.backup.auto_backup_if_due", lambda *a, **k: None)
    app = FakeApp()
    tui.auto_backup_in_background(_ctx(clock), app).join()
    assert app.reported == []
