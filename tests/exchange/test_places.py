"""A place came free (issue 14.2, item 6.1): the regional head records it and the referral
goes to the first file in that institution type's region-wide line — the WWII path first,
then by forwarding date — in one transaction with its freed-place row, its audit event and
its ``case.referral`` message; on SQLite and PostgreSQL (``db_url``), and through a bundle
to the Department."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.conftest import CLERK_PASSWORD, DEPT
from tests.exchange.conftest import OTHER, Desk, case_row, introduce, outbox_rows


def _rows(desk: Desk, model: Any) -> list[Any]:
    with Session(desk.services.engine) as s:
        return list(s.exec(select(model)).all())


def _audit(desk: Desk, action: str) -> list[Any]:
    from mss_desk.store.models import AuditEvent

    return [e for e in _rows(desk, AuditEvent) if e.action == action]


def places(desk: Desk) -> Any:
    from mss_desk.exchange.places import PlacesService

    return PlacesService(desk.services)


def send(desk: Desk, files: list[tuple[str, date, bool, str]]) -> list[str]:
    """Files accepted at ``desk`` (accepted, forwarded on, WWII path, institution type),
    each forwarded on its day."""
    assert desk.make is not None
    out = []
    for accepted, sent, wwii, kind in files:
        case_no = str(desk.make.case(accepted, priority=wwii, wwii=wwii, institution=kind))
        desk.services.lifecycle.forward([case_no], desk.clerk.id, sent)
        out.append(case_no)
    return out


def ship(sender: Desk, receiver: Desk, tmp_path: Path, name: str = "b") -> Any:
    path = tmp_path / f"{name}-{sender.code}-{receiver.code}.mssx"
    sender.exchange.export(receiver.code, path)
    return receiver.exchange.import_bundle(path)


@pytest.fixture
def staff(region: Desk) -> dict[str, Any]:
    """The regional desk's head and one of its clerks."""
    create = region.services.clerks.create
    return {
        "head": create(0, "bastyk", "Жұмабекова", "Гүлнәр", CLERK_PASSWORD, "head"),
        "clerk": create(0, "region", "Оспанова", "Гүлнар", CLERK_PASSWORD, "clerk"),
    }


E, A = "elderly_general", "adult_psychoneuro"


@pytest.fixture
def lines(
    desk_factory: Callable[..., Desk], dept: Desk, region: Desk, tmp_path: Path
) -> dict[str, str]:
    """Two Departments' files at the region. Elderly line: 19's forwarded 10 and 16 Feb,
    7's WWII file forwarded 27 Feb (later, first all the same: item 6.1) and 7's WWII file
    forwarded 2 Mar; adults' line: one file of 19."""
    other = desk_factory(OTHER)
    introduce(other, region)
    a, b, c = send(dept, [
        ("2026-02-09 10:00", date(2026, 2, 10), False, E),
        ("2026-02-16 10:00", date(2026, 2, 16), False, E),
        ("2026-03-02 09:00", date(2026, 3, 2), False, A),
    ])  # fmt: skip
    w1, w2 = send(other, [
        ("2026-02-26 10:00", date(2026, 2, 27), True, E),
        ("2026-03-02 09:30", date(2026, 3, 2), True, E),
    ])  # fmt: skip
    ship(dept, region, tmp_path)
    ship(other, region, tmp_path)
    return {"old": a, "newer": b, "adult": c, "wwii": w1, "wwii_today": w2, "other": other}  # type: ignore[dict-item]


