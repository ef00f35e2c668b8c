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
from mss_desk.services.base import ServiceBase, department_clause, eligibility_answers
from mss_desk.services.views import (
    ApplicantChangeView,
    CaseDetail,
    CaseProgress,
    CaseRow,
    DocumentLine,
)
from mss_desk.store.models import (
    Applicant,
    ApplicantChange,
    Case,
    CaseDocument,
    Clerk,
    snapshot_values,
)
from mss_desk.vocabulary import CASE_STATUSES

CASE_NO = re.compile(r"^\d{2}-\d{4}-\d{5}$")
IIN = re.compile(r"^\d{12}$")
HIGH = "\uffff"
DEFAULT_LIMIT = 200
Rows = list[CaseRow]  # (the service has a method named ``list``)
History = list[ApplicantChangeView]


_STATEMENTS: dict[tuple[str, str], Any] = {}  # built SELECTs per (kind, dialect)


def _columns() -> tuple[Any, ...]:
    """The columns of a ``CaseRow``, in its field order."""
    return (
        col(Case.id),
        col(Case.case_no),
        col(Case.status),
        col(Applicant.iin),
        col(Case.applicant_surname),  # issue 15, item 3: the case's own snapshot
        col(Case.applicant_name),
        col(Case.applicant_patronymic),
        col(Case.institution),
        col(Case.priority),
        col(Case.submitted_at),
        col(Case.accepted_at),
        col(Case.service_due),
        col(Case.binding_due),
    )


