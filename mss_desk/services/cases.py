"""Finding and reading cases: by IIN, by case number, by surname prefix.

DESIGN traps: SQLite's NOCASE folds ASCII only (``әли%`` would miss ``Әлиев``), and
``.startswith()`` compiles to ``LIKE ? || '%'``, which SQLite cannot index. So the surname
is stored ``casefold()``-ed in an indexed column and searched with a range:
``surname_fold >= p AND surname_fold < p || U+FFFF``.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mss_desk.errors import NotFound
from mss_desk.services.base import ServiceBase
from mss_desk.services.views import CaseDetail, CaseRow, DocumentLine
from mss_desk.store.models import CASE_STATUSES, Applicant, Case, CaseDocument, Clerk

CASE_NO = re.compile(r"^\d{2}-\d{4}-\d{5}$")
IIN = re.compile(r"^\d{12}$")
HIGH = "\uffff"
DEFAULT_LIMIT = 200


def _row(case: Case, a: Applicant) -> CaseRow:
    assert case.id is not None
    return CaseRow(
        id=case.id,
        case_no=case.case_no,
        status=case.status,
        iin=a.iin,
        surname=a.surname,
        name=a.name,
        patronymic=a.patronymic,
        institution=case.institution,
        priority=case.priority,
        submitted_at=case.submitted_at,
        accepted_at=case.accepted_at,
        service_due=case.service_due,
        binding_due=case.binding_due,
    )


class CaseService(ServiceBase):
    def find(self, query: str, limit: int = DEFAULT_LIMIT) -> list[CaseRow]:
        """Cases by IIN (12 digits), case number (DD-YYYY-NNNNN) or surname prefix.

        Surname prefixes are case-insensitive for Kazakh and Russian letters alike.
        """
        q = " ".join(query.split())
        if not q:
            return []
        stmt = self._base()
        if IIN.match(q):
            stmt = stmt.where(Applicant.iin == q)
        elif CASE_NO.match(q):
            stmt = stmt.where(Case.case_no == q)
        else:
            stmt = stmt.where(self._surname_prefix(q.casefold()))
        return self._rows(stmt, limit)

    def list(self, status: str | None = None, limit: int = DEFAULT_LIMIT) -> list[CaseRow]:
        """This Department's cases, newest first (optionally of one status)."""
        stmt = self._base()
        if status is not None:
            if status not in CASE_STATUSES:
                from mss_desk.errors import ValidationError

                raise ValidationError("status", key="cases.error.bad_status", status=status)
            stmt = stmt.where(Case.status == status)
        return self._rows(stmt, limit)

    def get(self, case_no: str) -> CaseDetail:
        with self.tx() as session:
            case = session.exec(select(Case).where(Case.case_no == case_no.strip())).first()
            if case is None:
                raise NotFound("case", key="cases.error.not_found", case_no=case_no)
            return self._detail(session, case)

    def get_by_id(self, case_id: int) -> CaseDetail:
        """Also reaches cases without a number (returned_incomplete)."""
        with self.tx() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise NotFound("case", key="cases.error.not_found", case_no=str(case_id))
            return self._detail(session, case)

    # --- helpers ---------------------------------------------------------------------------

    def _base(self) -> Any:
        return (
            select(Case, Applicant)
            .join(Applicant, col(Case.applicant_id) == col(Applicant.id))
            .where(Case.department_code == self.department_code())
        )

    def _surname_prefix(self, prefix: str) -> Any:
        column: Any = col(Applicant.surname_fold)
        if self.engine.dialect.name == "postgresql":
            # byte order, so U+FFFF sorts after every Cyrillic and Latin letter
            column = column.collate("C")
        return sa.and_(column >= prefix, column < prefix + HIGH)

    def _rows(self, stmt: Any, limit: int) -> list[CaseRow]:
        stmt = stmt.order_by(col(Case.submitted_at).desc(), col(Case.id).desc()).limit(limit)
        with self.tx() as session:
            return [_row(c, a) for c, a in session.exec(stmt).all()]

    @staticmethod
    def _detail(session: Session, case: Case) -> CaseDetail:
        assert case.id is not None
        a = session.get(Applicant, case.applicant_id)
        assert a is not None and a.id is not None
        clerk = session.get(Clerk, case.clerk_id) if case.clerk_id is not None else None
        spouse_no = None
        if case.spouse_case_id is not None:
            spouse = session.get(Case, case.spouse_case_id)
            spouse_no = spouse.case_no if spouse is not None else None
        docs = session.exec(
            select(CaseDocument)
            .where(CaseDocument.case_id == case.id)
            .order_by(col(CaseDocument.id))
        ).all()
        return CaseDetail(
            id=case.id,
            case_no=case.case_no,
            department_code=case.department_code,
            status=case.status,
            priority=case.priority,
            institution=case.institution,
            ownership=case.ownership,
            applicant_id=a.id,
            iin=a.iin,
            surname=a.surname,
            name=a.name,
            patronymic=a.patronymic,
            birth_date=a.birth_date,
            sex=a.sex,
            address=a.address,
            phone=a.phone,
            disabled=case.disabled,
            disability_group=case.disability_group,
            psychoneuro=case.psychoneuro,
            wwii=case.wwii,
            needs_care=case.needs_care,
            relatives=case.relatives,
            relatives_reason=case.relatives_reason,
            declared_incapable=case.declared_incapable,
            council_decision_no=case.council_decision_no,
            council_decision_date=case.council_decision_date,
            age_at_acceptance=case.age_at_acceptance,
            pension_age=case.pension_age,
            missing=tuple(c for c in case.missing.split(",") if c),
            submitted_at=case.submitted_at,
            accepted_at=case.accepted_at,
            terms_from=case.terms_from,
            service_due=case.service_due,
            forward_due=case.forward_due,
            decision_due=case.decision_due,
            binding_due=case.binding_due,
            binding=case.binding,
            forwarded_on=case.forwarded_on,
            returned_by_region_on=case.returned_by_region_on,
            decided_on=case.decided_on,
            decision=case.decision,
            decision_no=case.decision_no,
            decision_note=case.decision_note,
            result_ready_on=case.result_ready_on,
            delivery_method=case.delivery_method,
            postal_address=case.postal_address,
            postal_notice_on=case.postal_notice_on,
            delivered_on=case.delivered_on,
            safekeeping_on=case.safekeeping_on,
            safekeeping_location=case.safekeeping_location,
            representative_name=case.representative_name,
            representative_iin=case.representative_iin,
            representative_basis=case.representative_basis,
            clerk_id=case.clerk_id,
            clerk_surname=clerk.surname if clerk is not None else "",
            clerk_name=clerk.name if clerk is not None else "",
            ticket_id=case.ticket_id,
            spouse_case_id=case.spouse_case_id,
            spouse_case_no=spouse_no,
            updated_at=case.updated_at,
            documents=tuple(
                DocumentLine(
                    code=d.code, required=d.required, received=d.received, received_at=d.received_at
                )
                for d in docs
            ),
        )
