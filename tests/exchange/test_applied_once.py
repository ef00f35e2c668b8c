"""Applied once, whole or not at all: a replayed bundle, bundles out of order, an old bundle
after a newer one change nothing twice and lose nothing; an import killed halfway applies
nothing; acknowledgements make the sender's outbox forget, and only they do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from tests.conftest import DEPT
from tests.exchange.conftest import Desk, case_row, forwarded


def _count(desk: Desk, model: Any) -> int:
    with Session(desk.services.engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def _audit_actions(desk: Desk, action: str) -> int:
    from mss_desk.store.models import AuditEvent

    with Session(desk.services.engine) as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.action == action)).all()
        return len(rows)


def test_the_same_bundle_twice_applies_nothing_twice(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    from mss_desk.store.models import Applicant, Case, CaseDocument

    forwarded(dept, 2)
    path = tmp_path / "b.mssx"
    dept.exchange.export(0, path)
    first = region.exchange.import_bundle(path)
    counts = [_count(region, m) for m in (Case, Applicant, CaseDocument)]
    again = region.exchange.import_bundle(path)
    assert (first.applied, first.already_had) == (2, 0)
    assert (again.applied, again.already_had, again.problems) == (0, 2, [])
    assert [_count(region, m) for m in (Case, Applicant, CaseDocument)] == counts
    assert _audit_actions(region, "exchange.file_received") == 2


def test_bundles_out_of_order_and_an_old_one_after_a_newer(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """Bundle 1 carries file A; bundle 2 (nothing acknowledged yet) carries A and B.
    Imported 2 then 1: A and B once each. Then the region decides A, and bundle 1 comes
    once more (found on an old stick): the decision stands."""
    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "1.mssx")
    [b] = forwarded(dept)
    assert dept.exchange.export(0, tmp_path / "2.mssx").messages == 2
    assert region.exchange.import_bundle(tmp_path / "2.mssx").applied == 2
    late = region.exchange.import_bundle(tmp_path / "1.mssx")
    assert (late.applied, late.already_had) == (0, 1)
    region.region.decide(a, refusal="incomplete", reason="5-құжат жоқ")
    old = region.exchange.import_bundle(tmp_path / "1.mssx")
    assert (old.applied, old.already_had, old.problems) == (0, 1, [])
    assert case_row(region, a).status == "decided"
    assert case_row(region, b).status == "forwarded"


def test_a_lost_stick_is_fixed_by_exporting_again(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "lost.mssx")  # never arrives
    again = dept.exchange.export(0, tmp_path / "again.mssx")
    assert again.messages == 1
    assert region.exchange.import_bundle(tmp_path / "again.mssx").applied == 1
    assert region.region.cases() == [(DEPT, a, "forwarded")]


def test_an_import_killed_halfway_applies_nothing(
    dept: Desk, region: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mss_desk.exchange.service import ExchangeService
    from mss_desk.store.models import (
        Applicant,
        AuditEvent,
        Case,
        CaseDocument,
        ExchangeInbox,
        ExchangeOutbox,
    )

    forwarded(dept, 3)
    path = tmp_path / "b.mssx"
    dept.exchange.export(0, path)
    region_outbox = _count(region, ExchangeOutbox)
    tables = (Case, Applicant, CaseDocument, ExchangeInbox, AuditEvent)
    before = [_count(region, m) for m in tables]
    real = ExchangeService._apply
    calls: list[str] = []

    def dies_on_the_third(self: Any, session: Any, own: int, sender: int, m: Any) -> Any:
        calls.append(m["id"])
        if len(calls) == 3:
            raise KeyboardInterrupt  # the power cut, the clerk's Ctrl+C
        return real(self, session, own, sender, m)

    monkeypatch.setattr(ExchangeService, "_apply", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        region.exchange.import_bundle(path)
    assert len(calls) == 3  # two messages were applied inside the transaction ...
    assert [_count(region, m) for m in tables] == before  # ... and none of it stayed
    assert _count(region, ExchangeOutbox) == region_outbox
    monkeypatch.setattr(ExchangeService, "_apply", real)
    done = region.exchange.import_bundle(path)
    assert (done.applied, done.already_had) == (3, 0)


def test_acknowledgements_clear_the_outbox_and_an_older_one_brings_nothing_back(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    from mss_desk.store.models import ExchangeOutbox

    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "d1.mssx")
    region.exchange.export(DEPT, tmp_path / "r0.mssx")  # before the region had anything
    region.exchange.import_bundle(tmp_path / "d1.mssx")
    region.exchange.export(DEPT, tmp_path / "r1.mssx")  # acknowledges file A
    assert dept.exchange.counts().unacknowledged == 1
    dept.exchange.import_bundle(tmp_path / "r0.mssx")  # acknowledges nothing
    assert dept.exchange.counts().unacknowledged == 1
    dept.exchange.import_bundle(tmp_path / "r1.mssx")
    assert dept.exchange.counts().unacknowledged == 0
    dept.exchange.import_bundle(tmp_path / "r0.mssx")  # an old stick: nothing comes back
    assert dept.exchange.counts().unacknowledged == 0
    assert dept.exchange.export(0, tmp_path / "d2.mssx").messages == 0
    with Session(dept.services.engine) as s:
        row = s.exec(select(ExchangeOutbox)).one()
    assert row.acked and row.acked_at is not None and row.case_no == a


def test_a_receiver_put_back_from_a_backup_gets_what_it_lost_again(
    dept: Desk, region: Desk, tmp_path: Path, clock: Any
) -> None:
    """Point 6, nothing lost: the region acknowledged file A, then lost it (its database
    put back from a backup: received nothing from 19, as the emptied rows below say). Its
    next bundle, made later, acknowledges less: the Department takes A back into its
    outbox and sends it again; the old stick that had acknowledged A changes nothing now
    (migration 0017: the newest bundle seen per desk)."""
    from mss_desk.store.models import ExchangeInbox, ExchangePeer

    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "d1.mssx")
    region.exchange.import_bundle(tmp_path / "d1.mssx")
    region.exchange.export(DEPT, tmp_path / "r1.mssx")  # acknowledges A (and its receipt)
    dept.exchange.import_bundle(tmp_path / "r1.mssx")
    assert dept.exchange.counts().unacknowledged == 0
    # the region's disk fails; last night's backup had received nothing of 19's (its
    # inbox and how far 19's messages arrived; the file itself the import would replace)
    with Session(region.services.engine) as s:
        for row in s.exec(select(ExchangeInbox)).all():
            s.delete(row)
        peer = s.get(ExchangePeer, DEPT)
        assert peer is not None
        peer.received_upto = 0
        s.add(peer)
        s.commit()
    clock.advance(hours=2)
    region.exchange.export(DEPT, tmp_path / "r2.mssx")  # made later, acknowledges 0
    dept.exchange.import_bundle(tmp_path / "r2.mssx")
    assert dept.exchange.counts().unacknowledged == 1  # A is back in the outbox
    assert _audit_detail(dept, "exchange.import")[-1].endswith("lost_at_peer=1")
    dept.exchange.import_bundle(tmp_path / "r1.mssx")  # the old stick: older, forgets nothing
    assert dept.exchange.counts().unacknowledged == 1
    assert dept.exchange.export(0, tmp_path / "d2.mssx").messages == 1
    got = region.exchange.import_bundle(tmp_path / "d2.mssx")
    assert got.applied == 1 and case_row(region, a).status == "forwarded"
    clock.advance(hours=1)
    region.exchange.export(DEPT, tmp_path / "r3.mssx")
    dept.exchange.import_bundle(tmp_path / "r3.mssx")
    assert dept.exchange.counts().unacknowledged == 0


def _audit_detail(desk: Desk, action: str) -> list[str]:
    from mss_desk.store.models import AuditEvent

    with Session(desk.services.engine) as s:
        rows = s.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        ).all()
        return [r.detail for r in rows]


def test_a_decision_for_a_file_the_department_changed_is_a_problem_not_an_overwrite(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """The clerk typed the paper decision in before the bundle came: the region's message
    is kept and listed, the Department's record is not overwritten."""
    from mss_desk.store.models import ExchangeInbox

    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "d.mssx")
    region.exchange.import_bundle(tmp_path / "d.mssx")
    region.region.decide(a, referral_no="R-1", institution="МӘМ")
    dept.services.lifecycle.decide(a, dept.clerk.id, "refusal", reason="қағаз бойынша")
    region.exchange.export(DEPT, tmp_path / "r.mssx")
    got = dept.exchange.import_bundle(tmp_path / "r.mssx")
    assert got.applied == 1  # the receipt (a no-op: the file is decided here)
    assert [(p["case_no"], p["problem"]) for p in got.problems] == [
        (a, "exchange.problem.case_changed")
    ]
    assert case_row(dept, a).decision == "refusal"
    assert dept.exchange.counts().problems == 1
    with Session(dept.services.engine) as s:
        kept = s.exec(select(ExchangeInbox).where(ExchangeInbox.outcome == "problem")).one()
    assert kept.payload and "R-1" in kept.payload  # nothing received is lost
    # the problem is still acknowledged (it is listed here, not re-sent forever)
    dept.exchange.export(0, tmp_path / "ack.mssx")
    region.exchange.import_bundle(tmp_path / "ack.mssx")
    assert region.exchange.counts().unacknowledged == 0
    assert region.exchange.counts().problems == 1  # ... and told: listed there too (point 6)


