"""A returned file accepted on a later day (SPEC "Case lifecycle", issue 11 point 3) and an
intake outside working hours (item 10, issue 11 point 9).

The clock stands on Monday 2 March 2026, 10:00 in Almaty; the child files are returned on
that day and completed on Tuesday 10 March (the 9th is the day after 8 March, a holiday).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.errors import OutsideHours, RuleViolation
from mss_desk.rules.iin import make_iin
from mss_desk.services import Services
from mss_desk.services.views import IntakeForm
from tests.conftest import ELDERLY_DOCS, local_dt

RETURNED_ON = "2026-03-02 10:00"
LATER = "2026-03-10 10:00"  # a working Tuesday


def child_form(born: date, serial: int = 1) -> IntakeForm:
    return IntakeForm(
        iin=make_iin(born, "male", serial),
        surname="Серіков",
        name="Нұрлан",
        birth_date=born,
        sex="male",
        institution="children_psychoneuro",
        disabled=True,
        psychoneuro=True,
        representative_name="Серікова Айгүл",
        representative_basis="ана",
    )


def elderly_form(serial: int = 1, **kw: Any) -> IntakeForm:
    born = kw.pop("birth_date", date(1950, 5, 1))
    return IntakeForm(
        iin=make_iin(born, "female", serial),
        surname="Әлиева",
        name="Гүлнар",
        birth_date=born,
        sex="female",
        institution="elderly_general",
        relatives="no_relatives",
        **kw,
    )


def returned_child(services: Services, clerk: Any, born: date) -> int:
    """A child's file returned on 2 March with only the application-or-petition in."""
    r = services.intake.submit(
        child_form(born), {"parent_application_or_medical_petition"}, clerk.id
    )
    assert r.outcome == "returned_incomplete" and r.case_id is not None
    return r.case_id


def all_child_docs(services: Services, born: date, on: date) -> set[str]:
    return set(services.intake.evaluate(child_form(born), on).documents)


def actions(engine: sa.Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT action, detail FROM audit_events WHERE entity='case' ORDER BY id")
        ).all()
    return [(r[0], r[1]) for r in rows]


# ------------------------------------------------------------------ item 6.2 on a later day


@pytest.mark.parametrize(
    "born",
    [date(2008, 3, 9), date(2008, 3, 10)],
    ids=["turned_18_the_day_before", "turns_18_on_the_acceptance_day"],
)
def test_item_6_2_a_child_who_turned_18_before_acceptance_is_refused_and_offered_the_adult_type(
    services: Services, clerk: Any, clock: Any, born: date
) -> None:
    case_id = returned_child(services, clerk, born)
    clock.set(local_dt(LATER))
    docs = all_child_docs(services, born, date(2026, 3, 2))
    r = services.intake.complete(case_id, docs, clerk.id)
    assert r.outcome == "refused" and r.case_no is None
    assert [x.key for x in r.reasons] == ["rules.reason.too_old"]
    assert r.reasons[0].params["age"] == 18
    assert r.offer == "adult_psychoneuro"  # the desk offers the adult type
    detail = services.cases.get_by_id(case_id)
    assert detail.status == "returned_incomplete"  # a refusal writes nothing
    assert detail.received_codes == ("parent_application_or_medical_petition",)
    # the plain accept says the same
    r2 = services.intake.accept(case_id, clerk.id)
    assert r2.outcome == "refused" and r2.offer == "adult_psychoneuro"


def test_item_6_2_a_child_who_turns_18_the_day_after_acceptance_is_still_a_child(
    services: Services, clerk: Any, clock: Any
) -> None:
    born = date(2008, 3, 11)
    case_id = returned_child(services, clerk, born)
    clock.set(local_dt(LATER))
    docs = all_child_docs(services, born, date(2026, 3, 2))
    r = services.intake.complete(case_id, docs, clerk.id)
    assert r.accepted and r.case_no == "19-2026-00001"
    assert r.deadlines is not None
    # item 7.1: 10 March + 15 = the 25th, Nauryz observed, so the 26th (not 17 March)
    assert r.deadlines.service_due == date(2026, 3, 26)
    detail = services.cases.get_by_id(case_id)
    assert detail.age_at_acceptance == 17


