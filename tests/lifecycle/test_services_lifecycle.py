"""Forwarding, decision, result, delivery, safekeeping and the dashboard, on the store."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from mss_desk.errors import NotFound, RuleViolation, ValidationError
from mss_desk.store.models import AuditEvent, Case, SurveyResponse
from tests.conftest import local_dt


def _case(services: Any, case_no: str) -> Case:
    with Session(services.engine) as s:
        row = s.exec(select(Case).where(Case.case_no == case_no)).one()
        s.expunge(row)
        return row


def _audit(services: Any, case_no: str) -> list[AuditEvent]:
    with Session(services.engine) as s:
        rows = s.exec(
            select(AuditEvent).where(AuditEvent.entity_id == case_no).order_by(AuditEvent.id)
        ).all()
        return list(rows)


def _to(lifecycle: Any, clerk: Any, case_no: str, status: str, day: date) -> None:
    """Walk a case forward to ``status`` with every step dated ``day``."""
    steps = ["forwarded", "decided", "result_ready"]
    for step in steps[: steps.index(status) + 1]:
        if step == "forwarded":
            lifecycle.forward([case_no], clerk.id, day)
        elif step == "decided":
            lifecycle.decide(
                case_no,
                clerk.id,
                "referral",
                decided_on=day,
                referral_no="Ж-17",
                institution_name="Көкшетау қарттар үйі",
                ownership="state",
            )
        else:
            lifecycle.result_ready(case_no, clerk.id, day)


# --- forwarding (item 5) ------------------------------------------------------------


def test_forward_recalculates_the_decision_and_binding_deadline(
    lifecycle: Any, make: Any, clerk: Any, clock: Any
) -> None:
    # accepted Wed 1 April 2026: service due Thu 16 April (15 calendar days)
    no = make.case("2026-04-01 10:00")
    clock.set(local_dt("2026-04-01 16:00"))
    reg = lifecycle.forward([no], clerk.id, date(2026, 4, 1))
    c = _case(lifecycle.hub, no)
    assert c.status == "forwarded"
    assert c.forwarded_on == c.first_forwarded_on == date(2026, 4, 1)
    assert c.service_due == date(2026, 4, 16)
    # 10 working days counted from the day after: 2,3,6,7,8,9,10,13,14,15 April
    assert c.decision_due == date(2026, 4, 15)
    assert (c.binding, c.binding_due) == ("decision", date(2026, 4, 15))
    assert reg.sent_on == date(2026, 4, 1)
    assert [(ln.no, ln.case_no, ln.documents) for ln in reg.lines] == [(1, no, 3)]
    assert reg.lines[0].applicant_name.startswith("Әлиев")
    ev = _audit(lifecycle.hub, no)[-1]
    assert (ev.action, ev.actor, ev.entity) == ("case.forward", str(clerk.id), "case")
    assert "accepted->forwarded" in ev.detail


def test_forward_a_day_later_leaves_the_service_deadline_binding(
    lifecycle: Any, make: Any, clerk: Any, clock: Any
) -> None:
    no = make.case("2026-04-01 10:00")
    clock.set(local_dt("2026-04-02 16:00"))
    lifecycle.forward([no], clerk.id, date(2026, 4, 2))
    c = _case(lifecycle.hub, no)
    assert c.decision_due == date(2026, 4, 16)  # equal to the service deadline: not earlier
    assert (c.binding, c.binding_due) == ("service", date(2026, 4, 16))


def test_forward_batch_is_all_or_nothing(lifecycle: Any, make: Any, clerk: Any) -> None:
    a = make.case()
    b = make.case()
    lifecycle.forward([b], clerk.id)
    with pytest.raises(RuleViolation) as err:
        lifecycle.forward([a, b], clerk.id)
    assert err.value.key == "lifecycle.error.forward"
    assert _case(lifecycle.hub, a).status == "accepted"


def test_forward_register_lists_each_case_once_in_order(
    lifecycle: Any, make: Any, clerk: Any
) -> None:
    a, b = make.case(), make.case()
    reg = lifecycle.forward([b, a, b, " "], clerk.id)
    assert [(ln.no, ln.case_no) for ln in reg.lines] == [(1, b), (2, a)]


def test_forward_dates_are_checked(lifecycle: Any, make: Any, clerk: Any) -> None:
    no = make.case("2026-03-02 10:00")
    with pytest.raises(RuleViolation) as err:
        lifecycle.forward([no], clerk.id, date(2026, 3, 1))
    assert err.value.key == "lifecycle.error.date_order"
    with pytest.raises(RuleViolation) as err:
        lifecycle.forward([no], clerk.id, date(2026, 3, 3))
    assert err.value.key == "lifecycle.error.future_date"
    with pytest.raises(ValidationError):
        lifecycle.forward([], clerk.id)
    with pytest.raises(NotFound):
        lifecycle.forward(["19-2026-99999"], clerk.id)


def test_to_forward_lists_accepted_cases_nearest_deadline_first(
    lifecycle: Any, make: Any, clerk: Any, clock: Any
) -> None:
    clock.set(local_dt("2026-03-20 10:00"))
    late = make.case("2026-03-10 10:00")
    early = make.case("2026-03-02 10:00")
    sent = make.case("2026-03-02 11:00")
    lifecycle.forward([sent], clerk.id)
    make.case(None)  # returned incomplete: not a file to send
    assert [r.case_no for r in lifecycle.to_forward()] == [early, late]


# --- the Regional Department's answer (item 5, item 17) ------------------------------


def test_return_for_correction_is_recorded_and_the_file_goes_again(
    lifecycle: Any, make: Any, clerk: Any, clock: Any
) -> None:
    no = make.case("2026-04-01 10:00")
    clock.set(local_dt("2026-04-06 10:00"))
    lifecycle.forward([no], clerk.id, date(2026, 4, 1))
    row = lifecycle.return_for_correction(no, clerk.id, "no medical card", date(2026, 4, 3))
    assert row.status == "accepted"
    c = _case(lifecycle.hub, no)
    assert c.returned_by_region_on == date(2026, 4, 3)
    assert c.returned_by_region_note == "no medical card"
    assert (c.forwarded_on, c.decision_due, c.binding) == (None, None, "service")
    lifecycle.forward([no], clerk.id, date(2026, 4, 6))
    c = _case(lifecycle.hub, no)
    assert c.first_forwarded_on == date(2026, 4, 1)
    assert c.forwarded_on == date(2026, 4, 6)
    assert c.returned_by_region_on == date(2026, 4, 3)  # kept for indicator 2.2


def test_return_before_forwarding_is_refused(lifecycle: Any, make: Any, clerk: Any) -> None:
    no = make.case()
    with pytest.raises(RuleViolation) as err:
        lifecycle.return_for_correction(no, clerk.id, "x")
    assert err.value.key == "lifecycle.error.return_for_correction"


def test_referral_records_number_institution_and_ownership(
    lifecycle: Any, make: Any, clerk: Any
) -> None:
    no = make.case()
    lifecycle.forward([no], clerk.id)
    row = lifecycle.decide(
        no,
        clerk.id,
        "referral",
        referral_no="Ж-17",
        institution_name="«Шапағат» МӘМ",
        ownership="non_state",
    )
    assert (row.status, row.decision) == ("decided", "referral")
    c = _case(lifecycle.hub, no)
    assert (c.decision_no, c.referral_institution, c.ownership) == (
        "Ж-17",
        "«Шапағат» МӘМ",
        "non_state",
    )
    assert c.decided_on == date(2026, 3, 2)
    assert _audit(lifecycle.hub, no)[-1].action == "case.decide"


def test_refusal_records_the_reason(lifecycle: Any, make: Any, clerk: Any) -> None:
    no = make.case()
    lifecycle.forward([no], clerk.id)
    lifecycle.decide(no, clerk.id, "refusal", reason="item 17: untrue information")
    c = _case(lifecycle.hub, no)
    assert (c.decision, c.decision_note, c.decision_no) == (
        "refusal",
        "item 17: untrue information",
        None,
    )


def test_decision_needs_a_forwarded_file_and_its_facts(
    lifecycle: Any, make: Any, clerk: Any, clock: Any
) -> None:
    no = make.case()
    with pytest.raises(RuleViolation) as err:
        lifecycle.decide(no, clerk.id, "refusal", reason="x")
    assert err.value.key == "lifecycle.error.decide"
    lifecycle.forward([no], clerk.id)
    with pytest.raises(RuleViolation) as err:
        lifecycle.decide(no, clerk.id, "referral", institution_name="X", ownership="state")
    assert err.value.key == "lifecycle.error.referral_no"
    with pytest.raises(RuleViolation) as err:
        lifecycle.decide(no, clerk.id, "refusal", reason="x", decided_on=date(2026, 3, 1))
    assert err.value.key == "lifecycle.error.date_order"
    assert _case(lifecycle.hub, no).status == "forwarded"


def test_waiting_list_puts_wwii_priority_first(
    lifecycle: Any, make: Any, clerk: Any, clock: Any
) -> None:
    clock.set(local_dt("2026-03-20 10:00"))
    a = make.case("2026-03-02 10:00")
    b = make.case("2026-03-03 10:00", priority=True)
    c = make.case("2026-03-02 09:30")
    d = make.case("2026-03-04 10:00", priority=True)
    lifecycle.forward([a, b, c, d], clerk.id, date(2026, 3, 5))
    assert [r.case_no for r in lifecycle.waiting_list()] == [b, d, c, a]


# --- result and delivery (item 16) ------------------------------------------------------


@pytest.mark.parametrize("status", ["accepted", "forwarded", "decided"])
def test_no_delivery_before_the_result_is_ready(
    lifecycle: Any, make: Any, clerk: Any, services: Any, status: str
) -> None:
    no = make.case()
    if status != "accepted":
        _to(lifecycle, clerk, no, status, date(2026, 3, 2))
    ticket = services.queue.issue("collect")
    with pytest.raises(RuleViolation) as err:
        lifecycle.deliver(no, clerk.id, "in_person", ticket_id=ticket.id)
    assert err.value.key == "lifecycle.error.deliver"
    with pytest.raises(RuleViolation):
        lifecycle.deliver(no, clerk.id, "post", postal_address="Көкшетау")
    assert _case(lifecycle.hub, no).status == status


def test_result_ready_only_after_a_decision(lifecycle: Any, make: Any, clerk: Any) -> None:
    no = make.case()
    lifecycle.forward([no], clerk.id)
    with pytest.raises(RuleViolation) as err:
        lifecycle.result_ready(no, clerk.id)
    assert err.value.key == "lifecycle.error.result_ready"


def test_delivery_in_person_needs_a_collect_ticket(
    lifecycle: Any, make: Any, clerk: Any, services: Any
) -> None:
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    submit = services.queue.issue("submit")
    for ticket_id in (None, submit.id, 999_999):
        with pytest.raises(RuleViolation) as err:
            lifecycle.deliver(no, clerk.id, "in_person", ticket_id=ticket_id)
        assert err.value.key == "lifecycle.error.collect_ticket"
    collect = services.queue.issue("collect")
    row = lifecycle.deliver(no, clerk.id, "in_person", ticket_id=collect.id)
    assert (row.status, row.delivery_method, row.delivered_on) == (
        "delivered",
        "in_person",
        date(2026, 3, 2),
    )
    assert _case(lifecycle.hub, no).delivery_ticket_id == collect.id
    with pytest.raises(RuleViolation):  # delivered is final
        lifecycle.deliver(no, clerk.id, "in_person", ticket_id=collect.id)


def test_delivery_with_yesterdays_ticket_is_refused(
    lifecycle: Any, make: Any, clerk: Any, services: Any, clock: Any
) -> None:
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    old = services.queue.issue("collect")
    clock.set(local_dt("2026-03-03 10:00"))
    with pytest.raises(RuleViolation):
        lifecycle.deliver(no, clerk.id, "in_person", ticket_id=old.id)


def test_delivery_by_postal_notice(lifecycle: Any, make: Any, clerk: Any, clock: Any) -> None:
    no = make.case(postal_address="Ақкөл, Нұрмағамбетов к. 81")
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    clock.set(local_dt("2026-03-05 10:00"))
    with pytest.raises(RuleViolation) as err:  # notice before the result was ready
        lifecycle.deliver(no, clerk.id, "post", notice_on=date(2026, 3, 1))
    assert err.value.key == "lifecycle.error.date_order"
    row = lifecycle.deliver(no, clerk.id, "post", notice_on=date(2026, 3, 4))
    c = _case(lifecycle.hub, no)
    assert row.status == "delivered"
    assert (c.delivery_method, c.postal_notice_on, c.delivered_on) == (
        "post",
        date(2026, 3, 4),
        date(2026, 3, 4),
    )
    assert c.postal_address == "Ақкөл, Нұрмағамбетов к. 81"


def test_delivery_by_post_needs_an_address(lifecycle: Any, make: Any, clerk: Any) -> None:
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    with pytest.raises(ValidationError) as err:
        lifecycle.deliver(no, clerk.id, "post")
    assert err.value.key == "lifecycle.error.postal_address"
    with pytest.raises(ValidationError) as err:
        lifecycle.deliver(no, clerk.id, "pigeon")
    assert err.value.key == "lifecycle.error.delivery_method"


def test_postal_notice_keeps_the_result_waiting_for_collection(
    lifecycle: Any, make: Any, clerk: Any, clock: Any, services: Any
) -> None:
    no = make.case(postal_address="Ақкөл")
    with pytest.raises(RuleViolation):  # nothing to notify about yet
        lifecycle.send_notice(no, clerk.id)
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    assert lifecycle.collect_until(no) == date(2026, 4, 1)  # day 30; safekeeping from day 31
    clock.set(local_dt("2026-03-03 10:00"))
    row = lifecycle.send_notice(no, clerk.id)
    assert (row.status, row.postal_notice_on, row.postal_address) == (
        "result_ready",
        date(2026, 3, 3),
        "Ақкөл",
    )
    assert _audit(services, no)[-1].action == "case.notice"
    ticket = services.queue.issue("collect")
    assert lifecycle.deliver(no, clerk.id, "in_person", ticket_id=ticket.id).status == ("delivered")


def test_postal_notice_needs_an_address(lifecycle: Any, make: Any, clerk: Any) -> None:
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    with pytest.raises(ValidationError) as err:
        lifecycle.send_notice(no, clerk.id)
    assert err.value.key == "lifecycle.error.postal_address"


# --- the survey at delivery (Annex 2) ------------------------------------------------------


def _surveys(services: Any) -> list[SurveyResponse]:
    with Session(services.engine) as s:
        return list(s.exec(select(SurveyResponse)).all())


def test_survey_given_with_the_delivery(
    lifecycle: Any, make: Any, clerk: Any, services: Any
) -> None:
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    ticket = services.queue.issue("collect")
    answers = {"2.1": True, "3.1": False, "5.1": True}
    lifecycle.deliver(no, clerk.id, "in_person", ticket_id=ticket.id, survey=answers)
    [row] = _surveys(services)
    assert (row.q_2_1, row.q_3_1, row.q_4_3, row.q_4_4, row.q_5_1) == (
        True,
        False,
        None,
        None,
        True,
    )
    assert row.day == date(2026, 3, 2)
    with pytest.raises(RuleViolation) as err:
        lifecycle.record_survey(no, {"2.1": False})
    assert err.value.key == "lifecycle.error.surveyed"


def test_skipped_survey_writes_nothing(
    lifecycle: Any, make: Any, clerk: Any, services: Any
) -> None:
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    ticket = services.queue.issue("collect")
    lifecycle.deliver(no, clerk.id, "in_person", ticket_id=ticket.id, survey={"2.1": None})
    assert _surveys(services) == []
    assert lifecycle.record_survey(no, {}) is False
    assert lifecycle.record_survey(no, {"4.4": True}) is True
    with pytest.raises(ValidationError):
        lifecycle.record_survey(no, {"9.9": True})


def test_survey_only_at_delivery(lifecycle: Any, make: Any) -> None:
    no = make.case()
    with pytest.raises(RuleViolation) as err:
        lifecycle.record_survey(no, {"2.1": True})
    assert err.value.key == "lifecycle.error.survey_when"


# --- safekeeping (item 18.6) ----------------------------------------------------------------


def test_safekeeping_after_the_configured_days_never_deleted(
    lifecycle: Any, make: Any, clerk: Any, clock: Any, services: Any
) -> None:
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    clock.set(local_dt("2026-04-01 10:00"))  # day 30 after the result was ready
    assert lifecycle.safekeeping_due() == []
    with pytest.raises(RuleViolation) as err:
        lifecycle.safekeep(no, clerk.id, "Шкаф 3, сөре 2")
    assert (err.value.key, err.value.params["date"]) == (
        "lifecycle.error.safekeeping_early",
        "2026-04-02",
    )
    clock.set(local_dt("2026-04-02 10:00"))  # day 31
    assert [r.case_no for r in lifecycle.safekeeping_due()] == [no]
    with pytest.raises(ValidationError) as verr:
        lifecycle.safekeep(no, clerk.id, "  ")
    assert verr.value.key == "lifecycle.error.storage_place"
    row = lifecycle.safekeep(no, clerk.id, "Шкаф 3, сөре 2")
    assert (row.status, row.safekeeping_on, row.safekeeping_location) == (
        "in_safekeeping",
        date(2026, 4, 2),
        "Шкаф 3, сөре 2",
    )
    assert lifecycle.safekeeping_due() == []
    # still there, and still handed over when the applicant comes
    ticket = services.queue.issue("collect")
    assert lifecycle.deliver(no, clerk.id, "in_person", ticket_id=ticket.id).status == ("delivered")
    actions = [e.action for e in _audit(services, no)]
    assert actions == [
        "case.forward",
        "case.decide",
        "case.result_ready",
        "case.safekeep",
        "case.deliver",
    ]


def test_safekeeping_only_from_result_ready(lifecycle: Any, make: Any, clerk: Any) -> None:
    no = make.case()
    with pytest.raises(RuleViolation) as err:
        lifecycle.safekeep(no, clerk.id, "Шкаф 1")
    assert err.value.key == "lifecycle.error.safekeep"


# --- the dashboard ------------------------------------------------------------------------


def test_dashboard_counts_and_binding(
    lifecycle: Any, make: Any, clerk: Any, clock: Any, complaints: Any
) -> None:
    # today Mon 16 March 2026
    overdue = make.case("2026-02-27 10:00")  # service due 14 Mar (Sat) -> Mon 16: today
    fresh = make.case("2026-03-16 09:30")  # nothing due soon
    fwd_late = make.case("2026-03-02 10:00")  # forward due 12 Mar: overdue; service 17 Mar
    clock.set(local_dt("2026-03-16 10:00"))
    board = lifecycle.dashboard()
    got = {(a.case_no, a.kind): (a.state, a.binding) for a in board.alerts}
    assert got == {
        (overdue, "forward"): ("overdue", False),
        (overdue, "service"): ("today", True),
        (fwd_late, "forward"): ("overdue", False),
        (fwd_late, "service"): ("soon", True),
    }
    assert fresh not in {a.case_no for a in board.alerts}
    assert (board.counts.overdue, board.counts.today, board.counts.soon) == (2, 1, 1)
    assert (board.cases.overdue, board.cases.today, board.cases.soon) == (2, 0, 0)
    text = lifecycle.summary_text("ru")
    assert "Просрочено: 2" in text


def test_dashboard_all_clear_and_safekeeping_line(
    lifecycle: Any, make: Any, clerk: Any, clock: Any
) -> None:
    assert lifecycle.summary_text("en") == "No deadline is at risk"
    no = make.case()
    _to(lifecycle, clerk, no, "result_ready", date(2026, 3, 2))
    clock.set(local_dt("2026-04-03 10:00"))
    board = lifecycle.dashboard()
    assert board.safekeeping_due == 1 and board.alerts == ()
    assert "Results due for safekeeping: 1" in lifecycle.summary_text("en")


def test_two_clerks_forwarding_the_same_file_at_once(
    lifecycle: Any, make: Any, clerk: Any, services: Any
) -> None:
    """Exactly one wins; the other is told the file is no longer accepted (row lock)."""
    import threading

    from mss_desk.services import Services

    no = make.case()
    other = Services(services.engine, services.clock, services.catalog)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(svc: Any) -> None:
        barrier.wait()
        try:
            svc.lifecycle.forward([no], clerk.id)
            outcomes.append("ok")
        except RuleViolation as err:
            outcomes.append(err.key)

    threads = [threading.Thread(target=run, args=(s,)) for s in (services, other)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert sorted(outcomes) == ["lifecycle.error.forward", "ok"]
    assert [e.action for e in _audit(services, no)] == ["case.forward"]