def test_the_referral_goes_to_the_first_in_line_in_one_transaction(
    region: Desk, staff: dict[str, Any], lines: dict[str, Any]
) -> None:
    from mss_desk.store.models import FreedPlace

    head = staff["head"]
    first = places(region).first_in_line(E)
    assert first is not None and first.case_no == lines["wwii"]
    before = len(outbox_rows(region))
    got = places(region).free_place(
        E, institution="Көкшетау МӘМ", referral_no="R-2026-041", head_id=head.id,
        expect=lines["wwii"],
    )  # fmt: skip
    assert (got.case_no, got.department_code, got.referral_no) == (lines["wwii"], OTHER,
                                                                  "R-2026-041")  # fmt: skip
    case = case_row(region, lines["wwii"])
    assert (case.status, case.decision, case.decision_no, case.referral_institution) == (
        "decided", "referral", "R-2026-041", "Көкшетау МӘМ",
    )  # fmt: skip
    assert case.decided_on == date(2026, 3, 2) and case.ownership == "state"
    # the freed place, kept for the head's history
    [place] = _rows(region, FreedPlace)
    assert (place.institution_type, place.institution, place.referral_no, place.head_id,
            place.case_no, place.department_code, place.message_id) == (
        E, "Көкшетау МӘМ", "R-2026-041", head.id, lines["wwii"], OTHER, got.message_id,
    )  # fmt: skip
    assert place.at == region.services.clock.now()
    # its message to the file's Department, stamped with the head and the time
    out = outbox_rows(region)
    assert len(out) == before + 1
    msg = out[-1]
    assert (msg.id, msg.to_code, msg.kind, msg.case_no) == (
        got.message_id, OTHER, "case.referral", lines["wwii"],
    )  # fmt: skip
    payload = json.loads(msg.payload)
    assert payload["clerk_id"] == head.id and payload["decision"] == "referral"
    assert payload["forwarded_on"] == "2026-02-27" and payload["institution_type"] == E
    # audited by the head, with no personal data
    [event] = _audit(region, "case.place_referral")
    assert event.actor == str(head.id) and event.entity_id == lines["wwii"]
    assert f"place={place.id}" in event.detail and "Көкшетау" not in event.detail
    assert "Әлиев" not in event.detail and "Марат" not in event.detail
    # the line moved on: the WWII file of today is next (item 6.1), then the oldest
    assert places(region).first_in_line(E).case_no == lines["wwii_today"]  # type: ignore[union-attr]
    history = places(region).history()
    assert [(h.case_no, h.head, h.sent) for h in history] == [
        (lines["wwii"], "Жұмабекова Гүлнәр", True)
    ]


def test_wwii_first_then_by_forwarding_date_at_the_boundary(
    region: Desk, staff: dict[str, Any], lines: dict[str, Any], clock: Any
) -> None:
    """A WWII file forwarded today goes before a file waiting since 10 February; among
    equals, the earlier forwarding first. Each freed place takes the next in line."""
    head = staff["head"].id
    got = []
    for n in range(4):
        clock.advance(minutes=1)
        got.append(places(region).free_place(
            E, institution="Щучинск МӘМ", referral_no=f"R-{n}", head_id=head).case_no)
    assert got == [lines["wwii"], lines["wwii_today"], lines["old"], lines["newer"]]
    # the adults' line was never touched; the history is newest first
    assert case_row(region, lines["adult"]).status == "forwarded"
    assert [h.case_no for h in places(region).history()] == got[::-1]
    from mss_desk.errors import RuleViolation

    with pytest.raises(RuleViolation) as info:
        places(region).free_place(E, institution="X", referral_no="R-9", head_id=head)
    assert info.value.key == "region.places.empty_line"


def test_a_regional_clerk_is_refused_and_nothing_is_written(
    region: Desk, staff: dict[str, Any], lines: dict[str, Any]
) -> None:
    from mss_desk.errors import DeskError
    from mss_desk.i18n import t
    from mss_desk.store.models import FreedPlace

    before = len(outbox_rows(region))
    with pytest.raises(DeskError) as info:
        places(region).free_place(E, institution="X", referral_no="R-1",
                                  head_id=staff["clerk"].id)  # fmt: skip
    assert info.value.key == "region.places.head_only"
    assert "head of the Regional Department" in t(info.value.key, "en")
    assert case_row(region, lines["wwii"]).status == "forwarded"
    assert _rows(region, FreedPlace) == [] and len(outbox_rows(region)) == before
    assert _audit(region, "case.place_referral") == []
    # a disabled head acts no more (item 11)
    region.services.clerks.set_active(staff["head"].id, False)
    with pytest.raises(DeskError) as off:
        places(region).free_place(E, institution="X", referral_no="R-1",
                                  head_id=staff["head"].id)  # fmt: skip
    assert off.value.key == "clerks.disabled"
    assert _rows(region, FreedPlace) == []


