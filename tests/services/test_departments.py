"""Issue 15, item 2: two Departments in one database do not mix.

The hostile test: ``init --department 19``, then ``init --department 5`` on the same
PostgreSQL database — every desk served Department 5, clerk19 still logged in and registered
05-2026-00001, and clerk5 opened 19-2026-00001 with name, IIN and birth date. Now a desk's
Department is its own setting (``Services(..., department=N)``); ``init`` adds a Department
and switches nobody; a login checks the clerk's Department; every read is scoped to the
desk's Department and a row of another is "not found". On SQLite and PostgreSQL
(``db_url``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.errors import AuthError, DepartmentNotChosen, NotFound
from mss_desk.services import Services
from tests.conftest import CLERK_PASSWORD, ELDERLY_DOCS
from tests.services.test_intake import make_form

PASSWORD5 = "another horse 5"


def desk(engine: Any, clock: Any, catalog: Any, department: int | None) -> Services:
    """A desk on ``engine``: ``department`` is its own setting (None: not said)."""
    return Services(engine, clock, catalog, department=department)


@pytest.fixture
def two(engine: Any, clock: Any, catalog: Any) -> Any:
    """The hostile scenario, up to the second ``init``: Department 19 set up with its clerk,
    then Department 5 added by a second ``init`` (a desk that named no Department, as the
    command line without a setting) with its own clerk."""
    init19 = desk(engine, clock, catalog, None)
    init19.setup.init_department(19)
    assert init19.department_code() == 19  # a one-office desk, running: its only Department
    d19 = desk(engine, clock, catalog, 19)
    clerk19 = d19.clerks.create(19, "clerk19", "Сейітова", "Әйгерім", CLERK_PASSWORD)
    init5 = desk(engine, clock, catalog, None)
    init5.setup.init_department(5)
    d5 = desk(engine, clock, catalog, 5)
    clerk5 = d5.clerks.create(5, "clerk5", "Омарова", "Дана", PASSWORD5)

    class Two:
        pass

    t = Two()
    t.d19, t.d5, t.clerk19, t.clerk5, t.init19 = d19, d5, clerk19, clerk5, init19
    return t


def test_a_second_init_adds_a_department_and_switches_nobody(
    two: Any, engine: Any, clock: Any, catalog: Any
) -> None:
    # the desk that was serving Department 19 (no setting) before the second init still does
    assert two.init19.department_code() == 19
    assert two.d19.setup.department().code == 19
    assert two.d5.setup.department().code == 5
    # a desk started afresh serves what its own setting says, not the last init
    assert desk(engine, clock, catalog, 19).department_code() == 19
    assert desk(engine, clock, catalog, 5).department_code() == 5
    assert two.d19.setup.departments() == [5, 19]


def test_a_desk_that_names_no_department_refuses_a_database_of_several(
    two: Any, engine: Any, clock: Any, catalog: Any
) -> None:
    unsaid = desk(engine, clock, catalog, None)
    with pytest.raises(DepartmentNotChosen) as err:
        unsaid.department_code()
    assert err.value.key == "setup.department_not_chosen"
    assert err.value.params["codes"] == "5, 19"
    with pytest.raises(DepartmentNotChosen):
        unsaid.setup.is_initialised()  # never taken for a desk to set up
    with pytest.raises(DepartmentNotChosen):
        unsaid.cases.list()
    with pytest.raises(DepartmentNotChosen):
        unsaid.clerks.authenticate("clerk19", CLERK_PASSWORD)


def test_a_database_holding_the_region_is_the_regional_desks(
    two: Any, engine: Any, clock: Any, catalog: Any
) -> None:
    """Issue 14: ``init --regional`` (code 0) in a database that holds Departments' rows
    (files that reached the region): a desk naming none is the regional desk, and the
    Departments' clerks cannot log in there."""
    desk(engine, clock, catalog, 0).setup.init_department(0)
    unsaid = desk(engine, clock, catalog, None)
    assert unsaid.department_code() == 0
    with pytest.raises(AuthError):
        unsaid.clerks.authenticate("clerk19", CLERK_PASSWORD)
    assert desk(engine, clock, catalog, 19).department_code() == 19  # a named desk keeps its own


