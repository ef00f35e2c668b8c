"""Lifecycle moves and complaints retry a busy write whole, and apply it once.

Same set-up as ``test_busy_retry``: another connection holds SQLite's write lock (BEGIN
IMMEDIATE) and the desk's busy timeout is 50 ms, so the first attempt fails "busy"; the
lock is let go from the service's ``_retrying`` hook, never by sleeping. Each test then
checks the move happened once: one status change, one audit event, one survey row, one
complaint number, and the forwarding register lists each file once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, col, select

from mss_desk.errors import StorageError
from mss_desk.services import Services
from mss_desk.services.base import ServiceBase
from mss_desk.store.models import Case, Complaint, SurveyResponse
from tests.conftest import CLERK_PASSWORD, DEPT, local_dt
from tests.lifecycle.conftest import CaseFactory
from tests.reliability.busy.conftest import Holder, audit_count

# SQLite's write lock (conftest: a 50 ms busy timeout, desk, clerk, locker, retries)
pytestmark = pytest.mark.parametrize("url", ["sqlite"], indirect=True)

DAY = date(2026, 3, 2)
SURVEY = {"2.1": True, "3.1": True, "4.3": None, "4.4": False, "5.1": True}


def _case(desk: Services, case_no: str) -> Case:
    with Session(desk.engine) as s:
        return s.exec(select(Case).where(Case.case_no == case_no)).one()


def _walk(desk: Services, clerk: Any, case_no: str, status: str) -> None:
    """Bring an accepted case to ``status`` (lock not held), each step dated DAY."""
    lc = desk.lifecycle
    steps = ("forwarded", "decided", "result_ready", "delivered")
    for step in steps[: steps.index(status) + 1] if status != "accepted" else ():
        if step == "forwarded":
            lc.forward([case_no], clerk.id, DAY)
        elif step == "decided":
            lc.decide(case_no, clerk.id, "refusal", decided_on=DAY, reason="item 17")
        elif step == "result_ready":
            lc.result_ready(case_no, clerk.id, DAY)
        else:
            lc.deliver(case_no, clerk.id, "post", notice_on=DAY, postal_address="Ақкөл, Абай к. 1")


Move = Callable[[Services, Any, str], Any]

MOVES: dict[str, tuple[str, str, str, Move]] = {
    # name: (status before, status after, audit action, the move)
    "return_for_correction": (
        "forwarded",
        "accepted",
        "case.return_for_correction",
        lambda d, c, no: d.lifecycle.return_for_correction(no, c.id, "no stamp", DAY),
    ),
    "decide": (
        "forwarded",
        "decided",
        "case.decide",
        lambda d, c, no: d.lifecycle.decide(
            no,
            c.id,
            "referral",
            decided_on=DAY,
            referral_no="Ж-17",
            institution_name="Көкшетау қарттар үйі",
            ownership="state",
        ),
    ),
    "result_ready": (
        "decided",
        "result_ready",
        "case.result_ready",
        lambda d, c, no: d.lifecycle.result_ready(no, c.id, DAY),
    ),
    "deliver": (
        "result_ready",
        "delivered",
        "case.deliver",
        lambda d, c, no: d.lifecycle.deliver(
            no, c.id, "post", notice_on=DAY, postal_address="Ақкөл, Абай к. 1", survey=SURVEY
        ),
    ),
    "send_notice": (
        "result_ready",
        "result_ready",
        "case.notice",
        lambda d, c, no: d.lifecycle.send_notice(
            no, c.id, notice_on=DAY, postal_address="Ақкөл, Абай к. 1"
        ),
    ),
    "record_survey": (
        "delivered",
        "delivered",
        "survey.record",
        lambda d, c, no: d.lifecycle.record_survey(no, SURVEY),
    ),
}


@pytest.mark.parametrize("name", sorted(MOVES))
def test_busy_lifecycle_move_is_retried_once(
    name: str, desk: Services, clerk: Any, locker: Holder, retries: list[int]
) -> None:
    before, after, action, move = MOVES[name]
    locker.release()
    no = CaseFactory(desk).case("2026-03-02 09:00", postal_address="Ақкөл, Абай к. 1")
    assert no is not None
    _walk(desk, clerk, no, before)
    done_before = audit_count(desk, action, no)
    locker.hold()
    move(desk, clerk, no)
    assert retries == [1]
    assert _case(desk, no).status == after
    assert audit_count(desk, action, no) == done_before + 1  # applied once
    with Session(desk.engine) as s:
        surveys = s.exec(select(SurveyResponse)).all()
    assert len(surveys) == (1 if name in ("deliver", "record_survey") else 0)


def test_busy_forwarding_batch_is_retried_and_registered_once(
    desk: Services, clerk: Any, locker: Holder, retries: list[int]
) -> None:
    locker.release()
    make = CaseFactory(desk)
    a, b = make.case("2026-03-02 09:00"), make.case("2026-03-02 09:30")
    assert a is not None and b is not None
    locker.hold()
    register = desk.lifecycle.forward([a, b], clerk.id, DAY)
    assert retries == [1]
    assert [(ln.no, ln.case_no) for ln in register.lines] == [(1, a), (2, b)]
    for no in (a, b):
        c = _case(desk, no)
        assert (c.status, c.forwarded_on, c.first_forwarded_on) == ("forwarded", DAY, DAY)
        assert audit_count(desk, "case.forward", no) == 1


def test_busy_safekeeping_is_retried_once(
    desk: Services, clerk: Any, locker: Holder, retries: list[int], clock: Any
) -> None:
    locker.release()
    no = CaseFactory(desk).case("2026-03-02 09:00", postal_address="Ақкөл, Абай к. 1")
    assert no is not None
    _walk(desk, clerk, no, "result_ready")
    clock.set(local_dt("2026-04-20 10:00"))  # past the 30 days to collect (item 18.6)
    locker.hold()
    desk.lifecycle.safekeep(no, clerk.id, "Шкаф 3")
    assert retries == [1]
    c = _case(desk, no)
    assert (c.status, c.safekeeping_location) == ("in_safekeeping", "Шкаф 3")
    assert audit_count(desk, "case.safekeep", no) == 1


def test_busy_complaint_register_is_retried_without_a_gap(
    desk: Services, clerk: Any, locker: Holder, retries: list[int]
) -> None:
    first = desk.complaints.register("Әлиев Марат", "Кезекте 2 сағат", clerk.id)
    assert retries == [1]
    assert first.complaint_no == f"{DEPT:02d}-2026-C0001"  # the failed attempt took no number
    second = desk.complaints.register("Сейітова Әйгерім", "Жауап жоқ", clerk.id)
    assert second.complaint_no == f"{DEPT:02d}-2026-C0002"
    assert audit_count(desk, "complaint.register") == 2


def test_busy_complaint_review_is_retried_once(
    desk: Services, clerk: Any, locker: Holder, retries: list[int]
) -> None:
    locker.release()
    head = desk.clerks.create(DEPT, "head", "Нұрланова", "Гүлнар", CLERK_PASSWORD, "head")
    c = desk.complaints.register("Әлиев Марат", "Кезекте 2 сағат", clerk.id)
    locker.hold()
    answered = desk.complaints.review(
        c.complaint_no,
        head.id,
        justified=True,
        satisfied=False,
        answer_text="Кешірім",
        answered_on=DAY,
    )
    assert retries == [1]
    assert (answered.status, answered.justified, answered.on_time) == ("answered", True, True)
    assert audit_count(desk, "complaint.review", str(c.id)) == 1


def test_a_lock_held_throughout_says_busy_and_moves_nothing(
    desk: Services, clerk: Any, locker: Holder, monkeypatch: pytest.MonkeyPatch
) -> None:
    locker.release()
    no = CaseFactory(desk).case("2026-03-02 09:00")
    assert no is not None
    _walk(desk, clerk, no, "forwarded")
    seen: list[int] = []
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: seen.append(a))
    locker.hold()
    with pytest.raises(StorageError) as err:
        desk.lifecycle.decide(no, clerk.id, "refusal", decided_on=DAY, reason="item 17")
    assert err.value.key == "safety.busy" and seen == [1, 2]  # three attempts in all
    with pytest.raises(StorageError) as err:
        desk.complaints.register("Әлиев Марат", "Кезекте 2 сағат", clerk.id)
    assert err.value.key == "safety.busy"
    locker.release()
    assert _case(desk, no).status == "forwarded"
    assert audit_count(desk, "case.decide", no) == 0
    with Session(desk.engine) as s:
        assert s.exec(select(col(Complaint.id))).all() == []
    # the lock gone, the same moves go through (and the complaint number was not used up)
    desk.lifecycle.decide(no, clerk.id, "refusal", decided_on=DAY, reason="item 17")
    assert _case(desk, no).status == "decided"
    assert desk.complaints.register("Әлиев", "Мәтін", clerk.id).complaint_no.endswith("C0001")