def test_an_empty_line_says_so_and_writes_nothing(
    region: Desk, staff: dict[str, Any], dept: Desk
) -> None:
    from mss_desk.errors import RuleViolation, ValidationError
    from mss_desk.store.models import FreedPlace

    with pytest.raises(RuleViolation) as info:
        places(region).free_place("children_psychoneuro", institution="Балалар үйі",
                                  referral_no="R-1", head_id=staff["head"].id)  # fmt: skip
    assert info.value.key == "region.places.empty_line"
    assert _rows(region, FreedPlace) == [] and outbox_rows(region) == []
    with pytest.raises(ValidationError) as bad:
        places(region).free_place("prison", institution="X", referral_no="R-1",
                                  head_id=staff["head"].id)  # fmt: skip
    assert bad.value.key == "region.places.unknown_type"
    with pytest.raises(RuleViolation):  # item 5: a referral names its number
        places(region).free_place(E, institution="X", referral_no=" ",
                                  head_id=staff["head"].id)  # fmt: skip
    with pytest.raises(ValidationError) as long:
        places(region).free_place(E, institution="X", referral_no="R" * 65,
                                  head_id=staff["head"].id)  # fmt: skip
    assert long.value.key == "region.places.referral_too_long"


def test_only_the_regional_desk_records_a_freed_place(dept: Desk) -> None:
    from mss_desk.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        places(dept).free_place(E, institution="X", referral_no="R-1", head_id=dept.clerk.id)
    assert info.value.key == "exchange.not_regional"


def test_a_line_that_moved_since_the_head_looked_is_not_written(
    region: Desk, staff: dict[str, Any], lines: dict[str, Any]
) -> None:
    from mss_desk.errors import RuleViolation

    head = staff["head"].id
    places(region).free_place(E, institution="X", referral_no="R-1", head_id=head)
    with pytest.raises(RuleViolation) as info:  # a second head was shown the same file
        places(region).free_place(E, institution="Y", referral_no="R-2", head_id=head,
                                  expect=lines["wwii"])  # fmt: skip
    assert info.value.key == "region.places.line_moved"
    assert info.value.params["case"] == lines["wwii_today"]
    assert case_row(region, lines["wwii_today"]).status == "forwarded"


def test_the_referral_reaches_the_department_through_a_bundle(
    region: Desk, staff: dict[str, Any], lines: dict[str, Any], dept: Desk, tmp_path: Path
) -> None:
    """The round trip: the region's ``case.referral`` applied at the Department like a
    referral decision; once; acknowledged back."""
    head = staff["head"].id
    # the adults' line holds one file, of Department 19
    got = places(region).free_place(A, institution="Степногорск ПНИ", referral_no="R-77",
                                    head_id=head, ownership="non_state")  # fmt: skip
    assert got.case_no == lines["adult"] and got.department_code == DEPT
    res = ship(region, dept, tmp_path, "down")
    # the region's receipts of the Department's files in the lines (issue 14.1), and the
    # referral
    receipts = len([lines["old"], lines["newer"], lines["adult"]])  # 19's three files
    assert (res.applied, res.already_had, res.problems) == (receipts + 1, 0, [])
    case = case_row(dept, lines["adult"])
    assert (case.status, case.decision, case.decision_no, case.referral_institution,
            case.ownership) == ("decided", "referral", "R-77", "Степногорск ПНИ",
                                "non_state")  # fmt: skip
    assert case.decided_on == date(2026, 3, 2)
    [event] = [e for e in _audit(dept, "case.decide") if e.entity_id == lines["adult"]]
    assert "kind=place_referral" in event.detail
    # the same bundle again changes nothing
    path = tmp_path / "down-0-19.mssx"
    again = dept.exchange.import_bundle(path)
    assert (again.applied, again.already_had) == (0, receipts + 1)
    # the Department's next bundle acknowledges it: the region's outbox forgets it
    ship(dept, region, tmp_path, "ack")
    assert [r.acked for r in outbox_rows(region) if r.id == got.message_id] == [True]


