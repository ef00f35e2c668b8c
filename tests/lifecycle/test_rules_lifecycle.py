"""The lifecycle transition table: every legal move, every illegal move, and the dashboard."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mss_desk.errors import RuleViolation
from mss_desk.rules import lifecycle as lc

LEGAL = {
    ("draft", "accept"): "accepted",
    ("draft", "return_incomplete"): "returned_incomplete",
    ("returned_incomplete", "accept"): "accepted",
    ("accepted", "forward"): "forwarded",
    ("forwarded", "return_for_correction"): "accepted",
    ("forwarded", "decide"): "decided",
    ("decided", "result_ready"): "result_ready",
    ("result_ready", "deliver"): "delivered",
    ("result_ready", "safekeep"): "in_safekeeping",
    ("in_safekeeping", "deliver"): "delivered",
}


@pytest.mark.parametrize(("move", "new"), sorted(LEGAL.items()))
def test_legal_moves(move: tuple[str, str], new: str) -> None:
    assert lc.next_status(*move) == new
    assert lc.can(*move)


ILLEGAL = [(s, a) for s in lc.STATUSES for a in lc.ACTIONS if (s, a) not in LEGAL]


def test_the_table_is_exactly_the_expected_one() -> None:
    assert lc.TRANSITIONS == LEGAL
    assert len(ILLEGAL) == len(lc.STATUSES) * len(lc.ACTIONS) - len(LEGAL)


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_illegal_move_is_refused(status: str, action: str) -> None:
    assert not lc.can(status, action)
    with pytest.raises(RuleViolation) as err:
        lc.next_status(status, action)
    assert err.value.key == f"lifecycle.error.{action}"
    assert err.value.params == {"status": status, "action": action}


def test_no_delivery_before_a_decision() -> None:
    for status in ("accepted", "forwarded", "decided"):
        with pytest.raises(RuleViolation):
            lc.next_status(status, "deliver")


def test_terminal_states_have_no_way_out() -> None:
    assert lc.allowed_actions("delivered") == ()
    assert lc.allowed_actions("returned_incomplete") == ("accept",)
    assert lc.allowed_actions("forwarded") == ("return_for_correction", "decide")


def test_unknown_status_and_action() -> None:
    with pytest.raises(RuleViolation) as err:
        lc.next_status("lost", "deliver")
    assert err.value.key == "lifecycle.error.unknown_status"
    with pytest.raises(RuleViolation) as err:
        lc.next_status("accepted", "delete")
    assert err.value.key == "lifecycle.error.unknown_action"


def test_the_table_only_names_known_states() -> None:
    for (status, action), new in lc.TRANSITIONS.items():
        assert status in lc.STATUSES and new in lc.STATUSES and action in lc.ACTIONS


# --- decisions ----------------------------------------------------------------------


def test_referral_needs_number_institution_and_ownership() -> None:
    lc.check_decision("referral", referral_no="17", institution_name="X", ownership="state")
    lc.check_decision("referral", referral_no="17", institution_name="X", ownership="non_state")
    ok = {"referral_no": "1", "institution_name": "X", "ownership": "state"}
    cases = [
        ({**ok, "referral_no": " "}, "referral_no"),
        ({**ok, "institution_name": ""}, "referral_institution"),
        ({**ok, "ownership": "private"}, "referral_ownership"),
    ]
    for kwargs, key in cases:
        with pytest.raises(RuleViolation) as err:
            lc.check_decision("referral", **kwargs)
        assert err.value.key == f"lifecycle.error.{key}"


def test_refusal_needs_a_reason_item_17() -> None:
    lc.check_decision("refusal", reason="incomplete information (item 17)")
    with pytest.raises(RuleViolation) as err:
        lc.check_decision("refusal", reason="  ")
    assert err.value.key == "lifecycle.error.refusal_reason"
    with pytest.raises(RuleViolation) as err:
        lc.check_decision("maybe")
    assert err.value.key == "lifecycle.error.decision_kind"


def test_dates_in_order_and_not_in_the_future() -> None:
    lc.check_not_before(date(2026, 3, 5), date(2026, 3, 5), "decision")
    lc.check_not_before(date(2026, 3, 5), None, "decision")
    with pytest.raises(RuleViolation) as err:
        lc.check_not_before(date(2026, 3, 4), date(2026, 3, 5), "decision")
    assert err.value.key == "lifecycle.error.date_order"
    lc.check_not_future(date(2026, 3, 5), date(2026, 3, 5), "x")
    with pytest.raises(RuleViolation) as err:
        lc.check_not_future(date(2026, 3, 6), date(2026, 3, 5), "x")
    assert err.value.key == "lifecycle.error.future_date"


# --- safekeeping (item 18.6) -----------------------------------------------------


def test_safekeeping_boundary() -> None:
    ready = date(2026, 3, 2)
    assert lc.safekeeping_from(ready, 30) == date(2026, 4, 2)
    assert not lc.due_for_safekeeping(ready, date(2026, 4, 1), 30)  # day 30: still collectable
    assert lc.due_for_safekeeping(ready, date(2026, 4, 2), 30)  # day 31
    assert not lc.due_for_safekeeping(None, date(2027, 1, 1), 30)


# --- waiting list (item 6.1) ------------------------------------------------------


def test_wwii_priority_first_then_forwarding_order() -> None:
    at = datetime(2026, 3, 2, 5, tzinfo=UTC)
    e = [
        lc.WaitingEntry("19-2026-00001", False, date(2026, 3, 2), at),
        lc.WaitingEntry("19-2026-00002", True, date(2026, 3, 9), at),
        lc.WaitingEntry("19-2026-00003", False, date(2026, 3, 1), at),
        lc.WaitingEntry("19-2026-00004", True, date(2026, 3, 3), at),
    ]
    assert [x.case_no[-1] for x in lc.waiting_order(e)] == ["4", "2", "3", "1"]


# --- dashboard -----------------------------------------------------------------------

TODAY = date(2026, 3, 10)


def _case(status: str, **kw: object) -> lc.DeadlineCase:
    base: dict[str, object] = {
        "case_no": "19-2026-00001",
        "status": status,
        "service_due": None,
        "forward_due": None,
        "decision_due": None,
        "binding": "service",
    }
    base.update(kw)
    return lc.DeadlineCase(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("due", "state"),
    [
        (date(2026, 3, 9), "overdue"),
        (date(2026, 3, 10), "today"),
        (date(2026, 3, 11), "soon"),
        (date(2026, 3, 13), "soon"),
        (date(2026, 3, 14), None),
    ],
)
def test_classify_boundaries(due: date, state: str | None) -> None:
    assert lc.classify(due, TODAY) == state


def test_accepted_case_shows_forwarding_and_service_with_service_binding() -> None:
    c = _case("accepted", forward_due=date(2026, 3, 9), service_due=date(2026, 3, 12))
    alerts = lc.deadline_alerts([c], TODAY)
    assert [(a.kind, a.state, a.binding, a.days) for a in alerts] == [
        ("forward", "overdue", False, -1),
        ("service", "soon", True, 2),
    ]


def test_forwarded_case_shows_decision_and_service_binding_is_the_earlier() -> None:
    c = _case(
        "forwarded",
        forward_due=date(2026, 3, 1),  # met: no longer running
        decision_due=date(2026, 3, 10),
        service_due=date(2026, 3, 12),
        binding="decision",
    )
    alerts = lc.deadline_alerts([c], TODAY)
    assert [(a.kind, a.state, a.binding) for a in alerts] == [
        ("decision", "today", True),
        ("service", "soon", False),
    ]


@pytest.mark.parametrize("status", ["result_ready", "delivered", "in_safekeeping", "draft"])
def test_no_running_deadline_once_the_result_is_in(status: str) -> None:
    c = _case(status, service_due=date(2026, 1, 1), forward_due=date(2026, 1, 1))
    assert lc.deadline_alerts([c], TODAY) == []


def test_decided_case_still_owes_the_service_deadline() -> None:
    c = _case("decided", service_due=date(2026, 3, 1), decision_due=date(2026, 3, 1))
    alerts = lc.deadline_alerts([c], TODAY)
    assert [(a.kind, a.state) for a in alerts] == [("service", "overdue")]


def test_alerts_sorted_most_urgent_first_and_counted() -> None:
    cases = [
        _case("accepted", case_no="A", service_due=date(2026, 3, 13)),
        _case("accepted", case_no="B", service_due=date(2026, 3, 10)),
        _case("accepted", case_no="C", service_due=date(2026, 3, 2)),
        _case("accepted", case_no="D", service_due=date(2026, 3, 30)),
        _case("accepted", case_no="E", service_due=date(2026, 3, 2), priority=True),
    ]
    alerts = lc.deadline_alerts(cases, TODAY)
    assert [a.case_no for a in alerts] == ["E", "C", "B", "A"]
    counts = lc.count_alerts(alerts)
    assert (counts.overdue, counts.today, counts.soon, counts.total) == (2, 1, 1, 4)


def test_binding_only_counts() -> None:
    c = _case("accepted", forward_due=date(2026, 3, 9), service_due=date(2026, 3, 9))
    alerts = lc.deadline_alerts([c], TODAY)
    assert lc.count_alerts(alerts).overdue == 2
    assert lc.count_alerts(alerts, binding_only=True).overdue == 1
