"""Complaints at the Regional Department (item 22; issue 14, points 1, 3 and 5).

A complaint about a Department registered at the region (with its talon) reaches the
Department; a Department's answered complaint escalated to the region is the second
instance, answered by the regional head only; both answers come back. The regional desk
runs on SQLite and, with MSS_DESK_TEST_POSTGRES, PostgreSQL; the Department on SQLite.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from mss_desk.errors import DeskError, RuleViolation, ValidationError
from tests.conftest import CLERK_PASSWORD, DEPT
from tests.exchange.conftest import OTHER, Desk, outbox_rows


def _region_service(desk: Desk) -> Any:
    from mss_desk.exchange.region_complaints import RegionComplaintService

    return RegionComplaintService(desk.services)


def _staff(region: Desk) -> tuple[Any, Any]:
    """The regional desk's clerk and head (issue 14.1)."""
    s = region.services
    clerk = s.clerks.create(0, "oblclerk", "Жұмабаев", "Ерлан", CLERK_PASSWORD, "clerk")
    head = s.clerks.create(0, "oblhead", "Қасымова", "Гүлмира", CLERK_PASSWORD, "head")
    return clerk, head


def _audit(desk: Desk, action: str) -> list[Any]:
    from mss_desk.store.models import AuditEvent

    with Session(desk.services.engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def _answered_complaint(dept: Desk) -> str:
    """A complaint at the Department, answered by its head in the first instance."""
    s = dept.services
    head = s.clerks.create(DEPT, "bastyk", "Серікова", "Айгүл", CLERK_PASSWORD, "head")
    c = s.complaints.register("Әлиев Марат", "Кезекте 2 сағат", dept.clerk.id)
    s.complaints.review(c.complaint_no, head.id, justified=False, satisfied=False,
                        answer_text="Негізсіз")  # fmt: skip
    return str(c.complaint_no)


def _move(src: Desk, dst: Desk, tmp_path: Path, name: str) -> Any:
    path = tmp_path / name
    src.exchange.export(dst.code, path)
    return dst.exchange.import_bundle(path)


# --------------------------------------------------------------------------- at the region


def test_region_registers_a_complaint_about_a_department(region: Desk) -> None:
    clerk, _ = _staff(region)
    svc = _region_service(region)
    c = svc.register(DEPT, "Әлиев Марат", "Жауап бермеді", clerk.id,
                     case_no=f"{DEPT:02d}-2026-00007", contact="+7 701 000 00 00")  # fmt: skip
    assert c.complaint_no == "00-2026-C0001"
    assert (c.department_code, c.at_region, c.status) == (DEPT, True, "registered")
    assert c.case_no == f"{DEPT:02d}-2026-00007"
    assert c.answer_due == date(2026, 3, 17)  # item 23: 15 calendar days (SPEC.md)
    [row] = outbox_rows(region)
    assert (row.to_code, row.kind) == (DEPT, "complaint.registered")
    assert row.case_no == c.complaint_no  # what the exchange's problem list would name
    assert json.loads(row.payload)["complaint_no"] == c.complaint_no
    [event] = _audit(region, "complaint.register")
    assert "Әлиев" not in event.detail and f"about={DEPT}" in event.detail
    [listed] = svc.list()
    assert (listed.instance, listed.days_left, listed.answered) == (1, 15, False)


def test_region_refuses_an_unknown_department_or_anothers_case(region: Desk) -> None:
    clerk, _ = _staff(region)
    svc = _region_service(region)
    with pytest.raises(ValidationError):
        svc.register(42, "Әлиев Марат", "мәтін", clerk.id)
    with pytest.raises(ValidationError):
        svc.register(DEPT, "Әлиев Марат", "мәтін", clerk.id, case_no="07-2026-00001")
    with pytest.raises(ValidationError):
        svc.register(DEPT, "", "мәтін", clerk.id)
    assert svc.list() == [] and outbox_rows(region) == []


def test_a_department_desk_cannot_use_the_regional_service(dept: Desk) -> None:
    with pytest.raises(ValidationError):
        _region_service(dept).register(DEPT, "Әлиев Марат", "мәтін", dept.clerk.id)


def test_region_talon_names_the_regional_department(region: Desk, tmp_path: Path) -> None:
    clerk, head = _staff(region)
    svc = _region_service(region)
    c = svc.register(DEPT, "Әлиев Марат", "Жауап бермеді", clerk.id)
    data = svc.talon(c.complaint_no)
    regional = region.services.catalog.regional
    assert data.answer_place.startswith(regional.name_kk)
    assert data.official_name == f"{head.surname} {head.name}"
    assert data.answer_due == c.answer_due
    svc.print_talon(c.complaint_no, None, out=tmp_path / "talon.pdf", send=False)
    assert (tmp_path / "talon.pdf").read_bytes()[:4] == b"%PDF"


def test_only_the_regional_head_answers(region: Desk) -> None:
    clerk, head = _staff(region)
    svc = _region_service(region)
    c = svc.register(DEPT, "Әлиев Марат", "Жауап бермеді", clerk.id)
    with pytest.raises(RuleViolation) as info:
        svc.review(c.complaint_no, clerk.id, justified=True, satisfied=True, answer_text="Иә")
    assert info.value.key == "region_complaints.error.head_only"
    row = svc.review(c.complaint_no, head.id, justified=True, satisfied=True,
                     answer_text="Қанағаттандырылды")  # fmt: skip
    assert row.answered and row.complaint.status == "answered"
    assert row.complaint.reviewed_by == head.id
    with pytest.raises(RuleViolation):
        svc.review(c.complaint_no, head.id, justified=True, satisfied=True)
    [event] = _audit(region, "complaint.review_region")
    assert event.detail.startswith("instance=1 justified=True satisfied=True on_time=True")
    assert "Қанағат" not in event.detail
    assert [r.kind for r in outbox_rows(region)] == ["complaint.registered", "complaint.answered"]


# --------------------------------------------------------------------------- round trips


def test_registered_at_region_reaches_the_department_and_its_answer_too(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    clerk, head = _staff(region)
    svc = _region_service(region)
    c = svc.register(DEPT, "Әлиев Марат", "Жауап бермеді", clerk.id)
    got = _move(region, dept, tmp_path, "r1.mssx")
    assert (got.applied, got.problems) == (1, [])
    [mine] = dept.services.complaints.list()
    assert (mine.complaint_no, mine.at_region, mine.status) == (c.complaint_no, True, "registered")
    assert mine.complainant == "Әлиев Марат"
    # the Department's head does not answer it: the region does
    dhead = dept.services.clerks.create(DEPT, "bastyk", "Серікова", "Айгүл", CLERK_PASSWORD,
                                        "head")  # fmt: skip
    with pytest.raises(RuleViolation):
        dept.services.complaints.review(c.complaint_no, dhead.id, justified=False,
                                        satisfied=False)  # fmt: skip
    svc.review(c.complaint_no, head.id, justified=True, satisfied=False, answer_text="Ескерту")
    got = _move(region, dept, tmp_path, "r2.mssx")
    assert (got.applied, got.already_had, got.problems) == (1, 1, []) or (
        got.applied, got.problems) == (1, [])  # fmt: skip
    mine = dept.services.complaints.get(c.complaint_no)
    assert (mine.status, mine.justified, mine.satisfied) == ("answered", True, False)
    assert mine.answer_text == "Ескерту"
    # imported again: nothing twice
    again = dept.exchange.import_bundle(tmp_path / "r2.mssx")
    assert again.applied == 0


def test_escalation_round_trip_second_instance(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    clerk, head = _staff(region)
    no = _answered_complaint(dept)
    c = dept.services.complaints.escalate(no, dept.clerk.id)
    assert c.escalated_on == date(2026, 3, 2) and c.second_instance == "escalated"
    assert c.second_due == date(2026, 3, 17)
    [msg] = [r for r in outbox_rows(dept) if r.kind == "complaint.escalated"]
    assert json.loads(msg.payload)["answer_text"] == "Негізсіз"
    with pytest.raises(RuleViolation):  # once only
        dept.services.complaints.escalate(no, dept.clerk.id)

    got = _move(dept, region, tmp_path, "d1.mssx")
    assert (got.applied, got.problems) == (1, [])
    svc = _region_service(region)
    [row] = svc.list()
    assert (row.complaint_no, row.instance, row.department_code) == (no, 2, DEPT)
    assert (row.due, row.days_left) == (date(2026, 3, 17), 15)
    assert row.complaint.answer_text == "Негізсіз"
    with pytest.raises(RuleViolation):
        svc.review(no, clerk.id, justified=True, satisfied=True)
    svc.review(no, head.id, justified=True, satisfied=True, answer_text="Қайта қаралады")

    got = _move(region, dept, tmp_path, "r1.mssx")
    assert (got.applied, got.problems) == (1, [])
    mine = dept.services.complaints.get(no)
    assert mine.second_instance == "answered"
    assert (mine.second_justified, mine.second_satisfied) == (True, True)
    assert mine.second_answer_text == "Қайта қаралады"
    # the first answer is the Department's and stays as it was
    assert (mine.status, mine.justified, mine.answer_text) == ("answered", False, "Негізсіз")


def test_only_an_answered_complaint_is_escalated(dept: Desk) -> None:
    c = dept.services.complaints.register("Әлиев Марат", "Кезекте 2 сағат", dept.clerk.id)
    with pytest.raises(RuleViolation) as info:
        dept.services.complaints.escalate(c.complaint_no, dept.clerk.id)
    assert info.value.key == "region_complaints.error.not_answered"
    assert outbox_rows(dept) == []


def test_an_answer_for_another_departments_complaint_is_a_problem(
    desk_factory: Any, region: Desk, tmp_path: Path
) -> None:
    """The region's answer to a Department-19 complaint, imported by Department 7: a
    problem, nothing written (the bundle is addressed to 19: refused whole)."""
    from tests.exchange.conftest import introduce

    other = desk_factory(OTHER)
    introduce(other, region)
    clerk, _ = _staff(region)
    _region_service(region).register(OTHER, "Әлиев Марат", "мәтін", clerk.id)
    got = _move(region, other, tmp_path, "r7.mssx")
    assert (got.applied, got.problems) == (1, [])
    [c] = other.services.complaints.list()
    assert c.department_code == OTHER


def test_an_escalated_complaint_already_answered_at_region_is_not_overwritten(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    from mss_desk.exchange import apply as applying

    _, head = _staff(region)
    no = _answered_complaint(dept)
    dept.services.complaints.escalate(no, dept.clerk.id)
    _move(dept, region, tmp_path, "d1.mssx")
    _region_service(region).review(no, head.id, justified=False, satisfied=False)
    [msg] = [r for r in outbox_rows(dept) if r.kind == "complaint.escalated"]
    message = {"id": "again", "kind": msg.kind, "payload": json.loads(msg.payload)}
    with Session(region.services.engine) as s:
        problem = applying.apply_message(s, region.services.complaints, 0, DEPT, message)
        s.rollback()
    assert problem == "exchange.problem.complaint_answered"


def test_escalate_is_refused_on_the_regional_desk(region: Desk) -> None:
    with pytest.raises(DeskError):
        region.services.complaints.escalate("00-2026-C0001", None)


def test_the_regions_complaint_is_not_on_the_departments_due_list(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """The Department's dashboard counts the complaints it must answer; one registered at
    the region is the region's to answer (it is listed, read-only, on the complaints
    screen)."""
    clerk, _ = _staff(region)
    _region_service(region).register(DEPT, "Әлиев Марат", "Жауап бермеді", clerk.id)
    _move(region, dept, tmp_path, "r1.mssx")
    dept.services.complaints.register("Серіков Асқар", "Кезек", dept.clerk.id)
    assert len(dept.services.complaints.list()) == 2
    # both due on 17 March: a horizon past it counts the Department's own only
    assert dept.services.lifecycle.dashboard(soon_days=20).complaints_due == 1
