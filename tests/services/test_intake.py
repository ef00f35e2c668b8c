"""Intake: drafts, eligibility refusal, acceptance only with every document, case numbers,
deadlines under the terms of the acceptance date, one transaction per action."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.errors import InvalidIIN, NotFound, RuleViolation, ValidationError
from mss_desk.rules.iin import make_iin
from mss_desk.services import Services
from mss_desk.services.views import IntakeForm
from tests.conftest import CLERK_PASSWORD, ELDERLY_DOCS, local_dt, other_desk

BORN = date(1950, 5, 1)


def make_form(serial: int = 1, **kw: Any) -> IntakeForm:
    born = kw.pop("birth_date", BORN)
    sex = kw.pop("sex", "female")
    base: dict[str, Any] = {
        "iin": make_iin(born, sex, serial),
        "surname": "Әлиева",
        "name": "Гүлнар",
        "patronymic": "Серікқызы",
        "birth_date": born,
        "sex": sex,
        "institution": "elderly_general",
        "relatives": "no_relatives",
    }
    base.update(kw)
    return IntakeForm(**base)


def counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("cases", "applicants", "case_documents", "audit_events", "counters")
        }


def test_accepted_with_every_document(services: Services, clerk: Any) -> None:
    result = services.intake.submit(make_form(), set(ELDERLY_DOCS), clerk.id)
    assert result.outcome == "accepted" and result.accepted
    assert result.case_no == "19-2026-00001"
    assert result.required == ELDERLY_DOCS and result.missing == ()
    assert result.accepted_at is not None and result.accepted_at == services.clock.now()
    d = result.deadlines
    assert d is not None
    assert d.service_due == date(2026, 3, 17)  # item 7.1: 2 March + 15 calendar days
    assert d.forward_due == date(2026, 3, 12)  # item 5: + 10 days
    assert (d.binding_due, d.binding, d.decision_due) == (date(2026, 3, 17), "service", None)
    detail = services.cases.get("19-2026-00001")
    assert detail.status == "accepted"
    assert detail.service_due == date(2026, 3, 17) and detail.terms_from is not None
    assert detail.received_codes == ELDERLY_DOCS
    assert (detail.clerk_surname, detail.clerk_name) == ("Сейітова", "Әйгерім")  # item 15
    assert detail.age_at_acceptance == 75 and detail.pension_age


def test_case_numbers_are_sequential_and_unique(services: Services, clerk: Any) -> None:
    nos = [
        services.intake.submit(make_form(serial=i), set(ELDERLY_DOCS), clerk.id).case_no
        for i in range(1, 4)
    ]
    assert nos == ["19-2026-00001", "19-2026-00002", "19-2026-00003"]
    assert all(re.fullmatch(r"\d{2}-\d{4}-\d{5}", n or "") for n in nos)


def test_case_numbers_restart_with_the_year_and_carry_the_department(
    services: Services, clerk: Any, clock: Any
) -> None:
    services.intake.submit(make_form(serial=1), set(ELDERLY_DOCS), clerk.id)
    clock.set(local_dt("2027-01-05 10:00"))
    r = services.intake.submit(make_form(serial=2), set(ELDERLY_DOCS), clerk.id)
    assert r.case_no == "19-2027-00001"
    other = other_desk(services, 1)  # a desk of Department 1 on the same database
    clerk1 = other.clerks.create(1, "dana", "Омарова", "Дана", CLERK_PASSWORD)
    r = other.intake.submit(make_form(serial=3), set(ELDERLY_DOCS), clerk1.id)
    assert r.case_no == "01-2027-00001"


def test_the_year_is_the_local_year(services: Services, clerk: Any, clock: Any) -> None:
    """1 Jan 00:30 in Almaty is still 31 December in UTC: the number says the local year."""
    clock.set(local_dt("2027-01-01 00:30"))
    assert clock.now().year == 2026
    # a holiday night: only with a reason (item 10)
    r = services.intake.submit(
        make_form(), set(ELDERLY_DOCS), clerk.id, outside_hours="training"
    )
    assert r.case_no == "19-2027-00001"


def test_refuse_to_accept_while_a_document_is_missing(
    services: Services, clerk: Any, engine: sa.Engine
) -> None:
    received = set(ELDERLY_DOCS) - {"medical_card"}
    result = services.intake.submit(make_form(), received, clerk.id)
    assert result.outcome == "returned_incomplete" and not result.accepted
    assert result.case_no is None and result.deadlines is None
    assert result.missing == ("medical_card",)
    detail = services.cases.get_by_id(result.case_id or 0)
    assert detail.status == "returned_incomplete" and detail.missing == ("medical_card",)
    assert detail.service_due is None and detail.accepted_at is None
    # the case counter was not touched: the next accepted file is still number 1
    ok = services.intake.submit(make_form(serial=2), set(ELDERLY_DOCS), clerk.id)
    assert ok.case_no == "19-2026-00001"


def test_missing_list_keeps_the_standards_order(services: Services, clerk: Any) -> None:
    result = services.intake.submit(make_form(), {"application"}, clerk.id)
    assert result.missing == ELDERLY_DOCS[1:]


def test_not_eligible_is_refused_with_reasons_and_writes_nothing(
    services: Services, clerk: Any, engine: sa.Engine
) -> None:
    before = counts(engine)
    young = make_form(birth_date=date(1990, 5, 1))
    result = services.intake.submit(young, set(ELDERLY_DOCS), clerk.id)
    assert result.outcome == "refused" and result.case_id is None
    assert [r.key for r in result.reasons] == ["rules.reason.not_pension_or_group"]
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("change", "error", "key"),
    [
        ({"birth_date": date(1950, 5, 2)}, ValidationError, "intake.error.iin_birth_mismatch"),
        ({"sex": "male"}, ValidationError, "intake.error.iin_sex_mismatch"),
        ({"iin": "123"}, InvalidIIN, None),
        ({"surname": "  "}, ValidationError, "intake.error.name_required"),
        ({"institution": "hotel"}, ValidationError, "intake.error.bad_institution"),
        ({"delivery_method": "post"}, ValidationError, "intake.error.postal_address_required"),
        ({"delivery_method": "pigeon"}, ValidationError, "intake.error.bad_delivery"),
        ({"ownership": "mixed"}, ValidationError, "intake.error.bad_ownership"),
    ],
)
def test_bad_forms_write_nothing(
    services: Services,
    clerk: Any,
    engine: sa.Engine,
    change: dict[str, Any],
    error: type[Exception],
    key: str | None,
) -> None:
    before = counts(engine)
    form = dataclasses.replace(make_form(), **change)
    with pytest.raises(error) as err:
        services.intake.submit(form, set(ELDERLY_DOCS), clerk.id)
    if key:
        assert getattr(err.value, "key", None) == key
    assert counts(engine) == before


def test_postal_delivery_keeps_the_address(services: Services, clerk: Any) -> None:
    form = make_form(delivery_method="post", postal_address="Көкшетау, Абай к-сі 1")
    r = services.intake.submit(form, set(ELDERLY_DOCS), clerk.id)
    detail = services.cases.get(r.case_no or "")
    assert (detail.delivery_method, detail.postal_address) == ("post", "Көкшетау, Абай к-сі 1")


def test_a_failure_half_way_leaves_nothing(
    services: Services, clerk: Any, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mss_desk.rules.deadlines as deadlines

    before = counts(engine)
    real = deadlines.compute_deadlines

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("power cut")

    monkeypatch.setattr(deadlines, "compute_deadlines", broken)
    with pytest.raises(RuntimeError):
        services.intake.submit(make_form(), set(ELDERLY_DOCS), clerk.id)
    assert counts(engine) == before
    monkeypatch.setattr(deadlines, "compute_deadlines", real)
    r = services.intake.submit(make_form(), set(ELDERLY_DOCS), clerk.id)
    assert r.case_no == "19-2026-00001"


def test_wwii_path_sets_priority(services: Services, clerk: Any) -> None:
    form = make_form(sex="male", birth_date=date(1925, 1, 1), wwii=True, relatives=None)
    docs = set(ELDERLY_DOCS) | {"wwii_status_certificate"}
    r = services.intake.submit(form, docs, clerk.id)
    assert r.accepted and r.priority  # item 6.1: first priority
    assert services.cases.get(r.case_no or "").priority


def test_a_returned_file_completed_later(services: Services, clerk: Any, clock: Any) -> None:
    first = services.intake.submit(make_form(), {"application"}, clerk.id)
    case_id = first.case_id or 0
    with pytest.raises(RuleViolation) as err:
        services.intake.accept(case_id, clerk.id)
    assert err.value.key == "intake.error.documents_missing"
    assert err.value.params["count"] == len(ELDERLY_DOCS) - 1
    clock.advance(days=1)
    missing: tuple[str, ...] = ()
    for code in ELDERLY_DOCS[1:]:
        missing = services.intake.mark_received(case_id, code, clerk_id=clerk.id)
    assert missing == ()
    r = services.intake.accept(case_id, clerk.id)
    assert r.accepted and r.case_no == "19-2026-00001"
    detail = services.cases.get_by_id(case_id)
    assert detail.accepted_at is not None and detail.accepted_at > detail.submitted_at
    assert detail.service_due == date(2026, 3, 18)  # counted from the acceptance day
    with pytest.raises(RuleViolation) as again:
        services.intake.accept(case_id, clerk.id)
    assert again.value.key == "intake.error.not_open"
    with pytest.raises(RuleViolation):
        services.intake.mark_received(case_id, "application", received=False)


def test_unticking_a_document_puts_it_back_on_the_missing_list(
    services: Services, clerk: Any
) -> None:
    r = services.intake.submit(make_form(), {"application"}, clerk.id)
    assert "application" in services.intake.mark_received(
        r.case_id or 0, "application", received=False
    )


def test_drafts_survive_a_new_session(
    services: Services, clerk: Any, engine: sa.Engine, clock: Any, catalog: Any
) -> None:
    data = {"surname": "Әлиева", "birth_date": date(1950, 5, 1), "received": {"application"}}
    draft_id = services.intake.save_draft(None, data, clerk.id)
    clock.advance(minutes=2)
    assert services.intake.save_draft(draft_id, {**data, "name": "Гүлнар"}, clerk.id) == draft_id

    fresh = Services(engine, clock, catalog)  # as after a crash and a restart
    drafts = fresh.intake.load_drafts()
    assert [d.id for d in drafts] == [draft_id]
    assert drafts[0].data == {
        "surname": "Әлиева",
        "name": "Гүлнар",
        "birth_date": "1950-05-01",
        "received": ["application"],
    }
    assert drafts[0].updated_at > drafts[0].created_at
    fresh.intake.delete_draft(draft_id)
    assert fresh.intake.load_drafts() == []
    with pytest.raises(NotFound):
        fresh.intake.load_draft(draft_id)


def test_submit_removes_its_draft(services: Services, clerk: Any) -> None:
    form = make_form()
    draft_id = services.intake.save_draft(None, dataclasses.asdict(form), clerk.id)
    loaded = IntakeForm.from_dict(services.intake.load_draft(draft_id).data)
    assert loaded == form
    services.intake.submit(loaded, set(ELDERLY_DOCS), clerk.id, draft_id=draft_id)
    assert services.intake.load_drafts() == []


def test_a_refused_form_keeps_its_draft(services: Services, clerk: Any) -> None:
    form = make_form(birth_date=date(1990, 5, 1))
    draft_id = services.intake.save_draft(None, dataclasses.asdict(form), clerk.id)
    r = services.intake.submit(form, set(ELDERLY_DOCS), clerk.id, draft_id=draft_id)
    assert r.outcome == "refused"
    assert [d.id for d in services.intake.load_drafts()] == [draft_id]


def test_married_couple_cases_are_linked(services: Services, clerk: Any) -> None:
    wife = services.intake.submit(make_form(serial=1), set(ELDERLY_DOCS), clerk.id)
    husband_form = make_form(
        serial=2,
        sex="male",
        birth_date=date(1948, 2, 2),
        surname="Әлиев",
        name="Серік",
        spouse_case_no=wife.case_no,
    )
    husband = services.intake.submit(husband_form, set(ELDERLY_DOCS), clerk.id)
    assert services.cases.get(husband.case_no or "").spouse_case_no == wife.case_no
    assert services.cases.get(wife.case_no or "").spouse_case_no == husband.case_no
    with pytest.raises(NotFound):
        services.intake.submit(
            make_form(serial=3, spouse_case_no="19-2026-09999"), set(ELDERLY_DOCS), clerk.id
        )


def test_the_same_person_again_updates_one_applicant(
    services: Services, clerk: Any, engine: sa.Engine
) -> None:
    services.intake.submit(make_form(), {"application"}, clerk.id)
    services.intake.submit(make_form(surname="Әлиева-Нұр"), set(ELDERLY_DOCS), clerk.id)
    assert counts(engine)["applicants"] == 1
    # issue 15, item 3: each case keeps the surname it was taken under (its snapshot)
    assert [r.surname for r in services.cases.find("әлиева-н")] == ["Әлиева-Нұр"]
    assert [r.surname for r in services.cases.find("әлиева")] == ["Әлиева", "Әлиева-Нұр"]


def test_ticket_is_linked(services: Services, clerk: Any) -> None:
    ticket = services.queue.issue("submit")
    r = services.intake.submit(make_form(), set(ELDERLY_DOCS), clerk.id, ticket_id=ticket.id)
    assert services.cases.get(r.case_no or "").ticket_id == ticket.id
    with pytest.raises(NotFound):
        services.intake.submit(make_form(serial=2), set(ELDERLY_DOCS), clerk.id, ticket_id=999)


def test_intake_is_audited_without_personal_data(
    services: Services, clerk: Any, engine: sa.Engine
) -> None:
    form = make_form()
    r = services.intake.submit(form, set(ELDERLY_DOCS), clerk.id)
    services.intake.submit(make_form(serial=2), {"application"}, clerk.id)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT action, actor, entity_id, detail FROM audit_events WHERE entity='case'")
        ).all()
    assert [row[0] for row in rows] == ["case.accept", "case.return_incomplete"]
    assert rows[0][1] == str(clerk.id) and rows[0][3] == r.case_no
    text = repr(rows)
    for personal in (form.iin, form.surname, form.name, "medical_card"):
        assert personal not in text


def test_threads_accepting_at_once_get_distinct_numbers(services: Services, clerk: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def go(i: int) -> str:
        return (
            services.intake.submit(make_form(serial=i), set(ELDERLY_DOCS), clerk.id).case_no or ""
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        nos = list(pool.map(go, range(1, 13)))
    assert sorted(nos) == [f"19-2026-{i:05d}" for i in range(1, 13)]


# --------------------------------------------------------------------------- one form, one table


def test_the_form_becomes_facts_in_one_place() -> None:
    """``IntakeForm.to_facts`` is what the screen, the service and the demo all use."""
    from mss_desk.rules.eligibility import Facts

    born = date(1950, 1, 2)
    form = IntakeForm(
        iin=make_iin(born, "female"),
        surname="Әлиева",
        name="Гүлнар",
        birth_date=born,
        sex="female",
        institution="elderly_general",
        disabled=True,
        disability_group=2,
        relatives="relatives_unable",
        relatives_reason="emigrated",
        address="Көкшетау",
    )
    on = date(2026, 3, 2)
    facts = form.to_facts(on)
    assert facts == Facts(
        institution="elderly_general",
        birth_date=born,
        sex="female",
        on=on,
        disabled=True,
        disability_group=2,
        relatives="relatives_unable",
        relatives_reason="emigrated",
    )
    shared = {f.name for f in dataclasses.fields(Facts)} - {"on"}
    assert shared <= {f.name for f in dataclasses.fields(IntakeForm)}  # nothing left behind


def test_the_store_keeps_the_limits_the_form_checks() -> None:
    from mss_desk.services.views import FIELD_LIMITS
    from mss_desk.store.models import Applicant, Case

    columns = {**Case.__table__.columns, **Applicant.__table__.columns}  # type: ignore[attr-defined]
    for key, limit in FIELD_LIMITS.items():
        assert columns[key].type.length == limit, key
