"""A write that times out busy is retried whole (services/base.py ``write``).

Another connection holds SQLite's write lock; the desk's busy timeout is made short for the
test (50 ms instead of 10 s), so the first attempt fails "busy" at once. The lock is let go
when the service says it will retry (its ``_retrying`` hook), never by sleeping: the second
attempt writes, with the next gap-free number.
"""

from __future__ import annotations

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
from tests.conftest import DEPT, ELDERLY_DOCS
from tests.reliability.busy.conftest import Holder

# SQLite's: the writers' turn and the write lock (conftest: desk, clerk, locker, retries)
pytestmark = pytest.mark.parametrize("url", ["sqlite"], indirect=True)


def test_busy_ticket_issue_is_retried(desk: Services, locker: Holder, retries: list[int]) -> None:
    ticket = desk.queue.issue("submit")
    assert retries == [1]
    assert ticket.number == "A-001"  # the failed attempt took no number
    assert [t.number for t in desk.queue.waiting()] == ["A-001"]


def test_busy_call_next_is_retried(
    desk: Services, clerk: Any, locker: Holder, retries: list[int]
) -> None:
    locker.release()
    desk.queue.issue("submit")
    locker.hold()
    called = desk.queue.call_next("submit", clerk.id)
    assert retries == [1]
    assert called is not None and called.number == "A-001" and called.status == "called"


def test_busy_intake_submit_is_retried(
    desk: Services, clerk: Any, locker: Holder, retries: list[int]
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
    result = desk.intake.submit(form, set(ELDERLY_DOCS), clerk.id)
    assert retries == [1]
    assert result.outcome == "accepted" and result.case_no == f"{DEPT:02d}-2026-00001"
    assert [r.case_no for r in desk.cases.find(result.case_no)] == [result.case_no]


def test_the_department_is_read_without_the_write_lock(desk: Services, locker: Holder) -> None:
    desk.forget_department()
    assert desk.department_code() == DEPT  # a plain BEGIN: no wait behind the writer


def test_a_lock_held_throughout_gives_busy_and_writes_nothing(
    desk: Services, locker: Holder, monkeypatch: pytest.MonkeyPatch
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
    desk: Services, sqlite_url: str, locker: Holder, monkeypatch: pytest.MonkeyPatch
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
