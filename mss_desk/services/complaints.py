"""Complaints about a clerk's action or inaction (items 21-23).

Registered by any clerk; the complaint talon (item 23) shows the answer deadline, the place
of the answer and whom to ask. Only a head of Department reviews: the outcome records
whether the complaint was justified, satisfied, and answered on time (indicators 4.1, 4.2).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from mss_desk.errors import AuthError, NotFound, RuleViolation, ValidationError
from mss_desk.paper.data import ComplaintTalonData
from mss_desk.paper.labels import both, kk, ru
from mss_desk.paper.reprint import department_contact
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase, next_number
from mss_desk.services.lifecycle_views import ComplaintView
from mss_desk.store.models import Case, Clerk, Complaint
from mss_desk.text import clean, clean_line

STATUSES: tuple[str, ...] = ("registered", "answered")


def _position(role: str) -> str:
    """The position of the clerk who took a complaint, in Kazakh and Russian (item 23)."""
    return both("position.head" if role == "head" else "position.clerk")


class ComplaintService(ServiceBase):
    def _view(self, session: Session, c: Complaint) -> ComplaintView:
        assert c.id is not None and c.complaint_no is not None and c.answer_due is not None
        case_no = c.case_no  # issue 14.3: as given at the region when no case is linked
        if c.case_id is not None:
            case = session.get(Case, c.case_id)
            case_no = case.case_no if case is not None else case_no
        return ComplaintView(
            id=c.id,
            complaint_no=c.complaint_no,
            complainant=c.complainant,
            contact=c.contact,
            case_no=case_no,
            about_clerk_id=c.about_clerk_id,
            text=c.text,
            registered_at=c.registered_at,
            registered_on=self.local_date(c.registered_at),
            registered_by=c.registered_by,
            answer_due=c.answer_due,
            status=c.status,
            answered_on=c.answered_on,
            answer_text=c.answer_text,
            justified=c.justified,
            satisfied=c.satisfied,
            reviewed_by=c.reviewed_by,
            at_region=bool(c.at_region),
            escalated_on=c.escalated_on,
            second_due=c.second_due,
            second_answered_on=c.second_answered_on,
            second_answer_text=c.second_answer_text or "",
            second_justified=c.second_justified,
            second_satisfied=c.second_satisfied,
            department_code=c.department_code,
        )

    def _load(self, session: Session, complaint_no: str, *, lock: bool = True) -> Complaint:
        # FOR UPDATE (PostgreSQL) for a review; ``lock=False`` for a read (read-only
        # transaction: no row lock to wait for behind the head answering it)
        stmt = select(Complaint).where(
            Complaint.complaint_no == complaint_no,
            self.in_department(Complaint.department_code),
        )
        c = session.exec(stmt.with_for_update() if lock else stmt).first()
        if c is None:
            raise NotFound(f"no complaint {complaint_no}", key="error.not_found")
        return c

    def answer_due(self, registered_on: date) -> date:
        """Item 23 (Decision: 15 calendar days, a setting); a due day that is not a working
        day moves to the next working day (SPEC, non-working days)."""
        days = self.catalog.terms(registered_on).complaint_answer_days
        return self.calendar.next_working_day(registered_on + timedelta(days=days))  # type: ignore[no-any-return]

    def register(
        self,
        complainant: str,
        text: str,
        clerk_id: int,
        *,
        case_no: str | None = None,
        contact: str = "",
        about_clerk_id: int | None = None,
    ) -> ComplaintView:
        """Item 22: register a complaint; numbered per Department and year, gap-free.

        Issue 15, item 1: every text is cleaned here, at the boundary (``mss_desk.text``,
        as intake does): stored escape sequences would reach the clerk's terminal when the
        complaint is shown (OSC 52 writes the clipboard, CSI 2J blanks the screen).
        """
        complainant, contact = clean_line(complainant), clean_line(contact)
        text, case_no = clean(text).strip(), clean_line(case_no or "") or None
        if not complainant:
            raise ValidationError("complainant", key="lifecycle.error.complainant")
        if not text:
            raise ValidationError("text", key="lifecycle.error.complaint_text")
        now = self.now()
        today = self.local_date(now)
        dept = self.department_code()

        def _register(session: Session) -> ComplaintView:
            self.require_active_clerk(clerk_id, session)  # item 11: not a disabled clerk
            case_id = None
            if case_no:
                case = session.exec(
                    select(Case).where(
                        Case.case_no == case_no, self.in_department(Case.department_code)
                    )
                ).first()
                if case is None:
                    raise NotFound(f"no case {case_no}", key="error.not_found")
                case_id = case.id
            if about_clerk_id is not None:
                about = session.get(Clerk, about_clerk_id)
                if about is None or not self.owns(about.department_code):
                    raise NotFound("no clerk", key="error.not_found")
            seq = next_number(session, dept, "complaint", str(today.year))
            row = Complaint(
                complaint_no=f"{dept:02d}-{today.year}-C{seq:04d}",
                department_code=dept,
                case_id=case_id,
                complainant=complainant,
                contact=contact,
                about_clerk_id=about_clerk_id,
                text=text,
                registered_at=now,
                registered_by=clerk_id,
                answer_due=self.answer_due(today),
                status="registered",
            )
            session.add(row)
            session.flush()
            audit.record(session, now, clerk_id, "complaint.register", "complaint", row.id, "")
            return self._view(session, row)

        # a busy write is run again whole: the rolled-back attempt took no number, no audit
        return self.write(_register)

    def get(self, complaint_no: str) -> ComplaintView:
        with self.read_session() as session:
            return self._view(session, self._load(session, complaint_no, lock=False))

    def list(self, status: str | None = None) -> list[ComplaintView]:
        """Newest first."""
        with self.read_session() as session:
            stmt = select(Complaint).where(self.in_department(Complaint.department_code))
            if status is not None:
                stmt = stmt.where(Complaint.status == status)
            stmt = stmt.order_by(col(Complaint.registered_at).desc(), col(Complaint.id).desc())
            return [self._view(session, c) for c in session.exec(stmt).all()]

    def review(
        self,
        complaint_no: str,
        head_id: int,
        *,
        justified: bool,
        satisfied: bool,
        answer_text: str = "",
        answered_on: date | None = None,
    ) -> ComplaintView:
        """Item 21: the head of Department reviews and answers. Only a head may."""
        answered_on = answered_on or self.today()
        answer_text = clean(answer_text).strip()  # issue 15, item 1: text is data
        if satisfied and not justified:
            raise ValidationError("outcome", key="lifecycle.error.outcome")

        def _review(session: Session) -> ComplaintView:
            head = session.get(Clerk, head_id)
            if head is not None and not head.active:  # item 11: a disabled head acts no more
                raise AuthError("disabled", key="clerks.disabled")
            if (
                head is None
                or head.role != "head"
                or not head.active
                or not self.owns(head.department_code)
            ):
                raise RuleViolation("head only", key="lifecycle.error.head_only")
            c = self._load(session, complaint_no)
            if c.at_region:  # issue 14.3: registered at the region, answered there
                raise RuleViolation("at region", key="region_complaints.error.at_region")
            if c.status == "answered":
                raise RuleViolation("answered", key="lifecycle.error.complaint_answered")
            registered_on = self.local_date(c.registered_at)
            if answered_on > self.today():
                raise RuleViolation("future", key="lifecycle.error.future_date", what="answer")
            if answered_on < registered_on:
                raise RuleViolation(
                    "before registration",
                    key="lifecycle.error.date_order",
                    what="answer",
                    earlier=registered_on.isoformat(),
                )
            c.justified = justified
            c.satisfied = satisfied
            c.answer_text = answer_text
            c.answered_on = answered_on
            c.reviewed_by = head_id
            c.status = "answered"
            session.add(c)
            session.flush()
            on_time = c.answer_due is not None and answered_on <= c.answer_due
            audit.record(
                session,
                self.now(),
                head_id,
                "complaint.review",
                "complaint",
                c.id,
                f"justified={justified} satisfied={satisfied} on_time={on_time}",
            )
            return self._view(session, c)

        return self.write(_review)  # a busy write is run again whole

    def escalate(
        self, complaint_no: str, clerk_id: int | None, *, on: date | None = None
    ) -> ComplaintView:
        """Item 22, the second instance: the applicant disagrees with the Department's
        answer, and the complaint goes to the Regional Department (any clerk records it).

        ``complaint.escalated`` is written to the outbox in the same transaction (issue 14.5)
        — not on the shared server, where the region reads the row at once (as a forwarded
        file: ``exchange.outbox.record_forward``). The second instance's deadline is item
        23's (SPEC: 15 calendar days, a setting), counted from the escalation.
        """
        from mss_desk.exchange import messages
        from mss_desk.exchange.complaints import complaint_payload
        from mss_desk.exchange.outbox import enqueue
        from mss_desk.store.roles import connected_as_desk_role

        on = on or self.today()
        if self.department_code() == messages.REGION:
            raise RuleViolation("region", key="region_complaints.error.not_department")

        def _escalate(session: Session) -> ComplaintView:
            self.require_active_clerk(clerk_id, session)
            c = self._load(session, complaint_no)
            if c.at_region:
                raise RuleViolation("at region", key="region_complaints.error.at_region")
            if c.escalated_on is not None:
                raise RuleViolation("escalated", key="region_complaints.error.escalated")
            if c.status != "answered" or c.answered_on is None:
                raise RuleViolation("not answered", key="region_complaints.error.not_answered")
            if on > self.today():
                raise RuleViolation("future", key="lifecycle.error.future_date", what="answer")
            if on < c.answered_on:
                raise RuleViolation(
                    "before the answer", key="lifecycle.error.date_order", what="answer",
                    earlier=c.answered_on.isoformat(),
                )  # fmt: skip
            c.escalated_on = on
            c.second_due = self.answer_due(on)
            session.add(c)
            session.flush()
            detail = "to=region"
            if not connected_as_desk_role(session):
                row = enqueue(
                    session, sender=c.department_code, to_code=messages.REGION,
                    kind=messages.COMPLAINT_ESCALATED, payload=complaint_payload(session, c),
                    now=self.now(), case_no=c.complaint_no,  # what the problem list shows
                )  # fmt: skip
                detail += f" message={row.id}"
            audit.record(
                session, self.now(), clerk_id, "complaint.escalate", "complaint", c.id, detail
            )
            return self._view(session, c)

        return self.write(_escalate)

    def talon(self, complaint_no: str) -> ComplaintTalonData:
        """Item 23: what the complaint talon shows (the paper room draws it)."""
        dept = self.catalog.department(self.department_code())
        with self.read_session() as session:
            c = self._load(session, complaint_no, lock=False)
            return self.talon_of(
                session, c, dept, self.in_department(Clerk.department_code),
                regional=department_contact(self.catalog.regional),  # items 22, 24.2
            )  # fmt: skip

    def talon_of(
        self, session: Session, c: Complaint, place: Any, heads: Any, regional: Any
    ) -> ComplaintTalonData:
        """The talon of ``c``, answered at ``place`` (a Department of Annex 1, or the
        Regional Department) whose head — the first active one of ``heads``, a condition on
        ``Clerk.department_code`` — is the official to ask; ``regional``: the next instance
        printed (None where the region itself answers)."""
        view = self._view(session, c)
        head = session.exec(
            select(Clerk)
            .where(heads, Clerk.role == "head", col(Clerk.active).is_(True))
            .order_by(col(Clerk.id))
        ).first()
        clerk = session.get(Clerk, c.registered_by) if c.registered_by else None
        contact = department_contact(place)  # Annex 1, as on every paper
        address_kk = getattr(place, "address_kk", "") or getattr(place, "address", "")
        return ComplaintTalonData(
            complaint_no=view.complaint_no,
            accepted_at=view.registered_at,  # item 23: date and time of registration
            answer_due=view.answer_due,
            # item 23: where the answer is given — the Department, its address and hours
            answer_place=f"{place.name_kk}, {address_kk}",
            answer_place_ru=f"{place.name_ru}, {getattr(place, 'address_ru', '') or ''}",
            answer_how=(kk("answer_how.text"), ru("answer_how.text")),
            official_name=f"{head.surname} {head.name}" if head else "",
            official_phone=contact.phones[0] if contact.phones else "",
            department=contact,
            official_position=both("position.head") if head else None,
            accepted_by=f"{clerk.surname} {clerk.name}" if clerk else None,
            accepted_by_position=_position(clerk.role) if clerk else None,
            applicant_name=view.complainant,
            case_no=view.case_no,
            tz_name=self.hub.department_tz(),
            regional=regional,
        )