def test_a_referral_for_a_file_corrected_since_is_a_problem_not_an_overwrite(
    region: Desk, staff: dict[str, Any], dept: Desk, tmp_path: Path, desk_factory: Any
) -> None:
    """No silent overwrite: the Department took the file back meanwhile (it was returned
    and re-forwarded on another day): the referral is listed as a problem, not applied."""
    [case_no] = send(dept, [("2026-02-16 10:00", date(2026, 2, 16), False, E)])
    ship(dept, region, tmp_path, "up")
    places(region).free_place(E, institution="X", referral_no="R-1", head_id=staff["head"].id)
    # meanwhile at the Department the file is no longer as forwarded
    from mss_desk.store.models import Case

    with Session(dept.services.engine) as s:
        c = s.exec(select(Case).where(Case.case_no == case_no)).one()
        c.forwarded_on = date(2026, 2, 20)
        s.add(c)
        s.commit()
    res = ship(region, dept, tmp_path, "down")
    # the receipt only (it changes nothing on a file no longer as forwarded), not the referral
    assert res.applied == 1 and [p["problem"] for p in res.problems] == [
        "exchange.problem.case_changed"
    ]
    assert case_row(dept, case_no).status == "forwarded"


def test_a_damaged_referral_is_a_problem(dept: Desk, region: Desk) -> None:
    from mss_desk.exchange import messages
    from mss_desk.exchange.apply import apply_message

    [case_no] = send(dept, [("2026-02-16 10:00", date(2026, 2, 16), False, E)])
    payload = {"case_no": case_no, "forwarded_on": "2026-02-16", "on": "2026-03-02",
               "decision": "refusal", "referral_no": "", "institution": ""}  # fmt: skip
    with Session(dept.services.engine) as s:
        key = apply_message(s, dept.services.cases, DEPT, 0,
                            {"id": "m1", "kind": messages.REFERRAL, "payload": payload})
        s.rollback()
    assert key == "exchange.problem.bad_payload"
    assert case_row(dept, case_no).status == "forwarded"


def test_a_department_on_the_shared_server_gets_no_message(
    region: Desk, staff: dict[str, Any], lines: dict[str, Any]
) -> None:
    """Issue 14.4: a Department with its own role on the regional PostgreSQL reads the
    decision in its rows at once; nothing waits in the outbox for a bundle."""
    from mss_desk.store.models import DeskRole

    if region.services.engine.dialect.name != "postgresql":
        pytest.skip("a shared server is PostgreSQL")
    with Session(region.services.engine) as s:
        s.add(DeskRole(role_name="dept7", department_code=OTHER,
                       created_at=region.services.clock.now()))  # fmt: skip
        s.commit()
    before = len(outbox_rows(region))
    got = places(region).free_place(E, institution="X", referral_no="R-1",
                                    head_id=staff["head"].id)  # fmt: skip
    assert got.department_code == OTHER and got.message_id is None
    assert len(outbox_rows(region)) == before
    assert case_row(region, got.case_no).status == "decided"
    assert [h.sent for h in places(region).history()] == [False]


def test_no_answer_of_the_region_waits_for_a_bundle_to_a_department_on_the_server(
    region: Desk, staff: dict[str, Any], lines: dict[str, Any]
) -> None:
    """Issue 14.4 and 14.6: the region's decision, its return and its complaint messages
    to a Department that works on the shared server (a role in ``desk_roles``) are read
    there at once; none enters the outbox, where nobody would export it. An offline
    Department (19, no role) still gets its messages."""
    from mss_desk.exchange.region_complaints import RegionComplaintService
    from mss_desk.store.models import DeskRole

    if region.services.engine.dialect.name != "postgresql":
        pytest.skip("a shared server is PostgreSQL")
    with Session(region.services.engine) as s:
        s.add(DeskRole(role_name="dept7", department_code=OTHER,
                       created_at=region.services.clock.now()))  # fmt: skip
        s.commit()
    head = staff["head"].id
    before = len(outbox_rows(region))
    got = region.region.decide(lines["wwii"], refusal="incomplete", clerk_id=head)
    assert (got.status, got.message_id) == ("decided", None)
    got = region.region.decide(lines["wwii_today"], return_note="қолы жоқ", clerk_id=head)
    assert (got.status, got.message_id) == ("accepted", None)
    complaints = RegionComplaintService(region.services)
    c = complaints.register(OTHER, "Әлиев Марат", "Жауап бермеді", head)
    complaints.review(c.complaint_no, head, justified=False, satisfied=False,
                      answer_text="негізсіз")  # fmt: skip
    assert len(outbox_rows(region)) == before
    # the offline Department's file: its decision travels
    got = region.region.decide(lines["old"], refusal="untrue", clerk_id=head)
    assert got.message_id is not None and len(outbox_rows(region)) == before + 1
