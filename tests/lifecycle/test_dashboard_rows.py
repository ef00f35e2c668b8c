"""The dashboard's SQL leaves out only what the rules would drop (issue 7).

``LifecycleService.dashboard`` asks the database for the cases with a running deadline due
by the horizon and the results old enough to be candidates for safekeeping, not for every
case in those statuses. Here the result is compared with the pure rules applied to every
case of the Department, read whole through the ORM, for two months of days and several
``soon_days``: cases in every status, deadlines on both sides of each boundary, a decision
deadline later than the service deadline, missing deadlines, results ready on many days
under two terms editions (30 and 45 safekeeping days, one case with no recorded edition),
complaints open and answered. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from mss_desk.rules import lifecycle as rules
from mss_desk.services.lifecycle_views import Dashboard
from tests.conftest import DEPT, local_dt
from tests.lifecycle.conftest import CaseFactory

FIRST_DAY = date(2026, 3, 1)
DAYS = 60
SOON = (-1, 0, 1, 3, 10)


@pytest.fixture
def two_editions(engine: Any, clock: Any, catalog: Any) -> Any:
    """Services whose catalog has a second terms edition from 1 March 2026 that keeps
    results 45 days before safekeeping (the first keeps them 30)."""
    from mss_desk.services import Services

    first = catalog.term_editions[0]
    later = dataclasses.replace(first, effective_from=date(2026, 3, 1), safekeeping_days=45)
    svc = Services(engine, clock, dataclasses.replace(catalog, term_editions=(first, later)))
    svc.setup.init_department(DEPT)
    return svc


def _fill(services: Any) -> None:
    import sqlalchemy as sa

    from mss_desk.store.models import Case, Complaint

    make = CaseFactory(services)
    day = date(2026, 2, 20)
    for i in range(40):
        on = day + timedelta(days=i)
        at = f"{on.isoformat()} 10:00"
        make.case(at)  # accepted: forward and service deadlines run
        make.case(at, status="accepted", forward_due=None)  # no forwarding deadline
        make.case(
            at,
            status="forwarded",
            forwarded_on=on,
            # the decision deadline before, on and after the service deadline
            decision_due=on + timedelta(days=(i % 3) * 9 + 5),
            binding="decision" if i % 3 == 0 else "service",
        )
        make.case(at, status="forwarded", forwarded_on=on, decision_due=None)
        make.case(at, status="decided", priority=i % 2 == 0)
        make.case(at, status="decided", service_due=None)
        for status in ("delivered", "in_safekeeping"):
            make.case(at, status=status, result_ready_on=on)
    # results ready from December to April, accepted under either edition
    for i in range(0, 150, 2):
        ready = date(2025, 12, 1) + timedelta(days=i)
        accepted = ready - timedelta(days=20)
        make.case(f"{accepted.isoformat()} 10:00", status="result_ready", result_ready_on=ready)
    no_edition = make.case(
        "2026-03-02 10:00", status="result_ready", result_ready_on=date(2026, 3, 10)
    )
    make.case("2026-03-03 10:00", status="result_ready", result_ready_on=None)
    make.case(None)  # returned incomplete: no number, no deadline
    now = services.clock.now()
    with Session(services.engine) as s:
        # a case accepted before the edition was recorded
        s.exec(sa.update(Case).where(col(Case.case_no) == no_edition).values(terms_from=None))
        for i in range(30):
            s.add(
                Complaint(
                    department_code=DEPT,
                    complainant="Әлиев",
                    text="…",
                    registered_at=now,
                    answer_due=FIRST_DAY + timedelta(days=i * 2),
                    status="registered" if i % 4 else "answered",
                )
            )
        s.add(
            Complaint(
                department_code=DEPT, complainant="Б", text="…", registered_at=now, answer_due=None
            )
        )
        s.commit()


def _everything(services: Any) -> tuple[list[Any], list[Any]]:
    """Every case and complaint of the Department, whole, through the ORM."""
    from mss_desk.store.models import Case, Complaint

    with Session(services.engine) as s:
        cases = list(s.exec(select(Case).where(Case.department_code == DEPT)).all())
        complaints = list(s.exec(select(Complaint).where(Complaint.department_code == DEPT)))
    return cases, complaints


def _expected(
    services: Any, everything: tuple[list[Any], list[Any]], today: date, soon_days: int
) -> Dashboard:
    """The dashboard as the rules give it from every case of the Department."""
    cases, complaints = everything
    tz = services.lifecycle.tz()
    deadline_cases = [
        rules.DeadlineCase(
            c.case_no or "",
            c.status,
            c.service_due,
            c.forward_due,
            c.decision_due,
            c.binding,
            c.priority,
        )
        for c in cases
        if c.case_no is not None
    ]
    safekeeping = 0
    for c in cases:
        if c.status == "result_ready" and c.case_no is not None:
            assert c.accepted_at is not None
            terms = services.catalog.terms(c.terms_from or c.accepted_at.astimezone(tz).date())
            safekeeping += rules.due_for_safekeeping(
                c.result_ready_on, today, terms.safekeeping_days
            )
    return Dashboard.of(
        today,
        deadline_cases,
        soon_days,
        safekeeping_due=safekeeping,
        complaints_due=sum(
            1
            for k in complaints
            if k.status == "registered"
            and k.answer_due is not None
            and (k.answer_due - today).days <= soon_days
        ),
    )


def test_the_dashboard_equals_the_rules_over_every_case(two_editions: Any, clock: Any) -> None:
    services = two_editions
    _fill(services)
    everything = _everything(services)
    seen = {"alerts": 0, "safekeeping": 0, "complaints": 0, "empty": 0}
    for i in range(DAYS):
        today = FIRST_DAY + timedelta(days=i)
        clock.set(local_dt(f"{today.isoformat()} 10:00"))
        for soon in SOON:
            got = services.lifecycle.dashboard(soon)
            assert got == _expected(services, everything, today, soon), (today, soon)
            seen["alerts"] += bool(got.alerts)
            seen["safekeeping"] += bool(got.safekeeping_due)
            seen["complaints"] += bool(got.complaints_due)
    # the data reaches every branch (not a comparison of two empty dashboards)
    assert all(seen[k] > DAYS for k in ("alerts", "safekeeping", "complaints")), seen


def test_the_second_edition_keeps_results_longer(two_editions: Any, clock: Any) -> None:
    """A result accepted under the 45-day edition is not due on day 31 (the SQL bound is
    the shortest term; the case's own term decides)."""
    make = CaseFactory(two_editions)
    make.case("2026-03-02 10:00", status="result_ready", result_ready_on=date(2026, 3, 10))
    board = two_editions.lifecycle.dashboard
    for day, due in (("2026-04-10", 0), ("2026-04-11", 0), ("2026-04-24", 0), ("2026-04-25", 1)):
        clock.set(local_dt(f"{day} 10:00"))
        assert board().safekeeping_due == due, day