def test_one_department_needs_no_setting(engine: Any, clock: Any, catalog: Any) -> None:
    """An existing one-office desk keeps working with no change: its only Department."""
    first = desk(engine, clock, catalog, None)
    first.setup.init_department(19)
    assert desk(engine, clock, catalog, None).department_code() == 19


def test_a_desk_named_for_a_department_the_database_lacks(
    engine: Any, clock: Any, catalog: Any
) -> None:
    desk(engine, clock, catalog, None).setup.init_department(19)
    d5 = desk(engine, clock, catalog, 5)
    assert not d5.setup.is_initialised()  # the TUI offers to set up Department 5
    with pytest.raises(NotFound) as err:
        d5.cases.list()
    assert err.value.key == "setup.department_missing" and err.value.params["code"] == 5
    with pytest.raises(NotFound) as unknown:
        desk(engine, clock, catalog, 42).department_code()
    assert unknown.value.key == "setup.unknown_department"


def test_a_clerk_of_another_department_cannot_log_in(two: Any, engine: Any) -> None:
    with pytest.raises(AuthError) as err:
        two.d5.clerks.authenticate("clerk19", CLERK_PASSWORD)
    # the words of a wrong user name or password: whether the account exists elsewhere
    # never shows
    assert err.value.key == "error.auth"
    with pytest.raises(AuthError) as unknown:
        two.d5.clerks.authenticate("nobody", CLERK_PASSWORD)
    assert unknown.value.key == err.value.key and unknown.value.params == err.value.params
    # nor is it counted against the account: five tries at the wrong desk lock nothing
    for _ in range(6):
        with pytest.raises(AuthError) as again:
            two.d5.clerks.authenticate("clerk19", "wrong password 1")
        assert again.value.key == "error.auth"
    assert two.d19.clerks.authenticate("clerk19", CLERK_PASSWORD).id == two.clerk19.id
    assert two.d5.clerks.authenticate("clerk5", PASSWORD5).id == two.clerk5.id
    with engine.connect() as conn:
        events = conn.execute(
            sa.text("SELECT action FROM audit_events WHERE actor = :c"),
            {"c": str(two.clerk19.id)},
        ).scalars().all()
    assert "clerk.login_failed" not in events and "clerk.locked" not in events


def test_clerk19_registers_19_and_clerk5_cannot_open_list_find_or_print_it(two: Any) -> None:
    form = make_form(serial=7)
    r19 = two.d19.intake.submit(form, set(ELDERLY_DOCS), two.clerk19.id)
    assert r19.case_no == "19-2026-00001"
    form5 = make_form(serial=8, surname="Бекова")
    r5 = two.d5.intake.submit(form5, set(ELDERLY_DOCS), two.clerk5.id)
    assert r5.case_no == "05-2026-00001"
    d5 = two.d5
    no19 = r19.case_no
    with pytest.raises(NotFound) as err:
        d5.cases.get(no19)
    assert err.value.key == "cases.error.not_found"
    with pytest.raises(NotFound):
        d5.cases.get_by_id(r19.case_id or 0)
    assert d5.cases.find(no19) == []
    assert d5.cases.find(form.iin) == []
    assert d5.cases.find(form.surname[:3]) == []
    assert [r.case_no for r in d5.cases.find(form5.surname[:3])] == [r5.case_no]
    assert [r.case_no for r in d5.cases.list()] == [r5.case_no]
    assert [r.case_no for r in d5.cases.list(status="accepted")] == [r5.case_no]
    assert [r.case_no for r in d5.lifecycle.in_status("accepted")] == [r5.case_no]
    with pytest.raises(NotFound):
        d5.lifecycle.get(no19)
    with pytest.raises(NotFound):
        d5.printing.talon_data(no19)  # the talon reprint: no name, IIN or birth date
    # and Department 19's desk sees its own case, not Department 5's
    assert two.d19.cases.get(no19).iin == form.iin
    assert [r.case_no for r in two.d19.cases.list()] == [no19]
    with pytest.raises(NotFound):
        two.d19.cases.get(r5.case_no or "")


