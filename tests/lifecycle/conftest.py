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
        from mss_desk.store.models import Case, CaseDocument

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
            s.add(c)
            s.flush()
            for i in range(documents if at is not None else 0):
                s.add(CaseDocument(case_id=c.id, code=f"doc{i}", received=True, received_at=at))
            s.commit()
        return case_no


@pytest.fixture
def make(services: Any) -> CaseFactory:
    return CaseFactory(services)
