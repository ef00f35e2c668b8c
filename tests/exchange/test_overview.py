"""What the exchange screen and the case card read (issue 14, point 6): per partner desk
"sent, not yet acknowledged" and "received", the problems, and where a file is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import DEPT
from tests.exchange.conftest import Desk, forwarded


def _where(desk: Desk, case_no: str) -> tuple[str, Any]:
    if desk.code == 0:
        from sqlmodel import Session, select

        from mss_desk.exchange.whereabouts import whereabouts
        from mss_desk.store.models import Case

        with Session(desk.services.engine) as s:
            case = s.exec(select(Case).where(Case.case_no == case_no)).one()
            w = whereabouts(s, case.case_no, case.status, case.decided_on)
        return w.state, w.since
    d = desk.services.cases.get(case_no)
    return d.exchange_state, d.exchange_since


def test_counts_per_partner_and_where_the_file_is(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    a, b = forwarded(dept, 2)
    assert _where(dept, a)[0] == "in_transit"
    assert _where(dept, a)[1] is not None  # since when: the message's time
    view = dept.exchange.overview()
    assert [(p.code, p.unacknowledged, p.received) for p in view.partners] == [(0, 2, 0)]
    assert view.partners[0].trusted and view.partners[0].waiting_since is not None
    assert view.counts == dept.exchange.counts()

    dept.exchange.export(0, tmp_path / "up.mssx")
    region.exchange.import_bundle(tmp_path / "up.mssx")
    # the region's two receipts wait for the Department (issue 14, points 1 and 5)
    assert [(p.code, p.unacknowledged, p.received) for p in region.exchange.overview().partners] \
        == [(DEPT, 2, 2)]
    assert _where(region, a)[0] == "at_region"
    # the region decides one and returns the other: both answers wait in its outbox
    region.region.decide(a, refusal="incomplete")
    region.region.decide(b, return_note="the medical card is not signed")
    assert _where(region, a)[0] == "decided"
    assert _where(region, b)[0] == "in_transit"  # back to the Department
    region.exchange.export(DEPT, tmp_path / "down.mssx")
    dept.exchange.import_bundle(tmp_path / "down.mssx")
    # the region's bundle acknowledged the two files: nothing waits at the Department now
    assert [(p.code, p.unacknowledged, p.received) for p in dept.exchange.overview().partners] \
        == [(0, 0, 4)]
    assert _where(dept, a)[0] == "decided"
    assert _where(dept, b)[0] == "at_department"  # returned for correction


def test_acknowledged_is_at_the_region(dept: Desk, region: Desk, tmp_path: Path) -> None:
    (a,) = forwarded(dept)
    dept.exchange.export(0, tmp_path / "up.mssx")
    region.exchange.import_bundle(tmp_path / "up.mssx")
    region.exchange.export(DEPT, tmp_path / "ack.mssx")  # nothing decided: the acknowledgement
    dept.exchange.import_bundle(tmp_path / "ack.mssx")
    assert _where(dept, a) == ("at_region", dept.exchange.today())  # the receipt's day
    assert dept.exchange.overview().partners[0].unacknowledged == 0


def test_a_problem_is_listed_with_its_desk(dept: Desk, region: Desk, tmp_path: Path) -> None:
    (a,) = forwarded(dept)
    dept.exchange.export(0, tmp_path / "up.mssx")
    region.exchange.import_bundle(tmp_path / "up.mssx")
    region.region.decide(a, refusal="untrue")
    # the Department decides from paper meanwhile: the region's decision is a problem there
    dept.services.lifecycle.decide(a, dept.clerk.id, "refusal", reason="item 17")
    region.exchange.export(DEPT, tmp_path / "down.mssx")
    dept.exchange.import_bundle(tmp_path / "down.mssx")
    view = dept.exchange.overview()
    assert [(p.from_code, p.case_no, p.problem) for p in view.problems] == [
        (0, a, "exchange.problem.case_changed")
    ]
    assert view.partners[0].problems == 1 and view.counts.problems == 1