def test_a_file_sent_again_after_the_region_decided_is_a_problem(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "d1.mssx")
    region.exchange.import_bundle(tmp_path / "d1.mssx")
    region.region.decide(a, refusal="not_eligible", reason="6-тармақ")
    # at the Department a return was typed in from paper, the file corrected and re-sent
    dept.services.lifecycle.return_for_correction(a, dept.clerk.id, "қолы жоқ")
    dept.services.lifecycle.forward([a], dept.clerk.id)
    dept.exchange.export(0, tmp_path / "d2.mssx")
    got = region.exchange.import_bundle(tmp_path / "d2.mssx")
    assert [p["problem"] for p in got.problems] == ["exchange.problem.already_decided"]
    assert case_row(region, a).decision == "refusal"  # the region's decision stands


def test_a_number_used_again_by_a_restored_sender_is_listed_never_dropped(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """The Department's database was put back from last week's backup: its next message to
    the region takes number 1 again. It is not "already had": it is kept and listed."""
    from mss_desk.exchange import bundle

    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "1.mssx")
    region.exchange.import_bundle(tmp_path / "1.mssx")
    body = {
        "format": bundle.FORMAT, "version": bundle.VERSION, "bundle_id": "x", "from": DEPT,
        "to": 0, "created_at": "2026-03-09T05:00:00+00:00", "ack_upto": 0,
        "messages": [{"id": "00000000-0000-4000-8000-000000000001", "seq": 1,
                      "kind": "case.forwarded", "case_no": "19-2026-77777",
                      "created_at": "2026-03-09T05:00:00+00:00", "payload": {}}],
    }  # fmt: skip
    (tmp_path / "2.mssx").write_bytes(
        bundle.seal(body, dept.exchange.keys(), DEPT, region.exchange.keys().public)
    )
    got = region.exchange.import_bundle(tmp_path / "2.mssx")
    assert (got.applied, got.already_had) == (0, 0)
    assert [p["problem"] for p in got.problems] == ["exchange.problem.seq_reused"]
    assert region.region.cases() == [(DEPT, a, "forwarded")]
    assert region.exchange.counts().problems == 1  # kept, with its payload
    again = region.exchange.import_bundle(tmp_path / "2.mssx")
    assert (again.applied, again.already_had, again.problems) == (0, 1, [])
