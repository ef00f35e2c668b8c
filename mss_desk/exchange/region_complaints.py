"""The Regional Department's complaints (item 22; issue 14, points 1, 3 and 5).

Two kinds of complaint are the region's to answer:

- **registered at the region** about a Department (item 22: complaints are submitted to the
  Departments *and* to the Regional Department): any regional clerk registers it, with the
  complaint talon (item 23); it is stored under the Department it concerns
  (``department_code``, ``at_region``), so that Department sees it by its own rows on the
  shared server, and ``complaint.registered`` carries it to a Department without a link;
- **the second instance**: a Department's complaint escalated after its answer
  (``complaint.escalated``; ``services.complaints.escalate``).

Only the regional head answers either (issue 14.1: "the regional head also reviews
complaints of the second instance"): stamped with the head and the date, audited (numbers
and outcome words only, never a name), and sent back to the Department
(``complaint.answered``) in the same transaction. The deadline is item 23's (SPEC.md: 15
calendar days, a setting): from registration, or from the escalation for the second
instance; the list shows the calendar days left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from mss_desk.errors import AuthError, NotFound, RuleViolation, ValidationError
from mss_desk.exchange import messages
from mss_desk.exchange.complaints import answer_payload, complaint_payload
from mss_desk.exchange.outbox import enqueue, sends_by_bundle
from mss_desk.paper.data import ComplaintTalonData
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase, next_number
from mss_desk.services.complaints import ComplaintService
from mss_desk.services.lifecycle_views import ComplaintView
from mss_desk.store.models import Case, Clerk, Complaint
from mss_desk.text import clean, clean_line


@dataclass(frozen=True)
class RegionComplaint:
    """One complaint as the regional desk lists it."""

    complaint: ComplaintView
    instance: int  # 1: registered at the region; 2: escalated (the second instance)
    due: date  # its answer deadline at the region
    # calendar days to ``due`` (0 on the day, negative when late); None once answered
    days_left: int | None
    answered: bool

    @property
    def complaint_no(self) -> str:
        return self.complaint.complaint_no

    @property
    def department_code(self) -> int | None:
        return self.complaint.department_code


class RegionComplaintService(ServiceBase):
    """The regional desk's complaints; on a Department's desk every call is refused."""

    def _require_region(self) -> None:
        if self.department_code() != messages.REGION:
            raise ValidationError("not the regional desk", key="exchange.not_regional")

    @property
    def _complaints(self) -> ComplaintService:
        return ComplaintService(self.hub)

    def _load(self, session: Session, complaint_no: str, *, lock: bool = True) -> Complaint:
        stmt = select(Complaint).where(
            Complaint.complaint_no == complaint_no,
            or_(col(Complaint.at_region).is_(True), col(Complaint.escalated_on).is_not(None)),
        )
        c = session.exec(stmt.with_for_update() if lock else stmt).first()
        if c is None:
            raise NotFound(f"no complaint {complaint_no}", key="error.not_found")
        return c

    # ------------------------------------------------------------------ register

    def register(
        self,
        department_code: int,
        complainant: str,
        text: str,
        clerk_id: int | None,
        *,
        case_no: str | None = None,
        contact: str = "",
    ) -> ComplaintView:
        """Item 22: a complaint about Department ``department_code``, taken at the region.

        Numbered in the region's series (``00-YYYY-Cnnnn``, gap-free); its message to the
        Department is written in the same transaction. Texts are cleaned at the boundary
        (issue 15, item 1), as the Department's register does.
        """
        self._require_region()
        complainant, contact = clean_line(complainant), clean_line(contact)
        text, case_no = clean(text).strip(), clean_line(case_no or "") or None
        if department_code not in self.catalog.departments:
            raise ValidationError("department", key="region_complaints.error.department")
        if not complainant:
            raise ValidationError("complainant", key="lifecycle.error.complainant")
        if not text:
            raise ValidationError("text", key="lifecycle.error.complaint_text")
        if case_no and not case_no.startswith(f"{department_code:02d}-"):
            # case numbers are DD-YYYY-NNNNN (SPEC.md): the Department's code leads
            raise ValidationError("case_no", key="region_complaints.error.case_no")
        now = self.now()
        today = self.local_date(now)

        def _register(session: Session) -> ComplaintView:
            from mss_desk.exchange.apply import _department_row

            self.require_active_clerk(clerk_id, session)
            case_id = None
            if case_no:
                case_id = session.exec(
                    select(Case.id).where(
                        Case.case_no == case_no, Case.department_code == department_code
                    )
                ).first()
            _department_row(session, session.connection(), self, department_code)
            seq = next_number(session, messages.REGION, "complaint", str(today.year))
            row = Complaint(
                complaint_no=f"{messages.REGION:02d}-{today.year}-C{seq:04d}",
                department_code=department_code,
                case_id=case_id,
                case_no=case_no,
                complainant=complainant,
                contact=contact,
                text=text,
                registered_at=now,
                registered_by=clerk_id,
                answer_due=self._complaints.answer_due(today),
                status="registered",
                at_region=True,
            )
            session.add(row)
            session.flush()
            message_id = "-"  # a Department on the shared server reads it in its rows
            if sends_by_bundle(session, department_code):
                message_id = enqueue(
                    session, sender=messages.REGION, to_code=department_code,
                    kind=messages.COMPLAINT_REGISTERED, payload=complaint_payload(session, row),
                    now=now, case_no=row.complaint_no,  # the number the problem list shows
                ).id  # fmt: skip
            audit.record(
                session, now, clerk_id, "complaint.register", "complaint", row.id,
                f"about={department_code} at=region message={message_id}",
            )  # fmt: skip
            return self._complaints._view(session, row)

        return self.write(_register)

    # ------------------------------------------------------------------ read

    def get(self, complaint_no: str) -> RegionComplaint:
        self._require_region()
        with self.read_session() as session:
            return self._row(session, self._load(session, complaint_no, lock=False))

    def list(self) -> list[RegionComplaint]:
        """Open ones first, the nearest deadline first; then the answered, newest first."""
        self._require_region()
        with self.read_session() as session:
            rows = session.exec(
                select(Complaint).where(
                    or_(
                        col(Complaint.at_region).is_(True),
                        col(Complaint.escalated_on).is_not(None),
                    )
                )
            ).all()
            out = [self._row(session, c) for c in rows]
        return sorted(
            out,
            key=lambda r: (
                r.answered,
                r.due.toordinal() if not r.answered else -r.due.toordinal(),
                r.complaint_no,
            ),
        )

    def _row(self, session: Session, c: Complaint) -> RegionComplaint:
        view = self._complaints._view(session, c)
        instance = 1 if c.at_region else 2
        if instance == 1:
            due, answered = view.answer_due, c.status == "answered"
        else:
            assert c.second_due is not None or c.escalated_on is not None
            due = c.second_due or self._complaints.answer_due(c.escalated_on)  # type: ignore[arg-type]
            answered = c.second_answered_on is not None
        days = None if answered else (due - self.today()).days
        return RegionComplaint(view, instance, due, days, answered)

    # ------------------------------------------------------------------ answer

    def review(
        self,
        complaint_no: str,
        head_id: int | None,
        *,
        justified: bool,
        satisfied: bool,
        answer_text: str = "",
        answered_on: date | None = None,
    ) -> RegionComplaint:
        """Item 22: the regional head answers (and only the head): the complaint registered
        at the region, or the second instance of an escalated one."""
        self._require_region()
        answered_on = answered_on or self.today()
        answer_text = clean(answer_text).strip()  # issue 15, item 1: text is data
        if satisfied and not justified:
            raise ValidationError("outcome", key="lifecycle.error.outcome")

        def _review(session: Session) -> RegionComplaint:
            head = session.get(Clerk, head_id) if head_id is not None else None
            if head is not None and not head.active:  # item 11: a disabled head acts no more
                raise AuthError("disabled", key="clerks.disabled")
            if head is None or head.role != "head" or head.department_code != messages.REGION:
                raise RuleViolation("head only", key="region_complaints.error.head_only")
            c = self._load(session, complaint_no)
            instance = 1 if c.at_region else 2
            done = c.status == "answered" if instance == 1 else c.second_answered_on is not None
            if done:
                raise RuleViolation("answered", key="lifecycle.error.complaint_answered")
            since = (
                self.local_date(c.registered_at) if instance == 1 else c.escalated_on
            )
            if answered_on > self.today():
                raise RuleViolation("future", key="lifecycle.error.future_date", what="answer")
            if since is not None and answered_on < since:
                raise RuleViolation(
                    "before", key="lifecycle.error.date_order", what="answer",
                    earlier=since.isoformat(),
                )  # fmt: skip
            if instance == 1:
                c.justified, c.satisfied, c.answer_text = justified, satisfied, answer_text
                c.answered_on, c.reviewed_by, c.status = answered_on, head_id, "answered"
                due = c.answer_due
            else:
                c.second_justified, c.second_satisfied = justified, satisfied
                c.second_answer_text, c.second_answered_on = answer_text, answered_on
                c.second_reviewed_by = head_id
                due = c.second_due
            session.add(c)
            session.flush()
            message_id = "-"  # a Department on the shared server reads it in its rows
            if sends_by_bundle(session, c.department_code):
                message_id = enqueue(
                    session, sender=messages.REGION, to_code=c.department_code,
                    kind=messages.COMPLAINT_ANSWERED, payload=answer_payload(c, instance),
                    now=self.now(), case_no=c.complaint_no,
                ).id  # fmt: skip
            on_time = due is not None and answered_on <= due
            audit.record(
                session, self.now(), head_id, "complaint.review_region", "complaint", c.id,
                f"instance={instance} justified={justified} satisfied={satisfied}"
                f" on_time={on_time} message={message_id}",
            )  # fmt: skip
            return self._row(session, c)

        return self.write(_review)

    # ------------------------------------------------------------------ paper

    def talon(self, complaint_no: str) -> ComplaintTalonData:
        """Item 23: the talon of a complaint registered at the region: the answer is given
        at the Regional Department (item 24.2), whose head is the official to ask."""
        self._require_region()
        with self.read_session() as session:
            c = self._load(session, complaint_no, lock=False)
            if not c.at_region:
                raise NotFound(f"no complaint {complaint_no}", key="error.not_found")
            # the region itself is the place: no next instance printed here
            return self._complaints.talon_of(
                session, c, self.catalog.regional,
                Clerk.department_code == messages.REGION, regional=None,
            )  # fmt: skip

    def print_talon(self, complaint_no: str, settings: object, **kw: object) -> object:
        """Item 23: print (or save) the talon; called only after the clerk confirmed."""
        from mss_desk import paper
        from mss_desk.paper.reprint import paper_settings

        return paper.print_complaint_talon(
            self.talon(complaint_no), paper_settings(settings), **kw  # type: ignore[arg-type]
        )
