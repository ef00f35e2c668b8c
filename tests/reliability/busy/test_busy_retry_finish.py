"""The last writes without a retry: ``queue.serve``/``no_show`` and ``setup.init_department``.

Same set-up as ``test_busy_retry_rest`` (both dialects): another desk holds the lock every
audited write needs (SQLite: the write lock, 50 ms busy timeout; PostgreSQL: the audit
chain's advisory lock, short ``lock_timeout``: the attempt fails after its body changed the
ticket or the Department), and lets it go from the service's ``_retrying`` hook, never by
sleeping. Each write is then applied once: one status change, one audit event. With the
lock held throughout the clerk gets ``safety.busy`` after three attempts and the database
is exactly as before.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from mss_desk.errors import RuleViolation, StorageError
from mss_desk.services import Services
from mss_desk.services.base import ServiceBase
from mss_desk.store.models import Department, QueueTicket, Setting
from tests.conftest import DEPT
from tests.reliability.busy.conftest import Holder, audit_count, chain_ok, snapshot

OTHER_DEPT = 18  # another Department of Annex 1


def _ticket(desk: Services, ticket_id: int) -> QueueTicket:
    with Session(desk.engine) as s:
        row = s.get(QueueTicket, ticket_id)
        assert row is not None
        return row


def _called(desk: Services, clerk: Any) -> int:
    desk.queue.issue("submit")
    called = desk.queue.call_next("submit", clerk.id)
    assert called is not None and called.status == "called"
    return called.id


@pytest.mark.parametrize(
    ("finish", "status", "action"),
    [
        ("serve", "served", "ticket.serve"),
        ("no_show", "no_show", "ticket.no_show"),
    ],
)
def test_busy_finish_is_retried_once(
    finish: str,
    status: str,
    action: str,
    desk: Services,
    clerk: Any,
    holder: Holder,
    retries: list[int],
) -> None:
    ticket_id = _called(desk, clerk)
    holder.hold()
    view = getattr(desk.queue, finish)(ticket_id, clerk.id)
    assert retries == [1]
    assert view.status == status
    row = _ticket(desk, ticket_id)
    assert row.status == status
    assert (row.served_at is not None) == (status == "served")
    assert audit_count(desk, action, ticket_id) == 1
    chain_ok(desk)
    # finished once: a second finish is refused (the ticket is no longer called)
    with pytest.raises(RuleViolation) as refused:
        getattr(desk.queue, finish)(ticket_id, clerk.id)
    assert refused.value.key == "queue.not_called"


def test_busy_department_update_is_retried_once(
    desk: Services, holder: Holder, retries: list[int]
) -> None:
    holder.hold()
    view = desk.setup.init_department(DEPT, "Asia/Aqtobe")
    assert retries == [1]
    assert (view.code, view.tz) == (DEPT, "Asia/Aqtobe")
    assert audit_count(desk, "department.update", DEPT) == 1
    chain_ok(desk)


def test_busy_department_addition_is_retried_once(
    desk: Services, holder: Holder, retries: list[int]
) -> None:
    assert desk.department_code() == DEPT  # a desk at work: its only Department
    holder.hold()
    view = desk.setup.init_department(OTHER_DEPT)
    assert retries == [1]
    # issue 15, item 2: another Department is added, this desk still serves its own
    assert view.code == OTHER_DEPT and desk.department_code() == DEPT
    assert audit_count(desk, "department.init", OTHER_DEPT) == 1
    with Session(desk.engine) as s:
        codes = sorted(d.code for d in s.exec(select(Department)).all())
        setting = s.get(Setting, "department_code")
    assert codes == sorted([DEPT, OTHER_DEPT])  # one new row, not two
    assert setting is None  # no database-wide "current Department" is written any more
    chain_ok(desk)


@pytest.mark.parametrize("write", ["serve", "no_show", "init_department"])
def test_a_lock_held_throughout_gives_busy_and_changes_nothing(
    write: str,
    desk: Services,
    clerk: Any,
    holder: Holder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticket_id = _called(desk, clerk)
    before = snapshot(desk.engine)
    seen: list[int] = []
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: seen.append(a))
    holder.hold()
    with pytest.raises(StorageError) as err:
        if write == "init_department":
            desk.setup.init_department(OTHER_DEPT)
        else:
            getattr(desk.queue, write)(ticket_id, clerk.id)
    assert err.value.key == "safety.busy"
    assert seen == [1, 2]  # three attempts in all
    holder.release()
    assert snapshot(desk.engine) == before
    assert desk.queue.get(ticket_id).status == "called"