def test_item_6_3_the_adult_type_taken_on_the_later_day_asks_for_its_own_documents(
    services: Services, clerk: Any, clock: Any
) -> None:
    born = date(2008, 3, 9)
    r0 = services.intake.submit(
        dataclasses.replace(child_form(born), disability_group=1),
        {"parent_application_or_medical_petition"},
        clerk.id,
    )
    case_id = r0.case_id or 0
    clock.set(local_dt(LATER))
    child_docs = all_child_docs(services, born, date(2026, 3, 2))
    r = services.intake.complete(case_id, child_docs, clerk.id, institution="adult_psychoneuro")
    # kept returned with the adult list's missing documents: a new slip
    assert r.outcome == "returned_incomplete"
    assert set(r.missing) == {"identity_card", "mse_commission_certificate"}
    r2 = services.intake.complete(
        case_id, {"identity_card", "mse_commission_certificate"}, clerk.id
    )
    assert r2.accepted
    detail = services.cases.get_by_id(case_id)
    assert detail.institution == "adult_psychoneuro" and detail.age_at_acceptance == 18
    assert detail.service_due == date(2026, 3, 26)  # counted from 10 March


def test_item_6_1_pension_age_reached_in_between_adds_the_pension_certificate(
    services: Services, clerk: Any, clock: Any
) -> None:
    # a disabled woman of group 1 who turns 61 on 5 March 2026 (61 is the step in 2026)
    form = elderly_form(birth_date=date(1965, 3, 5), disabled=True, disability_group=1)
    docs = set(services.intake.evaluate(form).documents)
    assert "pension_certificate" not in docs
    r0 = services.intake.submit(form, {"application"}, clerk.id)
    clock.set(local_dt(LATER))
    r = services.intake.complete(r0.case_id or 0, docs, clerk.id)
    assert r.outcome == "returned_incomplete" and r.missing == ("pension_certificate",)
    r2 = services.intake.complete(r0.case_id or 0, {"pension_certificate"}, clerk.id)
    assert r2.accepted
    assert services.cases.get_by_id(r0.case_id or 0).pension_age


def test_an_incomplete_completion_keeps_the_file_returned(
    services: Services, clerk: Any, clock: Any, engine: sa.Engine
) -> None:
    r0 = services.intake.submit(elderly_form(), {"application"}, clerk.id)
    clock.advance(days=1)
    r = services.intake.complete(r0.case_id or 0, {"identity_card"}, clerk.id)
    assert r.outcome == "returned_incomplete" and r.case_no is None
    assert "identity_card" not in r.missing and len(r.missing) == len(ELDERLY_DOCS) - 2
    assert ("case.document_received", "identity_card") in actions(engine)
    with pytest.raises(RuleViolation):
        services.intake.accept(r0.case_id or 0, clerk.id)


# ------------------------------------------------------------------ item 10: outside hours


@pytest.mark.parametrize(
    "when",
    ["2026-03-07 11:00", "2026-03-02 13:30", "2026-03-02 18:00", "2026-03-08 11:00"],
    ids=["saturday", "lunch", "closing", "holiday"],
)
def test_item_10_intake_outside_working_hours_needs_a_reason(
    services: Services, clerk: Any, clock: Any, engine: sa.Engine, when: str
) -> None:
    clock.set(local_dt(when))
    with pytest.raises(OutsideHours) as err:
        services.intake.submit(elderly_form(), set(ELDERLY_DOCS), clerk.id)
    assert err.value.key == "intake.error.outside_hours"
    with pytest.raises(OutsideHours):
        services.intake.submit(elderly_form(), set(ELDERLY_DOCS), clerk.id, outside_hours="why")
    r = services.intake.submit(
        elderly_form(), set(ELDERLY_DOCS), clerk.id, outside_hours="training"
    )
    assert r.accepted
    assert [a for a in actions(engine) if a[0] == "case.outside_hours"] == [
        ("case.outside_hours", f"reason=training;closed={err.value.params['reason']}")
    ]


def test_item_10_a_returned_file_completed_outside_hours_needs_a_reason(
    services: Services, clerk: Any, clock: Any, engine: sa.Engine
) -> None:
    r0 = services.intake.submit(elderly_form(), {"application"}, clerk.id)
    clock.set(local_dt("2026-03-07 11:00"))  # Saturday
    with pytest.raises(OutsideHours):
        services.intake.complete(r0.case_id or 0, set(ELDERLY_DOCS), clerk.id)
    assert services.cases.get_by_id(r0.case_id or 0).status == "returned_incomplete"
    r = services.intake.complete(
        r0.case_id or 0, set(ELDERLY_DOCS), clerk.id, outside_hours="extension"
    )
    assert r.accepted
    assert ("case.outside_hours", "reason=extension;closed=weekend") in actions(engine)


def test_item_10_within_hours_no_reason_and_no_audit_line(
    services: Services, clerk: Any, engine: sa.Engine
) -> None:
    assert services.intake.office_status().open
    services.intake.submit(elderly_form(), set(ELDERLY_DOCS), clerk.id)
    assert not [a for a in actions(engine) if a[0] == "case.outside_hours"]