def _row(case: Case, a: Applicant) -> CaseRow:
    assert case.id is not None
    return CaseRow(
        id=case.id,
        case_no=case.case_no,
        status=case.status,
        iin=a.iin,
        surname=case.applicant_surname,
        name=case.applicant_name,
        patronymic=case.applicant_patronymic,
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

        Surname prefixes are case-insensitive for Kazakh and Russian letters alike; the
        people come in alphabetical order (the order of the surname index, so a two-letter
        prefix matching a hundred thousand people still reads only the first ``limit``),
        each person's cases newest first. IIN and case number give newest first.
        """
        q = " ".join(query.split())
        if not q:
            return []
        params: dict[str, Any] = {**self.department_params(), "limit": limit}
        if IIN.match(q):
            kind, params["q"] = "iin", q
        elif CASE_NO.match(q):
            kind, params["q"] = "case_no", q
        else:
            prefix = q.casefold()
            kind, params["lo"], params["hi"] = "surname", prefix, prefix + HIGH
        return self._read(kind, params)

    def list(self, status: str | None = None, limit: int = DEFAULT_LIMIT) -> list[CaseRow]:
        """This Department's cases, newest first (optionally of one status)."""
        params: dict[str, Any] = {**self.department_params(), "limit": limit}
        if status is None:
            return self._read("all", params)
        if status not in CASE_STATUSES:
            from mss_desk.errors import ValidationError

            raise ValidationError("status", key="cases.error.bad_status", status=status)
        params["status"] = status
        return self._read("status", params)

    def get(self, case_no: str) -> CaseDetail:
        """A case of this desk's Department; another Department's is "not found"."""
        with self.read_session() as session:
            case = session.exec(
                select(Case).where(
                    Case.case_no == case_no.strip(), self.in_department(Case.department_code)
                )
            ).first()
            if case is None:
                raise NotFound("case", key="cases.error.not_found", case_no=case_no)
            return self._detail(session, case)

    def get_by_id(self, case_id: int) -> CaseDetail:
        """Also reaches cases without a number (returned_incomplete)."""
        with self.read_session() as session:
            case = session.get(Case, case_id)
            if case is None or not self.owns(case.department_code, "cases"):
                raise NotFound("case", key="cases.error.not_found", case_no=str(case_id))
            return self._detail(session, case)

    def person_history(self, applicant_id: int) -> History:
        """The changes of a person's data made at this Department's desk, oldest first
        (issue 15, item 3: who, when, field old → new)."""
        with self.read_session() as session:
            rows = session.exec(
                select(ApplicantChange)
                .where(
                    ApplicantChange.applicant_id == applicant_id,
                    self.in_department(ApplicantChange.department_code),
                )
                .order_by(col(ApplicantChange.at), col(ApplicantChange.id))
            ).all()
            return [
                ApplicantChangeView(
                    at=r.at, clerk_id=r.clerk_id, case_id=r.case_id,
                    field=r.field_name, old=r.old_value, new=r.new_value,
                )
                for r in rows
            ]

    # --- helpers ---------------------------------------------------------------------------

    def _statement(self, kind: str) -> Any:
        """The search's SELECT, built once per kind and dialect (bound parameters only).

        Core columns, not ORM entities: a list row needs 13 columns, and building two
        entities per row cost more than the query (issue 7: ORM ≤ 5× raw sqlite3 for a
        50-row list). ``EXPLAIN QUERY PLAN`` of each is checked by
        ``tests/store/test_query_plans.py``.
        """
        key = (kind, self.engine.dialect.name)
        stmt = _STATEMENTS.get(key)
        if stmt is not None:
            return stmt
        dept: Any = col(Case.department_code)
        if kind in ("iin", "surname"):
            # ``+ 0``: no index on the Department for these: SQLite would otherwise walk
            # every case of the Department (ix_cases_department_code_submitted_at)
            # instead of the few cases of the people found by IIN or surname.
            dept = dept + 0
        stmt = (
            sa.select(*_columns())
            .join(Applicant, col(Case.applicant_id) == col(Applicant.id))
            .where(department_clause(dept))
        )
        newest = (col(Case.submitted_at).desc(), col(Case.id).desc())
        if kind == "iin":
            stmt = stmt.where(col(Applicant.iin) == sa.bindparam("q")).order_by(*newest)
        elif kind == "case_no":
            stmt = stmt.where(col(Case.case_no) == sa.bindparam("q")).order_by(*newest)
        elif kind == "surname":
            # the surname the case was accepted under (its snapshot, issue 15 item 3): a
            # person who changed their name is found under each name by the cases of it
            fold: Any = col(Case.applicant_surname_fold)
            if self.engine.dialect.name == "postgresql":
                # byte order, so U+FFFF sorts after every Cyrillic and Latin letter
                fold = fold.collate("C")
            stmt = stmt.where(fold >= sa.bindparam("lo"), fold < sa.bindparam("hi")).order_by(
                fold, col(Case.applicant_id), *newest
            )
        elif kind == "status":
            stmt = stmt.where(col(Case.status) == sa.bindparam("status")).order_by(*newest)
        else:
            stmt = stmt.order_by(*newest)
        stmt = stmt.limit(sa.bindparam("limit", type_=sa.Integer))
        _STATEMENTS[key] = stmt
        return stmt

    def _read(self, kind: str, params: dict[str, Any]) -> Rows:
        """Run a search in a read-only transaction (no write lock; see ``ServiceBase.read``)."""
        return [CaseRow(*row) for row in self.read(self._statement(kind), params)]

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
        from mss_desk.exchange.whereabouts import whereabouts

        where = whereabouts(
            session, case.case_no, case.status, case.decided_on, case.received_by_region_on
        )
        return CaseDetail(
            **CaseProgress.values_of(case),
            id=case.id,
            case_no=case.case_no,
            department_code=case.department_code,
            ownership=case.ownership,
            applicant_id=a.id,
            iin=a.iin,
            # issue 15, item 3: the data as accepted with this case, never the latest row
            surname=case.applicant_surname,
            name=case.applicant_name,
            patronymic=case.applicant_patronymic,
            birth_date=a.birth_date,
            sex=a.sex,
            address=case.applicant_address,
            phone=case.applicant_phone,
            **eligibility_answers(case),
            council_decision_no=case.council_decision_no,
            council_decision_date=case.council_decision_date,
            age_at_acceptance=case.age_at_acceptance,
            pension_age=case.pension_age,
            missing=tuple(c for c in case.missing.split(",") if c),
            submitted_at=case.submitted_at,
            terms_from=case.terms_from,
            decision_no=case.decision_no,
            decision_note=case.decision_note,
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
            person_changed=tuple(
                name for name, value in snapshot_values(case).items()
                if getattr(a, name) != value
            ),
            exchange_state=where.state,
            exchange_since=where.since,
        )