def test_clerk19_cannot_act_at_the_department_5_desk(two: Any) -> None:
    """A session of another Department (a CLI naming the clerk, a stale screen) writes
    nothing here: the acting clerk must be this Department's."""
    with pytest.raises(NotFound) as err:
        two.d5.intake.submit(make_form(serial=9), set(ELDERLY_DOCS), two.clerk19.id)
    assert err.value.key == "clerks.not_found"
    two.d5.queue.issue("submit")
    with pytest.raises(NotFound):
        two.d5.queue.call_next("submit", two.clerk19.id)
    assert two.d5.cases.list() == []


def test_every_service_keeps_to_its_department(two: Any) -> None:
    d19, d5, clerk19, clerk5 = two.d19, two.d5, two.clerk19, two.clerk5
    r19 = d19.intake.submit(make_form(serial=11), set(ELDERLY_DOCS), clerk19.id)
    no19 = r19.case_no
    incomplete = d19.intake.submit(make_form(serial=12), set(), clerk19.id)
    ticket19 = d19.queue.issue("submit")
    draft19 = d19.intake.save_draft(None, {"surname": "Әлиев"}, clerk19.id)
    complaint19 = d19.complaints.register("Әлиев Марат", "Ұзақ күттім", clerk19.id, case_no=no19)
    # lifecycle: another Department's case is not there to move
    with pytest.raises(NotFound):
        d5.lifecycle.forward([no19], clerk5.id)
    assert d19.lifecycle.get(no19).status == "accepted"
    # complaints: not listed, not opened, not about their case or their clerk
    assert d5.complaints.list() == []
    with pytest.raises(NotFound):
        d5.complaints.get(complaint19.complaint_no)
    with pytest.raises(NotFound):
        d5.complaints.register("А", "Б", clerk5.id, case_no=no19)
    with pytest.raises(NotFound):
        d5.complaints.register("А", "Б", clerk5.id, about_clerk_id=clerk19.id)
    # queue: another Department's ticket is not seen, served or taken for an intake
    assert d5.queue.day() == [] and d5.queue.waiting() == []
    with pytest.raises(NotFound):
        d5.queue.get(ticket19.id)
    with pytest.raises(NotFound):
        d5.queue.serve(ticket19.id, clerk5.id)
    with pytest.raises(NotFound):
        d5.intake.submit(make_form(serial=13), set(ELDERLY_DOCS), clerk5.id, ticket19.id)
    # intake: drafts, a returned file, a spouse's case of another Department
    assert d5.intake.load_drafts() == []
    with pytest.raises(NotFound):
        d5.intake.load_draft(draft19)
    with pytest.raises(NotFound):
        d5.intake.delete_draft(draft19, clerk5.id)
    with pytest.raises(NotFound):
        d5.intake.mark_received(incomplete.case_id or 0, "medical_card", clerk_id=clerk5.id)
    with pytest.raises(NotFound) as spouse:
        d5.intake.submit(
            make_form(serial=14, spouse_case_no=no19), set(ELDERLY_DOCS), clerk5.id
        )
    assert spouse.value.key == "intake.error.spouse_not_found"
    # a submit naming another Department's draft does not delete it
    d5.intake.submit(make_form(serial=15), set(ELDERLY_DOCS), clerk5.id, draft_id=draft19)
    assert d19.intake.load_draft(draft19).id == draft19
    # clerks: the list and the accounts are the desk's Department's
    assert [c.username for c in d5.clerks.list()] == ["clerk5"]
    assert [c.username for c in d5.clerks.list(19)] == []
    with pytest.raises(NotFound):
        d5.clerks.get(clerk19.id)
    with pytest.raises(NotFound):
        d5.clerks.set_active(clerk19.id, False)
    with pytest.raises(NotFound):
        d5.clerks.create(19, "intruder", "Бөтен", "Адам", PASSWORD5)
    # reports and the dashboard count only this Department's files
    inputs = d5.reports.inputs(date(2026, 3, 1), date(2026, 3, 31))
    assert len(inputs.cases) == 1 and inputs.complaints == () and inputs.tickets == ()
    assert no19 not in {a.case_no for a in d5.lifecycle.dashboard(soon_days=30).alerts}
    assert no19 in {a.case_no for a in d19.lifecycle.dashboard(soon_days=30).alerts}
