"""Point 6: a message not applied is listed on both desks. The receiver keeps it and, in
its next bundle, tells the sender (``exchange.problem``: the message's id, kind, case
number and the problem's key); the sender lists it with what to do on its side. Either desk
marks its entry dealt with, and the list empties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.conftest import DEPT
from tests.exchange.conftest import Desk, forwarded, outbox_rows


def _decision_meets_a_corrected_file(dept: Desk, region: Desk, tmp_path: Path) -> str:
    """The region decides; meanwhile the Department typed the paper decision in."""
    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "up.mssx")
    region.exchange.import_bundle(tmp_path / "up.mssx")
    region.region.decide(a, referral_no="R-1", institution="МӘМ")
    dept.services.lifecycle.decide(a, dept.clerk.id, "refusal", reason="қағаз бойынша")
    region.exchange.export(DEPT, tmp_path / "down.mssx")
    got = dept.exchange.import_bundle(tmp_path / "down.mssx")
    assert [p["problem"] for p in got.problems] == ["exchange.problem.case_changed"]
    return a


def test_the_receiver_tells_the_sender_and_both_list_the_problem(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    from mss_desk.exchange.service import problem_text_key

    a = _decision_meets_a_corrected_file(dept, region, tmp_path)
    [notice] = [r for r in outbox_rows(dept) if r.kind == "exchange.problem"]
    payload = json.loads(notice.payload)
    decided = [r for r in outbox_rows(region) if r.kind == "case.decided"][0]
    assert payload == {"message": decided.id, "kind": "case.decided", "case_no": a,
                       "problem": "exchange.problem.case_changed"}  # fmt: skip
    assert (notice.to_code, notice.case_no) == (0, a)
    # the Department's own list: what happened here
    [here] = dept.exchange.overview().problems
    assert (here.reported, problem_text_key(here)) == (False, "exchange.problem.case_changed")

    assert dept.exchange.export(0, tmp_path / "up2.mssx").messages == 1
    got = region.exchange.import_bundle(tmp_path / "up2.mssx")
    assert got.applied == 0
    assert got.problems == [
        {"message": notice.id, "kind": "exchange.problem", "case_no": a,
         "problem": "exchange.problem.case_changed", "reported": True}
    ]  # fmt: skip
    # ... and the region's: the sender's side, with what to do there
    view = region.exchange.overview()
    [there] = view.problems
    assert (there.reported, there.about_kind, there.case_no, there.from_code) == (
        True, "case.decided", a, DEPT,
    )  # fmt: skip
    assert problem_text_key(there) == "exchange.reported.case_changed"
    assert view.counts.problems == 1
    # a notice is never answered with a notice: nothing goes back to the Department
    assert [r.kind for r in outbox_rows(region) if r.kind == "exchange.problem"] == []
    # replayed: the notice is listed once
    again = region.exchange.import_bundle(tmp_path / "up2.mssx")
    assert (again.applied, again.already_had, again.problems) == (0, 1, [])
    assert len(region.exchange.overview().problems) == 1


def test_a_correction_for_a_decided_file_is_listed_at_the_department_too(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    from mss_desk.exchange.service import problem_text_key

    [a] = forwarded(dept)
    dept.exchange.export(0, tmp_path / "d1.mssx")
    region.exchange.import_bundle(tmp_path / "d1.mssx")
    region.region.decide(a, refusal="not_eligible", reason="6-тармақ")
    dept.services.lifecycle.return_for_correction(a, dept.clerk.id, "қолы жоқ")
    dept.services.lifecycle.forward([a], dept.clerk.id)
    dept.exchange.export(0, tmp_path / "d2.mssx")
    got = region.exchange.import_bundle(tmp_path / "d2.mssx")
    assert [p["problem"] for p in got.problems] == ["exchange.problem.already_decided"]
    region.exchange.export(DEPT, tmp_path / "r.mssx")
    back = dept.exchange.import_bundle(tmp_path / "r.mssx")
    reported = [p for p in back.problems if p.get("reported")]
    assert [(p["case_no"], p["problem"]) for p in reported] == [
        (a, "exchange.problem.already_decided")
    ]
    [listed] = [p for p in dept.exchange.overview().problems if p.reported]
    assert problem_text_key(listed) == "exchange.reported.already_decided"
    assert listed.about_kind == "case.resent"


def test_a_problem_dealt_with_leaves_the_list_on_each_desk(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    from mss_desk.errors import DeskError
    from mss_desk.store.models import AuditEvent, ExchangeInbox

    _decision_meets_a_corrected_file(dept, region, tmp_path)
    dept.exchange.export(0, tmp_path / "up2.mssx")
    region.exchange.import_bundle(tmp_path / "up2.mssx")
    [mine] = dept.exchange.overview().problems
    dept.exchange.resolve(mine.id, dept.clerk.id)
    assert dept.exchange.overview().problems == ()
    assert dept.exchange.counts().problems == 0
    assert len(region.exchange.overview().problems) == 1  # each desk deals with its own
    [theirs] = region.exchange.overview().problems
    region.exchange.resolve(theirs.id)
    assert region.exchange.overview().problems == ()
    with pytest.raises(DeskError) as info:
        region.exchange.resolve(theirs.id)  # twice: nothing open by that id
    assert info.value.key == "exchange.problems.not_found"
    with Session(dept.services.engine) as s:  # the message is kept (nothing lost) ...
        row = s.exec(select(ExchangeInbox).where(ExchangeInbox.id == mine.id)).one()
        assert row.outcome == "dealt_with" and row.payload
        events = s.exec(
            select(AuditEvent).where(AuditEvent.action == "exchange.problem_dealt_with")
        ).all()
        assert [e.actor for e in events] == [str(dept.clerk.id)]  # ... and who dealt with it


def test_every_reported_key_has_its_text_in_every_language() -> None:
    from mss_desk.exchange.service import REPORTED_KEYS
    from mss_desk.i18n import LANGS, messages

    for lang in LANGS:
        table = messages(lang)
        for name in [*REPORTED_KEYS, "unknown"]:
            assert f"exchange.reported.{name}" in table, (lang, name)
        for name in REPORTED_KEYS:
            assert f"exchange.problem.{name}" in table, (lang, name)
