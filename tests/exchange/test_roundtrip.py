"""Export and import between a Department desk (SQLite) and the regional desk (SQLite,
PostgreSQL): a forwarded file reaches the region, the decision comes back, applied once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.conftest import DEPT
from tests.exchange.conftest import Desk, forwarded


def _outbox(desk: Desk) -> list[Any]:
    from mss_desk.store.models import ExchangeOutbox

    with Session(desk.services.engine) as s:
        return list(s.exec(select(ExchangeOutbox).order_by(ExchangeOutbox.seq)).all())


def _case(desk: Desk, case_no: str) -> Any:
    from mss_desk.store.models import Case

    with Session(desk.services.engine) as s:
        return s.exec(select(Case).where(Case.case_no == case_no)).one()


def test_forward_writes_its_message_in_the_same_transaction(dept: Desk) -> None:
    [case_no] = forwarded(dept)
    [row] = _outbox(dept)
    assert (row.to_code, row.kind, row.case_no, row.seq, row.acked) == (
        0, "case.forwarded", case_no, 1, False,
    )  # fmt: skip
    payload = json.loads(row.payload)
    assert payload["case"]["case_no"] == case_no
    assert payload["case"]["status"] == "forwarded"
    assert payload["applicant"]["surname"] == "Әлиев"
    assert len(payload["checklist"]) == 3
    assert payload["register"]["case_no"] == case_no


def test_a_forward_that_fails_leaves_no_message(dept: Desk) -> None:
    """The outbox row rolls back with the change: a refused batch sends nothing."""
    import pytest

    from mss_desk.errors import DeskError

    good = str(dept.make.case("2026-03-02 09:00")) if dept.make else ""
    with pytest.raises(DeskError):
        dept.services.lifecycle.forward([good, "19-2026-99999"], dept.clerk.id)
    assert _outbox(dept) == []


def test_round_trip_forward_decide_and_back(dept: Desk, region: Desk, tmp_path: Path) -> None:
    a, b = forwarded(dept, 2)
    out = dept.exchange.export(0, tmp_path / "to-region.mssx")
    assert out.messages == 2 and out.bytes == (tmp_path / "to-region.mssx").stat().st_size
    got = region.exchange.import_bundle(tmp_path / "to-region.mssx")
    assert (got.applied, got.already_had, got.problems) == (2, 0, [])
    assert region.region.cases() == [(DEPT, a, "forwarded"), (DEPT, b, "forwarded")]

    region.region.decide(a, referral_no="R-17", institution="Көкшетау МӘМ")
    region.region.decide(b, refusal="untrue", reason="мекенжай сәйкес емес")
    back = region.exchange.export(DEPT, tmp_path / "to-dept.mssx")
    assert back.messages == 4  # two receipts (points 1, 5), two decisions
    res = dept.exchange.import_bundle(tmp_path / "to-dept.mssx")
    assert (res.applied, res.already_had, res.problems) == (4, 0, [])
    ra, rb = _case(dept, a), _case(dept, b)
    assert (ra.status, ra.decision, ra.decision_no) == ("decided", "referral", "R-17")
    assert ra.referral_institution == "Көкшетау МӘМ"
    assert (rb.status, rb.decision, rb.decision_note) == (
        "decided", "refusal", "[untrue] мекенжай сәйкес емес",
    )  # fmt: skip
    # the region's bundle acknowledged the two files: the Department's outbox forgot them
    assert [r.acked for r in _outbox(dept)] == [True, True]
    # ... and the Department's next bundle (no messages) acknowledges the decisions
    empty = dept.exchange.export(0, tmp_path / "ack.mssx")
    assert empty.messages == 0
    assert region.exchange.import_bundle(tmp_path / "ack.mssx").applied == 0
    assert [r.acked for r in _outbox(region)] == [True] * 4
    assert region.exchange.counts().unacknowledged == 0
    # the file goes on at the Department as if typed in: result ready, delivered
    dept.services.lifecycle.result_ready(a, dept.clerk.id)


def test_return_for_correction_and_the_file_sent_again(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "1.mssx")
    region.exchange.import_bundle(tmp_path / "1.mssx")
    region.region.decide(a, return_note="медициналық карта қол қойылмаған")
    region.exchange.export(DEPT, tmp_path / "2.mssx")
    assert dept.exchange.import_bundle(tmp_path / "2.mssx").applied == 2  # receipt, return
    row = dept.services.lifecycle.get(a)
    assert row.status == "accepted" and row.returned_by_region_on is not None
    dept.services.lifecycle.forward([a], dept.clerk.id)
    assert _outbox(dept)[-1].kind == "case.resent"
    dept.exchange.export(0, tmp_path / "3.mssx")
    got = region.exchange.import_bundle(tmp_path / "3.mssx")
    assert (got.applied, got.problems) == (1, [])
    assert region.region.cases() == [(DEPT, a, "forwarded")]


def test_one_bundle_with_two_files_of_one_person_and_a_file_sent_twice(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """A married couple's applicant row is shared; a file forwarded, returned (typed in
    from paper) and forwarded again before the bundle left arrives once, as last sent."""
    from mss_desk.store.models import Applicant, Case, CaseDocument

    assert dept.make is not None
    person = dept.make.applicant("Сәрсенова")
    a = str(dept.make.case("2026-03-02 09:00", applicant_id=person))
    b = str(dept.make.case("2026-03-02 09:30", applicant_id=person, documents=5))
    dept.services.lifecycle.forward([a, b], dept.clerk.id)
    dept.services.lifecycle.return_for_correction(b, dept.clerk.id, "қолы жоқ")
    dept.services.lifecycle.forward([b], dept.clerk.id)
    assert [r.kind for r in _outbox(dept)] == ["case.forwarded", "case.forwarded", "case.resent"]
    dept.exchange.export(0, tmp_path / "b.mssx")
    got = region.exchange.import_bundle(tmp_path / "b.mssx")
    assert (got.applied, got.problems) == (3, [])
    at_region = _case(region, b)
    assert at_region.returned_by_region_note == "қолы жоқ"
    with Session(region.services.engine) as s:
        people = s.exec(select(Applicant)).all()
        cases = s.exec(select(Case)).all()
        docs = s.exec(select(CaseDocument).where(CaseDocument.case_id == at_region.id)).all()
        assert [p.surname for p in people] == ["Сәрсенова"]
        assert sorted(c.case_no or "" for c in cases) == sorted([a, b])
        assert len(docs) == 5


def test_two_departments_and_the_region_each_file_goes_home(
    desk_factory: Any, dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """Issue 14's round with two Department desks: accept → forward → export → import at
    the region → decide → export → import at the Department → result ready → deliver.
    Each Department gets its own decisions only; one's bundle is refused at the other."""
    from mss_desk.errors import DeskError
    from tests.exchange.conftest import OTHER, introduce

    other = desk_factory(OTHER)
    introduce(other, region)
    [a] = forwarded(dept)
    [b] = forwarded(other)
    for desk in (dept, other):
        desk.exchange.export(0, tmp_path / f"{desk.code}-up.mssx")
        assert region.exchange.import_bundle(tmp_path / f"{desk.code}-up.mssx").applied == 1
    assert region.region.cases() == [(OTHER, b, "forwarded"), (DEPT, a, "forwarded")]
    region.region.decide(a, referral_no="R-1", institution="Көкшетау МӘМ")
    region.region.decide(b, refusal="not_eligible", reason="6-тармақ")
    for desk in (dept, other):
        out = region.exchange.export(desk.code, tmp_path / f"{desk.code}-down.mssx")
        assert out.messages == 2  # the receipt and the decision
    with pytest.raises(DeskError) as info:
        other.exchange.import_bundle(tmp_path / f"{DEPT}-down.mssx")
    assert info.value.key == "exchange.not_for_this_desk"
    assert dept.exchange.import_bundle(tmp_path / f"{DEPT}-down.mssx").applied == 2
    assert other.exchange.import_bundle(tmp_path / f"{OTHER}-down.mssx").applied == 2
    assert (_case(dept, a).decision, _case(other, b).decision) == ("referral", "refusal")
    dept.services.lifecycle.result_ready(a, dept.clerk.id)
    dept.services.lifecycle.deliver(a, dept.clerk.id, "post", postal_address="Көкшетау")
    assert _case(dept, a).status == "delivered"
