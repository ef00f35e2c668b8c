"""Intake's shared ground and a returned file completed later (items 6, 10, 15, 17).

:class:`IntakeDesk` holds what both a first submit and a later acceptance need: the
numbering and deadlines of an accepted case, the outside-hours check (item 10), and the
returned file's own actions — tick what the applicant brought, evaluate the facts again on
the acceptance day (SPEC "Case lifecycle": a child who turned 18 in between is no longer a
child), and accept it or keep it returned with the new missing list.
``services/intake.py`` builds the first submit on top of it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from mss_desk.errors import NotFound, OutsideHours, RuleViolation, ValidationError
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase, eligibility_answers, next_number
from mss_desk.services.views import DeadlinesView, IntakeForm, IntakeResult
from mss_desk.store.models import Applicant, Case, CaseDocument
from mss_desk.vocabulary import OUTSIDE_HOURS_REASONS

if TYPE_CHECKING:
    from mss_desk.rules.calendar import OfficeStatus

def format_case_no(department_code: int, year: int, seq: int) -> str:
    """``DD-YYYY-NNNNN``: Department code (Annex 1), year of acceptance, sequence."""
    return f"{department_code:02d}-{year:04d}-{seq:05d}"



class IntakeDesk(ServiceBase):
    # --- a returned file completed later ---------------------------------------------------

    def mark_received(
        self, case_id: int, code: str, received: bool = True, clerk_id: int | None = None
    ) -> tuple[str, ...]:
        """Tick (or untick) a document of a case not yet accepted; returns what is missing."""
        self.require_active_clerk(clerk_id)  # item 11
        now = self.now()

        def _mark(session: Session) -> tuple[str, ...]:
            case = self._case(session, case_id)
            if case.status not in ("draft", "returned_incomplete"):
                raise RuleViolation(
                    "already accepted", key="intake.error.not_open", status=case.status
                )
            doc = session.exec(
                select(CaseDocument).where(
                    CaseDocument.case_id == case_id, CaseDocument.code == code
                )
            ).first()
            if doc is None:
                self._known_document(code)
                doc = CaseDocument(case_id=case_id, code=code, required=False)
                session.add(doc)
            doc.received = received
            doc.received_at = now if received else None
            session.flush()
            missing = self._missing(session, case_id)
            case.missing = ",".join(missing)
            case.updated_at = now
            action = "case.document_received" if received else "case.document_unmarked"
            audit.record(session, now, clerk_id, action, "case", case_id, code)
            return missing  # read in this attempt's transaction

        return self.write(_mark)

    def accept(self, case_id: int, clerk_id: int, *, outside_hours: str = "") -> IntakeResult:
        """Accept a returned file once every required document is in (item 15).

        The facts are evaluated again on the acceptance day (SPEC "Case lifecycle"): a
        person no longer eligible is refused with the reasons (``offer``: the type to take
        instead) and nothing is written; deadlines count from this day.
        """
        return self._complete(case_id, frozenset(), clerk_id, None, outside_hours, strict=True)

    def complete(
        self,
        case_id: int,
        received: set[str] | frozenset[str],
        clerk_id: int,
        *,
        institution: str | None = None,
        outside_hours: str = "",
    ) -> IntakeResult:
        """A returned file brought back to the desk (items 6, 15, 17).

        ``received``: the documents brought now (ticked on the case card). The facts are
        evaluated again on this day, under ``institution`` when the clerk took the type the
        desk offered. Eligible and complete: accepted (numbered, deadlines from today).
        Eligible, still incomplete: kept returned with the new missing list (a new slip).
        Not eligible: ``refused`` with the reasons, nothing written.
        """
        return self._complete(
            case_id, frozenset(received), clerk_id, institution, outside_hours, strict=False
        )

    def _complete(
        self,
        case_id: int,
        received: frozenset[str],
        clerk_id: int,
        institution: str | None,
        outside_hours: str,
        *,
        strict: bool,
    ) -> IntakeResult:
        from mss_desk.rules.eligibility import evaluate, offer_for

        for code in received:
            self._known_document(code)
        if institution is not None:
            try:
                self.catalog.institution(institution)
            except KeyError as exc:
                raise ValidationError("institution", key="intake.error.bad_institution") from exc
        now = self.now()
        closed = self._outside_hours(now, outside_hours)
        today = self.local_date(now)

        def _complete_file(session: Session) -> IntakeResult:
            self._check_clerk(session, clerk_id)
            case = self._case(session, case_id)
            if case.status not in ("draft", "returned_incomplete"):
                raise RuleViolation(
                    "already accepted", key="intake.error.not_open", status=case.status
                )
            applicant = session.get(Applicant, case.applicant_id)
            assert applicant is not None
            facts = replace(
                self._form_of(case, applicant).to_facts(today),
                institution=institution or case.institution,
            )
            # item 6: eligibility on the acceptance day, told before any document is checked
            ev = evaluate(facts, self.catalog)
            if not ev.eligible:
                return IntakeResult(
                    outcome="refused",
                    case_id=case.id,
                    reasons=tuple(ev.reasons),
                    offer=offer_for(facts, self.catalog),
                )
            required = tuple(ev.documents)
            docs = {
                d.code: d
                for d in session.exec(select(CaseDocument).where(CaseDocument.case_id == case_id))
            }
            # the list as the rules say today (a type taken, pension age reached since)
            for code, doc in docs.items():
                doc.required = code in required
            for code in required:
                if code not in docs:
                    docs[code] = CaseDocument(case_id=case_id, code=code, required=True)
                    session.add(docs[code])
            brought = []
            for code in sorted(received):
                if code not in docs:
                    docs[code] = CaseDocument(case_id=case_id, code=code, required=False)
                    session.add(docs[code])
                doc = docs[code]
                if not doc.received:
                    doc.received, doc.received_at = True, now
                    brought.append(code)
            session.flush()
            for code in brought:
                audit.record(
                    session, now, clerk_id, "case.document_received", "case", case_id, code
                )
            missing = tuple(c for c in required if not docs[c].received)
            if strict and missing:
                # item 17: incomplete documents are a ground for refusal; never accepted
                raise RuleViolation(
                    "documents missing",
                    key="intake.error.documents_missing",
                    missing=missing,
                    count=len(missing),
                )
            case.institution = facts.institution
            case.priority = bool(ev.priority)
            case.age_at_acceptance = int(ev.age)
            case.pension_age = bool(ev.pension_age)
            case.clerk_id = clerk_id
            self._record_outside_hours(session, now, clerk_id, case_id, closed, outside_hours)
            if missing:
                case.missing = ",".join(missing)
                case.updated_at = now
                audit.record(
                    session,
                    now,
                    clerk_id,
                    "case.return_incomplete",
                    "case",
                    case_id,
                    f"missing={len(missing)}",
                )
                return IntakeResult(
                    outcome="returned_incomplete",
                    case_id=case.id,
                    missing=missing,
                    required=required,
                    reasons=tuple(ev.reasons),
                    priority=case.priority,
                )
            deadlines = self._accept(session, case, now)  # counted from today (item 7.1)
            return IntakeResult(
                outcome="accepted",
                case_id=case.id,
                case_no=case.case_no,
                accepted_at=case.accepted_at,
                deadlines=deadlines,
                required=required,
                reasons=tuple(ev.reasons),
                priority=case.priority,
            )

        # a busy write is run again whole: the rolled-back attempt gave its number back
        return self.write(_complete_file)

    @staticmethod
    def _form_of(case: Case, applicant: Applicant) -> IntakeForm:
        """The stored file as a form, so its facts come from ``IntakeForm.to_facts``."""
        return IntakeForm(
            iin=applicant.iin,
            surname=applicant.surname,
            name=applicant.name,
            birth_date=applicant.birth_date,
            sex=applicant.sex,
            institution=case.institution,
            **eligibility_answers(case),
        )

    # --- outside working hours (item 10) ----------------------------------------------------

    def office_status(self) -> OfficeStatus:
        """Is the Department open now (item 10: 09-18, lunch 13-14, working days)?"""
        return self.calendar.office_status(self.local_now())  # type: ignore[no-any-return]

    def _outside_hours(self, now: datetime, reason: str) -> str | None:
        """None when open; else the closed status word, once a known reason is given.

        Item 10: the service is given 09:00-18:00 on working days; an intake outside that
        (training, an authorised extension) needs the reason, which the audit keeps.
        """
        status = self.calendar.office_status(now.astimezone(self.tz()))
        if status.open:
            return None
        if reason not in OUTSIDE_HOURS_REASONS:
            raise OutsideHours(
                f"closed: {status.reason}",
                key="intake.error.outside_hours",
                reason=status.reason,
            )
        return str(status.reason)

    @staticmethod
    def _record_outside_hours(
        session: Session,
        now: datetime,
        clerk_id: int,
        case_id: int | None,
        closed: str | None,
        reason: str,
    ) -> None:
        if closed is not None:
            audit.record(
                session, now, clerk_id, "case.outside_hours", "case", case_id,
                f"reason={reason};closed={closed}",
            )

    # --- helpers shared with submit ------------------------------------------------------

    def _accept(self, session: Session, case: Case, now: datetime) -> DeadlinesView:
        """Number the case and set its deadlines; in the caller's transaction."""
        from mss_desk.rules.deadlines import compute_deadlines

        accepted_on = self.local_date(now)
        seq = next_number(session, case.department_code, "case", str(accepted_on.year))
        case.case_no = format_case_no(case.department_code, accepted_on.year, seq)
        case.status = "accepted"
        case.accepted_at = now
        case.missing = ""
        # a case keeps the terms in force on its acceptance date (SPEC "regulation is data")
        terms = self.catalog.terms(accepted_on)
        d = compute_deadlines(accepted_on, None, self.calendar, terms)
        case.terms_from = terms.effective_from
        case.service_due = d.service_due  # item 7.1: 15 calendar days
        case.forward_due = d.forward_due  # item 5: 10 days to the Regional Department
        case.decision_due = d.decision_due
        case.binding_due = d.binding_due
        case.binding = d.binding
        case.updated_at = now
        session.flush()
        audit.record(
            session, now, case.clerk_id, "case.accept", "case", case.id, case.case_no or ""
        )
        return DeadlinesView(
            service_due=d.service_due,
            forward_due=d.forward_due,
            decision_due=d.decision_due,
            binding_due=d.binding_due,
            binding=d.binding,
        )

    def _known_document(self, code: str) -> None:
        try:
            self.catalog.document(code)
        except KeyError as exc:
            raise ValidationError(
                "document", key="intake.error.unknown_document", code=code
            ) from exc

    def _check_clerk(self, session: Session, clerk_id: int) -> None:
        self.require_active_clerk(clerk_id, session)  # item 11: not found, or disabled

    def _case(self, session: Session, case_id: int) -> Case:
        case = session.get(Case, case_id)
        if case is None or not self.owns(case.department_code):
            raise NotFound("case", key="cases.error.not_found")
        return case

    @staticmethod
    def _missing(session: Session, case_id: int) -> tuple[str, ...]:
        rows = session.exec(
            select(CaseDocument.code)
            .where(
                CaseDocument.case_id == case_id,
                CaseDocument.required == True,  # noqa: E712
                CaseDocument.received == False,  # noqa: E712
            )
            .order_by(col(CaseDocument.id))
        ).all()
        return tuple(rows)


__all__ = ["IntakeDesk", "format_case_no"]
