"""Complaints (items 21-23): register, talon, review by the head only, outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from mss_desk.errors import NotFound, RuleViolation, ValidationError
from mss_desk.paper.data import ComplaintTalonData
from mss_desk.store.models import AuditEvent
from tests.conftest import local_dt


def test_register_numbers_and_answer_deadline(complaints: Any, clerk: Any, make: Any) -> None:
    case_no = make.case()
    a = complaints.register("Әлиев Марат", "Кезекте 2 сағат күттім", clerk.id, case_no=case_no)
    b = complaints.register("Иванова Анна", "Грубость", clerk.id, contact="8 701 000 00 00")
    assert (a.complaint_no, b.complaint_no) == ("19-2026-C0001", "19-2026-C0002")
    assert a.case_no == case_no and b.case_no is None
    assert a.status == "registered" and a.on_time is None
    # Mon 2 March + 15 calendar days = Tue 17 March, a working day
    assert a.registered_on == date(2026, 3, 2)
    assert a.answer_due == date(2026, 3, 17)
    assert [c.complaint_no for c in complaints.list()] == [b.complaint_no, a.complaint_no]


@pytest.mark.parametrize(
    ("registered", "due"),
    [
        ("2026-04-02 10:00", date(2026, 4, 17)),  # Fri: stays
        ("2026-04-03 10:00", date(2026, 4, 20)),  # Sat 18 April -> Mon 20 April
    ],
)
def test_answer_deadline_moves_off_a_weekend(
    complaints: Any, clerk: Any, clock: Any, registered: str, due: date
) -> None:
    clock.set(local_dt(registered))
    assert complaints.register("А", "Б", clerk.id).answer_due == due


def test_register_needs_who_and_what(complaints: Any, clerk: Any) -> None:
    with pytest.raises(ValidationError) as err:
        complaints.register(" ", "text", clerk.id)
    assert err.value.key == "lifecycle.error.complainant"
    with pytest.raises(ValidationError) as err:
        complaints.register("Әлиев", "  ", clerk.id)
    assert err.value.key == "lifecycle.error.complaint_text"
    with pytest.raises(NotFound):
        complaints.register("Әлиев", "text", clerk.id, case_no="19-2026-99999")
    assert complaints.list() == []


def test_only_a_head_reviews(complaints: Any, clerk: Any, head: Any) -> None:
    c = complaints.register("Әлиев", "text", clerk.id)
    with pytest.raises(RuleViolation) as err:
        complaints.review(c.complaint_no, clerk.id, justified=True, satisfied=True)
    assert err.value.key == "lifecycle.error.head_only"
    with pytest.raises(RuleViolation):
        complaints.review(c.complaint_no, 999_999, justified=True, satisfied=True)
    assert complaints.get(c.complaint_no).status == "registered"
    done = complaints.review(
        c.complaint_no, head.id, justified=True, satisfied=True, answer_text="Кешірім сұраймыз"
    )
    assert (done.status, done.justified, done.satisfied, done.reviewed_by) == (
        "answered",
        True,
        True,
        head.id,
    )
    assert done.answered_on == date(2026, 3, 2) and done.on_time is True
    with pytest.raises(RuleViolation) as err:
        complaints.review(c.complaint_no, head.id, justified=False, satisfied=False)
    assert err.value.key == "lifecycle.error.complaint_answered"


def test_outcome_rules_and_on_time(complaints: Any, clerk: Any, head: Any, clock: Any) -> None:
    c = complaints.register("Әлиев", "text", clerk.id)  # due 17 March
    with pytest.raises(ValidationError) as verr:
        complaints.review(c.complaint_no, head.id, justified=False, satisfied=True)
    assert verr.value.key == "lifecycle.error.outcome"
    clock.set(local_dt("2026-03-20 10:00"))
    with pytest.raises(RuleViolation) as err:
        complaints.review(
            c.complaint_no, head.id, justified=True, satisfied=True, answered_on=date(2026, 3, 21)
        )
    assert err.value.key == "lifecycle.error.future_date"
    with pytest.raises(RuleViolation) as err:
        complaints.review(
            c.complaint_no, head.id, justified=True, satisfied=True, answered_on=date(2026, 3, 1)
        )
    assert err.value.key == "lifecycle.error.date_order"
    late = complaints.review(
        c.complaint_no, head.id, justified=True, satisfied=False, answered_on=date(2026, 3, 18)
    )
    assert late.on_time is False
    c2 = complaints.register("Б", "text", clerk.id)  # 20 March: due 4 April (Sat) -> 6 April
    assert c2.answer_due == date(2026, 4, 6)
    assert [x.complaint_no for x in complaints.list("registered")] == [c2.complaint_no]


def test_review_is_audited_without_personal_data(
    complaints: Any, clerk: Any, head: Any, services: Any
) -> None:
    c = complaints.register("Әлиев Марат", "Мәтін", clerk.id)
    complaints.review(c.complaint_no, head.id, justified=False, satisfied=False)
    with Session(services.engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "complaint")).all()
    assert [(e.action, e.actor) for e in events] == [
        ("complaint.register", str(clerk.id)),
        ("complaint.review", str(head.id)),
    ]
    assert all("Әлиев" not in e.detail and "Мәтін" not in e.detail for e in events)


def test_complaint_talon_data(complaints: Any, clerk: Any, head: Any, make: Any) -> None:
    case_no = make.case()
    c = complaints.register("Әлиев Марат", "text", clerk.id, case_no=case_no)
    talon = complaints.talon(c.complaint_no)
    assert isinstance(talon, ComplaintTalonData)
    assert talon.complaint_no == c.complaint_no
    assert talon.answer_due == date(2026, 3, 17)
    assert talon.official_name == "Нұрланова Гүлнар"  # the head: whom to ask (item 23)
    assert talon.official_phone.startswith("8-(7162)")
    assert talon.accepted_by == "Сейітова Әйгерім"
    assert talon.applicant_name == "Әлиев Марат" and talon.case_no == case_no
    assert "Көкшетау" in talon.department.name_kk
