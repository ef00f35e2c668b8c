"""Point 1 and 5: the region records receipt as it imports a file and tells the Department
(``case.received``, in the import's transaction); the Department's card then says "at the
region since DATE". Applied once; a receipt arriving late never moves a file back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from tests.conftest import DEPT
from tests.exchange.conftest import Desk, case_row, forwarded, outbox_rows


def _where(desk: Desk, case_no: str) -> tuple[str, Any]:
    d = desk.services.cases.get(case_no)
    return d.exchange_state, d.exchange_since


def test_the_region_records_receipt_and_writes_it_for_the_department(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    a, b = forwarded(dept, 2)
    dept.exchange.export(0, tmp_path / "up.mssx")
    got = region.exchange.import_bundle(tmp_path / "up.mssx")
    assert (got.applied, got.problems) == (2, [])
    today = region.exchange.today()
    assert case_row(region, a).received_by_region_on == today
    assert case_row(region, a).status == "forwarded"  # open at the region (apply._REGION_OPEN)
    rows = outbox_rows(region)
    assert [(r.kind, r.case_no, r.to_code, r.seq) for r in rows] == [
        ("case.received", a, DEPT, 1), ("case.received", b, DEPT, 2),
    ]  # fmt: skip
    payload = json.loads(rows[0].payload)
    assert payload["on"] == today.isoformat()
    assert payload["forwarded_on"] == case_row(dept, a).forwarded_on.isoformat()
    # the region's own card: the receipt is no file in transit
    from mss_desk.exchange.whereabouts import whereabouts

    with Session(region.services.engine) as s:
        w = whereabouts(s, a, "forwarded", None, today)
    assert (w.state, w.since) == ("at_region", today)


def test_the_department_card_says_at_the_region_since_the_day(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    [a] = forwarded(dept)
    assert _where(dept, a)[0] == "in_transit"
    dept.exchange.export(0, tmp_path / "up.mssx")
    region.exchange.import_bundle(tmp_path / "up.mssx")
    assert region.exchange.export(DEPT, tmp_path / "down.mssx").messages == 1
    got = dept.exchange.import_bundle(tmp_path / "down.mssx")
    assert (got.applied, got.problems) == (1, [])
    day = region.exchange.today()
    assert _where(dept, a) == ("at_region", day)
    assert case_row(dept, a).status == "forwarded"
    # applied once: the same bundle again changes nothing
    again = dept.exchange.import_bundle(tmp_path / "down.mssx")
    assert (again.applied, again.already_had) == (0, 1)
    assert _where(dept, a) == ("at_region", day)


def test_a_receipt_after_the_decision_does_not_go_back(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """The receipt's bundle is lost; the decision's bundle (which carries the receipt too)
    arrives, then the old stick with the receipt alone: the file stays decided."""
    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "up.mssx")
    region.exchange.import_bundle(tmp_path / "up.mssx")
    region.exchange.export(DEPT, tmp_path / "receipt-only.mssx")
    region.region.decide(a, referral_no="R-5", institution="Көкшетау МӘМ")
    assert region.exchange.export(DEPT, tmp_path / "both.mssx").messages == 2
    got = dept.exchange.import_bundle(tmp_path / "both.mssx")
    assert (got.applied, got.problems) == (2, [])
    assert case_row(dept, a).status == "decided"
    old = dept.exchange.import_bundle(tmp_path / "receipt-only.mssx")
    assert (old.applied, old.already_had, old.problems) == (0, 1, [])
    assert case_row(dept, a).status == "decided"
    assert _where(dept, a)[0] == "decided"


def test_a_receipt_of_an_earlier_forwarding_changes_nothing(dept: Desk, region: Desk) -> None:
    """A receipt whose forwarding date is not the file's (a decision, or a return and a new
    forwarding came first): applied as a no-op, never a problem, never backwards."""
    from mss_desk.exchange.apply import apply_message

    [a] = forwarded(dept)
    payload = {"case_no": a, "forwarded_on": "2020-01-01", "on": "2026-03-03"}
    message = {"id": "00000000-0000-4000-8000-0000000000aa", "kind": "case.received",
               "payload": payload}  # fmt: skip
    with Session(dept.services.engine) as s:
        assert apply_message(s, dept.services, DEPT, 0, message) is None
        s.commit()
    assert case_row(dept, a).received_by_region_on is None
    assert _where(dept, a)[0] == "in_transit"


def test_returned_and_sent_again_is_received_anew(
    dept: Desk, region: Desk, tmp_path: Path, clock: Any
) -> None:
    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "1.mssx")
    region.exchange.import_bundle(tmp_path / "1.mssx")
    region.region.decide(a, return_note="медициналық карта қол қойылмаған")
    region.exchange.export(DEPT, tmp_path / "2.mssx")
    assert dept.exchange.import_bundle(tmp_path / "2.mssx").applied == 2
    assert case_row(dept, a).received_by_region_on is None  # the return clears the receipt
    assert _where(dept, a)[0] == "at_department"
    dept.services.lifecycle.forward([a], dept.clerk.id)
    assert _where(dept, a)[0] == "in_transit"
    dept.exchange.export(0, tmp_path / "3.mssx")
    assert region.exchange.import_bundle(tmp_path / "3.mssx").applied == 1
    region.exchange.export(DEPT, tmp_path / "4.mssx")
    assert dept.exchange.import_bundle(tmp_path / "4.mssx").applied == 1
    assert _where(dept, a) == ("at_region", region.exchange.today())
    assert isinstance(_where(dept, a)[1], date)
