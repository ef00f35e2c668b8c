"""Hand-made histories for the lifecycle services: cases inserted as intake would leave them."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

import pytest

from tests.conftest import CLERK_PASSWORD, DEPT, local_dt

_seq = itertools.count(1)


@pytest.fixture
def lifecycle(services: Any) -> Any:
    from mss_desk.services.lifecycle import LifecycleService

    return getattr(services, "lifecycle", None) or LifecycleService(services)


@pytest.fixture
def complaints(services: Any) -> Any:
    from mss_desk.services.complaints import ComplaintService

    return getattr(services, "complaints", None) or ComplaintService(services)


@pytest.fixture
def reports(services: Any) -> Any:
    from mss_desk.services.reports import ReportService

    return getattr(services, "reports", None) or ReportService(services)


@pytest.fixture
def head(services: Any) -> Any:
    return services.clerks.create(DEPT, "head", "Нұрланова", "Гүлнар", CLERK_PASSWORD, "head")


class CaseFactory:
    """Insert accepted (or returned) cases straight into the store, with real deadlines."""

    def __init__(self, services: Any) -> None:
        self.services = services

    def applicant(self, surname: str = "Әлиев") -> int:
        from sqlmodel import Session

        from mss_desk.store.models import Applicant

        n = next(_seq)
        now = self.services.clock.now()
        with Session(self.services.engine) as s:
            a = Applicant(
                iin=f"{n:012d}",
                surname=surname,
                name="Марат",
                surname_fold=surname.casefold(),
                birth_date=date(1940, 1, 1),
                sex="male",
                address="Көкшетау",
                created_at=now,
                updated_at=now,
            )
            s.add(a)
            s.commit()
            assert a.id is not None
            return a.id

    def case(
        self,
        accepted: str | None = "2026-03-02 10:00",
        *,
        applicant_id: int | None = None,
        status: str | None = None,
        priority: bool = False,
        institution: str = "elderly_general",
        documents: int = 3,
        postal_address: str = "",
        submitted: str | None = None,
        **fields: Any,
    ) -> str | None:
        from sqlmodel import Session

        from mss_desk.rules.deadlines import compute_deadlines
        from mss_desk.store.models import Applicant, Case, CaseDocument, take_snapshot

        applicant_id = applicant_id or self.applicant()
        dept = self.services.department_code()
        at: datetime | None = local_dt(accepted) if accepted else None
        sub = local_dt(submitted) if submitted else (at or self.services.clock.now())
        values: dict[str, Any] = {
            "department_code": dept,
            "applicant_id": applicant_id,
            "institution": institution,
            "priority": priority,
            "submitted_at": sub,
            "updated_at": sub,
            "postal_address": postal_address,
        }
        case_no = None
        if at is not None:
            n = next(_seq)
            case_no = f"{dept:02d}-{at.year}-{n:05d}"
            on = at.date()
            terms = self.services.catalog.terms(on)
            d = compute_deadlines(on, None, self.services.calendar, terms)
            values.update(
                case_no=case_no,
                status=status or "accepted",
                accepted_at=at,
                terms_from=terms.effective_from,
                service_due=d.service_due,
                forward_due=d.forward_due,
                decision_due=d.decision_due,
                binding_due=d.binding_due,
                binding=d.binding,
            )
        else:
            values["status"] = status or "returned_incomplete"
        values.update(fields)
        with Session(self.services.engine) as s:
            c = Case(**values)
            applicant = s.get(Applicant, applicant_id)
            assert applicant is not None
            take_snapshot(c, applicant)  # the applicant as accepted (issue 15, item 3)
            s.add(c)
            s.flush()
            for i in range(documents if at is not None else 0):
                s.add(CaseDocument(case_id=c.id, code=f"doc{i}", received=True, received_at=at))
            s.commit()
        return case_no


@pytest.fixture
def make(services: Any) -> CaseFactory:
    return CaseFactory(services)


@pytest.fixture
def march(
    services: Any,
    make: Any,
    lifecycle: Any,
    complaints: Any,
    reports: Any,
    clerk: Any,
    head: Any,
    clock: Any,
) -> dict[str, str]:
    """A March with known answers (see each indicator's test below)."""
    at = clock.set

    # Mon 2 March: two submit tickets waiting exactly 40 and 41 minutes; one consult 90
    at(local_dt("2026-03-02 09:00"))
    services.queue.issue("submit")
    services.queue.issue("submit")
    services.queue.issue("consult")
    at(local_dt("2026-03-02 09:40"))
    services.queue.call_next("submit", clerk.id)
    at(local_dt("2026-03-02 09:41"))
    services.queue.call_next("submit", clerk.id)
    at(local_dt("2026-03-02 10:30"))
    services.queue.call_next("consult", clerk.id)

    # B's applicant was first sent home for a missing document, then accepted
    x = make.applicant("Сәрсенов")
    make.case(None, applicant_id=x, submitted="2026-03-02 09:50")
    a = make.case("2026-03-02 10:00")
    b = make.case("2026-03-02 11:00", applicant_id=x)
    c = make.case("2026-03-20 10:00")  # due in April: not in 1.1 nor 2.2 for March
    make.case("2026-02-10 10:00")  # February: outside everything

    at(local_dt("2026-03-03 10:00"))
    lifecycle.forward([a, b], clerk.id)
    at(local_dt("2026-03-05 10:00"))
    lifecycle.return_for_correction(b, clerk.id, "medical card unsigned")
    complaints.register("Әлиев", "Дөрекілік", clerk.id, case_no=a)  # justified, on time
    complaints.register("Петров", "Очередь", clerk.id)  # not justified
    at(local_dt("2026-03-06 10:00"))
    lifecycle.forward([b], clerk.id)
    at(local_dt("2026-03-10 10:00"))
    lifecycle.decide(
        a, clerk.id, "referral", referral_no="1", institution_name="МӘМ", ownership="state"
    )
    n1, n2 = (x.complaint_no for x in complaints.list()[::-1])
    complaints.review(n1, head.id, justified=True, satisfied=True)
    complaints.review(n2, head.id, justified=False, satisfied=False)
    at(local_dt("2026-03-12 10:00"))
    lifecycle.result_ready(a, clerk.id)  # service due 17 March: on time
    t = services.queue.issue("collect")  # never called: waited until 18:00, a 1.2 breach
    lifecycle.deliver(
        a,
        clerk.id,
        "in_person",
        ticket_id=t.id,
        survey={"2.1": True, "3.1": True, "4.3": False, "5.1": True},
    )
    at(local_dt("2026-03-18 10:00"))
    lifecycle.decide(b, clerk.id, "refusal", reason="item 17")
    lifecycle.result_ready(b, clerk.id)  # service due 17 March: a day late
    lifecycle.deliver(b, clerk.id, "post", postal_address="Көкшетау", survey={"2.1": False})
    at(local_dt("2026-04-10 10:00"))
    reports.enter_value("3.3", 2026, 40, head.id)
    return {"a": a, "b": b, "c": c}


@pytest.fixture
def db_arg(services: Any) -> str:
    """The database as ``--db`` takes it (password-free test URLs)."""
    return str(services.engine.url.render_as_string(hide_password=False))
