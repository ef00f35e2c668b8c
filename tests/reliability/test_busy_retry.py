"""A write that times out busy is retried whole (services/base.py ``write``).

Another connection holds SQLite's write lock; the desk's busy timeout is made short for the
test (50 ms instead of 10 s), so the first attempt fails "busy" at once. The lock is let go
when the service says it will retry (its ``_retrying`` hook), never by sleeping: the second
attempt writes, with the next gap-free number.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mss_desk.errors import StorageError
from mss_desk.rules.iin import make_iin
from mss_desk.services import Services
from mss_desk.services.base import ServiceBase
from mss_desk.services.views import IntakeForm
from mss_desk.store import engine as engine_mod
from tests.conftest import CLERK_PASSWORD, DEPT

SHORT_MS = 50
DOCS = {
    "application",
    "authority_referral",
    "identity_card",
    "taxpayer_certificate",
    "social_code_certificate",
    "medical_card",
    "outpatient_extract",
    "pension_certificate",
}


@pytest.fixture
def short_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    pragmas = tuple(
        (n, str(SHORT_MS), SHORT_MS) if n == "busy_timeout" else (n, v, e)
        for n, v, e in engine_mod._SQLITE_PRAGMAS
    )
    monkeypatch.setattr(engine_mod, "_SQLITE_PRAGMAS", pragmas)
    monkeypatch.setattr(engine_mod, "BUSY_TIMEOUT_MS", SHORT_MS)


@pytest.fixture
def desk(short_busy: None, sqlite_url: str, clock: Any, catalog: Any) -> Iterator[Services]:
    engine = engine_mod.open_store(sqlite_url)
    svc = Services(engine, clock, catalog)
    svc.setup.init_department(DEPT)
    yield svc
    engine.dispose()


class Locker:
    """Another desk holding the write lock (BEGIN IMMEDIATE) until told to let go."""

    def __init__(self, url: str) -> None:
        self.conn = sqlite3.connect(Path(url.removeprefix("sqlite:///")), isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.conn.execute("COMMIT")
            self.held = False

    def close(self) -> None:
        self.release()
        self.conn.close()


@pytest.fixture
def clerk(desk: Services) -> Any:
    return desk.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD)


@pytest.fixture
def locker(sqlite_url: str, desk: Services, clerk: Any) -> Iterator[Locker]:
    lock = Locker(sqlite_url)
    yield lock
    lock.close()


@pytest.fixture
def retries(monkeypatch: pytest.MonkeyPatch, locker: Locker) -> list[int]:
    """Record each retry; the first one lets the other desk's lock go."""
    seen: list[int] = []

    def hook(self: ServiceBase, attempt: int, exc: StorageError) -> None:
        assert exc.key == "safety.busy"
        seen.append(attempt)
        locker.release()

    monkeypatch.setattr(ServiceBase, "_retrying", hook)
    return seen


def test_busy_ticket_issue_is_retried(desk: Services, retries: list[int]) -> None:
    ticket = desk.queue.issue("submit")
    assert retries == [1]
    assert ticket.number == "A-001"  # the failed attempt took no number
    assert [t.number for t in desk.queue.waiting()] == ["A-001"]


def test_busy_call_next_is_retried(
    desk: Services, clerk: Any, locker: Locker, retries: list[int]
) -> None:
    locker.release()
    desk.queue.issue("submit")
    locker.conn.execute("BEGIN IMMEDIATE")
    locker.held = True
    called = desk.queue.call_next("submit", clerk.id)
    assert retries == [1]
    assert called is not None and called.number == "A-001" and called.status == "called"


def test_busy_intake_submit_is_retried(
    desk: Services, clerk: Any, locker: Locker, retries: list[int]
) -> None:
    born = date(1950, 4, 1)
    form = IntakeForm(
        iin=make_iin(born, "male", 7),  # type: ignore[arg-type]
        surname="Әлиев",
        name="Ерлан",
        birth_date=born,
        sex="male",
        institution="elderly_general",
        relatives="no_relatives",
    )
    result = desk.intake.submit(form, DOCS, clerk.id)
    assert retries == [1]
    assert result.outcome == "accepted" and result.case_no == f"{DEPT:02d}-2026-00001"
    assert [r.case_no for r in desk.cases.find(result.case_no)] == [result.case_no]


def test_the_department_is_read_without_the_write_lock(desk: Services, locker: Locker) -> None:
    desk.forget_department()
    assert desk.department_code() == DEPT  # a plain BEGIN: no wait behind the writer


def test_a_lock_held_throughout_gives_busy_and_writes_nothing(
    desk: Services, locker: Locker, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: seen.append(a))
    with pytest.raises(StorageError) as err:
        desk.queue.issue("submit")
    assert err.value.key == "safety.busy"
    assert seen == [1, 2]  # three attempts in all
    locker.release()
    assert desk.queue.waiting() == []
    assert desk.queue.issue("submit").number == "A-001"  # no number was used up


def test_a_desk_stuck_holding_the_turn_and_the_lock_gives_busy_not_a_hang(
    desk: Services, sqlite_url: str, locker: Locker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another desk holds the write lock and the writers' turn (``<db>-turn``) and never lets
    go: every attempt waits no longer than the busy timeout, then the clerk is told "busy"."""
    import fcntl
    import os

    db = Path(sqlite_url.removeprefix("sqlite:///"))
    turn = os.open(f"{db}{engine_mod.TURN_SUFFIX}", os.O_RDONLY | os.O_CREAT, 0o600)
    fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
    seen: list[int] = []
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: seen.append(a))
    try:
        with pytest.raises(StorageError) as err:
            desk.queue.issue("submit")
        assert err.value.key == "safety.busy" and seen == [1, 2]
    finally:
        os.close(turn)
    locker.release()
    assert desk.queue.issue("submit").number == "A-001"  # no number was used up
