"""The remaining clerk writes retry a busy write whole, and apply it once.

Intake (draft save/delete, ``mark_received``, ``accept``), the head's entered indicator
(``reports.enter_value``) and the accounts (``clerks.create``, ``set_password``,
``set_active``, ``unlock``, the login bookkeeping in ``authenticate``).

Another connection holds the lock every write needs, and lets it go from the service's
``_retrying`` hook, never by sleeping:

- SQLite: the write lock (BEGIN IMMEDIATE); the desk's busy timeout is 50 ms for the test,
  so the first attempt fails "busy" at its BEGIN, before the body ran;
- PostgreSQL (``MSS_DESK_TEST_POSTGRES``): the audit chain's advisory lock, which every
  audited write takes (and the drafts table, for a draft's unaudited overwrite); the
  desk's ``lock_timeout`` is short for the test, so the first attempt fails (55P03)
  *after* its body changed rows — the failed-login counter already bumped, a clerk
  already inserted, a case number already taken — and those changes must be rolled
  back, not doubled.

Each test then checks the action happened once (one audit event, one row, one number, a
failed login counted once). With the lock held throughout the clerk gets ``safety.busy``
after three attempts and the database is exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, col, select

from mss_desk.errors import AuthError, StorageError
from mss_desk.services import Services
from mss_desk.services import clerks as clerks_mod
from mss_desk.services.base import ServiceBase
from mss_desk.store.models import Case, CaseDocument, Clerk, Setting
from tests.conftest import CLERK_PASSWORD, DEPT, ELDERLY_DOCS
from tests.reliability.busy.conftest import Holder, audit_count, chain_ok, snapshot
from tests.services.test_intake import make_form

NEW_PASSWORD = "battery staple 9"
WRONG = "not the password"


@pytest.fixture
def head(desk: Services) -> Any:
    return desk.clerks.create(DEPT, "head", "Нұрланова", "Гүлнар", CLERK_PASSWORD, "head")


def _clerk_row(desk: Services, clerk_id: int) -> Clerk:
    with Session(desk.engine) as s:
        row = s.get(Clerk, clerk_id)
        assert row is not None
        return row


def _returned(desk: Services, clerk: Any, serial: int = 1) -> int:
    """A file kept as returned_incomplete (only the application received)."""
    r = desk.intake.submit(make_form(serial), {"application"}, clerk.id)
    assert r.outcome == "returned_incomplete" and r.case_id is not None
    return r.case_id


def _complete(desk: Services, clerk: Any, case_id: int) -> None:
    for code in ELDERLY_DOCS[1:]:
        desk.intake.mark_received(case_id, code, clerk_id=clerk.id)


# --- intake -------------------------------------------------------------------------------


def test_busy_new_draft_is_saved_once(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    holder.hold()
    draft_id = desk.intake.save_draft(None, {"surname": "Әлиева", "step": 1}, clerk.id)
    assert retries == [1]
    drafts = desk.intake.load_drafts()
    assert [(d.id, d.data) for d in drafts] == [(draft_id, {"surname": "Әлиева", "step": 1})]
    assert audit_count(desk, "draft.create") == 1
    chain_ok(desk)


def test_busy_draft_overwrite_is_retried(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    draft_id = desk.intake.save_draft(None, {"step": 1}, clerk.id)
    holder.hold()
    assert desk.intake.save_draft(draft_id, {"step": 2}, clerk.id) == draft_id
    assert retries == [1]
    assert desk.intake.load_draft(draft_id).data == {"step": 2}
    assert len(desk.intake.load_drafts()) == 1
    assert audit_count(desk, "draft.create") == 1


def test_busy_draft_delete_is_retried_once(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    keep = desk.intake.save_draft(None, {"step": 1}, clerk.id)
    gone = desk.intake.save_draft(None, {"step": 3}, clerk.id)
    holder.hold()
    desk.intake.delete_draft(gone, clerk.id)
    assert retries == [1]
    assert [d.id for d in desk.intake.load_drafts()] == [keep]
    assert audit_count(desk, "draft.delete", gone) == 1
    chain_ok(desk)


def test_busy_mark_received_is_retried_once(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    case_id = _returned(desk, clerk)
    holder.hold()
    missing = desk.intake.mark_received(case_id, "identity_card", clerk_id=clerk.id)
    assert retries == [1]
    assert "identity_card" not in missing and len(missing) == len(ELDERLY_DOCS) - 2
    with Session(desk.engine) as s:
        case = s.get(Case, case_id)
        assert case is not None and case.missing == ",".join(missing)
        docs = s.exec(
            select(CaseDocument).where(
                CaseDocument.case_id == case_id, CaseDocument.code == "identity_card"
            )
        ).all()
    assert [d.received for d in docs] == [True]
    assert audit_count(desk, "case.document_received", case_id) == 1
    chain_ok(desk)


def test_busy_mark_received_of_an_extra_document_adds_one_row(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    case_id = _returned(desk, clerk)
    holder.hold()
    desk.intake.mark_received(case_id, "council_decision", clerk_id=clerk.id)
    assert retries == [1]
    with Session(desk.engine) as s:
        rows = s.exec(
            select(CaseDocument).where(
                CaseDocument.case_id == case_id, CaseDocument.code == "council_decision"
            )
        ).all()
    assert [(d.required, d.received) for d in rows] == [(False, True)]


def test_busy_accept_is_retried_without_a_gap(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    case_id = _returned(desk, clerk)
    _complete(desk, clerk, case_id)
    holder.hold()
    result = desk.intake.accept(case_id, clerk.id)
    assert retries == [1]
    assert result.accepted and result.case_no == f"{DEPT:02d}-2026-00001"
    assert result.required == ELDERLY_DOCS
    assert desk.cases.get_by_id(case_id).status == "accepted"
    assert audit_count(desk, "case.accept", case_id) == 1
    # the rolled-back attempt gave its number back: the next file gets 00002
    nxt = desk.intake.submit(make_form(2), set(ELDERLY_DOCS), clerk.id)
    assert nxt.case_no == f"{DEPT:02d}-2026-00002"
    chain_ok(desk)


# --- the head's entered indicator ---------------------------------------------------------


def test_busy_entered_indicator_is_retried_once(
    desk: Services, head: Any, holder: Holder, retries: list[int]
) -> None:
    desk.reports.enter_value("3.3", 2026, 40.0, head.id)
    holder.hold()
    desk.reports.enter_value("3.3", 2026, 62.5, head.id)
    assert retries == [1]
    with Session(desk.engine) as s:
        rows = s.exec(select(Setting).where(col(Setting.key).like("indicator:%"))).all()
    assert [(r.key, r.value) for r in rows] == [(f"indicator:{DEPT}:3.3:2026", "62.5")]
    assert audit_count(desk, "indicator.enter") == 2
    chain_ok(desk)


# --- accounts -----------------------------------------------------------------------------


def test_busy_clerk_create_is_retried_once(
    desk: Services, holder: Holder, retries: list[int]
) -> None:
    holder.hold()
    view = desk.clerks.create(DEPT, "marat", "Әлиев", "Марат", CLERK_PASSWORD)
    assert retries == [1]
    assert [c.username for c in desk.clerks.list()] == ["marat"]
    assert audit_count(desk, "clerk.create", view.id) == 1
    assert desk.clerks.authenticate("marat", CLERK_PASSWORD).id == view.id
    chain_ok(desk)


def test_busy_password_change_is_retried_once(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    holder.hold()
    desk.clerks.set_password(clerk.id, NEW_PASSWORD, actor=clerk.id)
    assert retries == [1]
    assert audit_count(desk, "clerk.password", clerk.id) == 1
    assert desk.clerks.authenticate("aigerim", NEW_PASSWORD).id == clerk.id
    with pytest.raises(AuthError):
        desk.clerks.authenticate("aigerim", CLERK_PASSWORD)


def test_busy_disable_and_enable_are_retried_once(
    desk: Services, clerk: Any, head: Any, holder: Holder, retries: list[int]
) -> None:
    holder.hold()
    assert not desk.clerks.set_active(clerk.id, False, actor=head.id).active
    assert retries == [1]
    with pytest.raises(AuthError) as err:
        desk.clerks.authenticate("aigerim", CLERK_PASSWORD)
    assert err.value.key == "clerks.disabled"
    holder.hold()
    assert desk.clerks.set_active(clerk.id, True, actor=head.id).active
    assert retries == [1, 1]
    assert audit_count(desk, "clerk.disable", clerk.id) == 1
    assert audit_count(desk, "clerk.enable", clerk.id) == 1


def test_busy_unlock_is_retried_once(
    desk: Services, clerk: Any, head: Any, holder: Holder, retries: list[int]
) -> None:
    for _ in range(clerks_mod.MAX_FAILURES):
        with pytest.raises(AuthError):
            desk.clerks.authenticate("aigerim", WRONG)
    assert _clerk_row(desk, clerk.id).locked_until is not None
    holder.hold()
    view = desk.clerks.unlock(clerk.id, actor=head.id)
    assert retries == [1]
    assert view.locked_until is None
    assert audit_count(desk, "clerk.unlock", clerk.id) == 1
    assert desk.clerks.authenticate("aigerim", CLERK_PASSWORD).id == clerk.id


def test_busy_login_is_recorded_once_and_resets_the_count(
    desk: Services, clerk: Any, holder: Holder, retries: list[int]
) -> None:
    for _ in range(2):
        with pytest.raises(AuthError):
            desk.clerks.authenticate("aigerim", WRONG)
    assert _clerk_row(desk, clerk.id).failed_attempts == 2
    holder.hold()
    assert desk.clerks.authenticate("aigerim", CLERK_PASSWORD).id == clerk.id
    assert retries == [1]
    assert _clerk_row(desk, clerk.id).failed_attempts == 0
    assert audit_count(desk, "clerk.login", clerk.id) == 1
    chain_ok(desk)


def test_busy_failed_login_counts_once(
    desk: Services, clerk: Any, holder: Holder, retries: list[int], clock: Any
) -> None:
    desk.clerks.lockout_clock = clock  # issue 15, item 12: the lockout's own clock
    holder.hold()
    with pytest.raises(AuthError) as err:
        desk.clerks.authenticate("aigerim", WRONG)
    assert err.value.key == "error.auth"
    assert retries == [1]
    assert _clerk_row(desk, clerk.id).failed_attempts == 1  # not 2
    assert audit_count(desk, "clerk.login_failed", clerk.id) == 1
    # so the lockout still comes at the fifth wrong password, not earlier
    for _ in range(clerks_mod.MAX_FAILURES - 2):
        with pytest.raises(AuthError) as err:
            desk.clerks.authenticate("aigerim", WRONG)
        assert err.value.key == "error.auth"
    assert _clerk_row(desk, clerk.id).failed_attempts == clerks_mod.MAX_FAILURES - 1
    holder.hold()
    with pytest.raises(AuthError) as err:
        desk.clerks.authenticate("aigerim", WRONG)
    assert err.value.key == "clerks.locked"
    assert retries == [1, 1]
    row = _clerk_row(desk, clerk.id)
    assert row.failed_attempts == 0
    assert row.locked_until == clock.now() + clerks_mod.LOCKOUT
    assert audit_count(desk, "clerk.locked", clerk.id) == 1
    assert audit_count(desk, "clerk.login_failed", clerk.id) == clerks_mod.MAX_FAILURES - 1
    chain_ok(desk)


def test_a_locked_account_is_told_so_without_the_write_lock(
    desk: Services, clerk: Any, holder: Holder, monkeypatch: pytest.MonkeyPatch, clock: Any
) -> None:
    desk.clerks.lockout_clock = clock  # issue 15, item 12: the lockout's own clock
    for _ in range(clerks_mod.MAX_FAILURES):
        with pytest.raises(AuthError):
            desk.clerks.authenticate("aigerim", WRONG)
    seen: list[int] = []
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: seen.append(a))
    holder.hold()
    with pytest.raises(AuthError) as err:
        desk.clerks.authenticate("aigerim", CLERK_PASSWORD)
    assert err.value.key == "clerks.locked" and seen == []
    holder.release()
    clock.advance(minutes=16)
    assert desk.clerks.authenticate("aigerim", CLERK_PASSWORD).id == clerk.id


# --- the lock held throughout: "busy", nothing written --------------------------------------

Action = Callable[[Services, Any, Any], Any]


def _prepared_draft(desk: Services, clerk: Any) -> int:
    return desk.intake.save_draft(None, {"step": 1}, clerk.id)


def _complete_file(desk: Services, clerk: Any) -> int:
    case_id = _returned(desk, clerk)
    _complete(desk, clerk, case_id)
    return case_id


def _failures(desk: Services, n: int) -> None:
    for _ in range(n):
        with pytest.raises(AuthError):
            desk.clerks.authenticate("aigerim", WRONG)


def _locked_out(desk: Services, head: Any) -> Any:
    _failures(desk, clerks_mod.MAX_FAILURES)
    return head


# name: (prepare with the lock free -> state, the action under the held lock)
THROUGHOUT: dict[str, tuple[Callable[[Services, Any, Any], Any], Action]] = {
    "save_draft_new": (
        lambda d, c, h: None,
        lambda d, c, s: d.intake.save_draft(None, {"step": 1}, c.id),
    ),
    "save_draft_overwrite": (
        lambda d, c, h: _prepared_draft(d, c),
        lambda d, c, s: d.intake.save_draft(s, {"step": 2}, c.id),
    ),
    "delete_draft": (
        lambda d, c, h: _prepared_draft(d, c),
        lambda d, c, s: d.intake.delete_draft(s, c.id),
    ),
    "mark_received": (
        lambda d, c, h: _returned(d, c),
        lambda d, c, s: d.intake.mark_received(s, "identity_card", clerk_id=c.id),
    ),
    "accept": (
        lambda d, c, h: _complete_file(d, c),
        lambda d, c, s: d.intake.accept(s, c.id),
    ),
    "enter_value": (
        lambda d, c, h: h,
        lambda d, c, s: d.reports.enter_value("3.3", 2026, 50.0, s.id),
    ),
    "create": (
        lambda d, c, h: None,
        lambda d, c, s: d.clerks.create(DEPT, "marat", "Әлиев", "Марат", CLERK_PASSWORD),
    ),
    "set_password": (
        lambda d, c, h: None,
        lambda d, c, s: d.clerks.set_password(c.id, NEW_PASSWORD, actor=c.id),
    ),
    "set_active": (
        lambda d, c, h: h,
        lambda d, c, s: d.clerks.set_active(c.id, False, actor=s.id),
    ),
    "unlock": (
        lambda d, c, h: _locked_out(d, h),
        lambda d, c, s: d.clerks.unlock(c.id, actor=s.id),
    ),
    "login": (
        lambda d, c, h: _failures(d, 2),
        lambda d, c, s: d.clerks.authenticate("aigerim", CLERK_PASSWORD),
    ),
    "failed_login": (
        lambda d, c, h: _failures(d, clerks_mod.MAX_FAILURES - 1),  # this one would lock
        lambda d, c, s: d.clerks.authenticate("aigerim", WRONG),
    ),
}


@pytest.mark.parametrize("name", sorted(THROUGHOUT))
def test_a_lock_held_throughout_says_busy_and_writes_nothing(
    name: str,
    desk: Services,
    clerk: Any,
    head: Any,
    holder: Holder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepare, action = THROUGHOUT[name]
    state = prepare(desk, clerk, head)
    before = snapshot(desk.engine)
    seen: list[int] = []
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: seen.append(a))
    holder.hold()
    with pytest.raises(StorageError) as err:
        action(desk, clerk, state)
    assert err.value.key == "safety.busy" and not isinstance(err.value, AuthError)
    assert seen == [1, 2]  # three attempts in all
    holder.release()
    assert snapshot(desk.engine) == before
    # the lock gone, the same action goes through
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: seen.append(a))
    if name == "failed_login":
        with pytest.raises(AuthError) as auth:
            action(desk, clerk, state)
        assert auth.value.key == "clerks.locked"  # the fifth, not the sixth
    else:
        action(desk, clerk, state)
    assert seen == [1, 2]
    assert snapshot(desk.engine) != before
    chain_ok(desk)
