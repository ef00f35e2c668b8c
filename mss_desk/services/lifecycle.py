"""The case after acceptance: forwarding, decision, result, delivery, safekeeping, dashboard.

Every transition is one transaction: it asks the pure table (``rules.lifecycle``) whether
the move is legal, checks the facts the step needs, writes the case and an audit event
(who, when, which case; never personal data). A batch (forwarding several files) is all
or nothing.

Every move runs through ``ServiceBase.write``: a move that found the database busy (another
desk was writing past the busy timeout) was rolled back whole — case, audit event, survey —
and is run again from the start, so it is applied once; after the last attempt the clerk
sees "busy, try again" with the form kept. Nothing outside the transaction is touched in a
move's body (the forwarding register's lines are built afresh by each attempt).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from mss_desk.errors import NotFound, RuleViolation, ValidationError
from mss_desk.rules import lifecycle as rules
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase
from mss_desk.services.lifecycle_queries import complaints_due, dashboard_cases
from mss_desk.services.lifecycle_views import (
    Dashboard,
    ForwardingRegister,
    LifecycleRow,
    RegisterLine,
)
from mss_desk.services.views import CaseProgress
from mss_desk.store.models import (
    Applicant,
    Case,
    CaseDocument,
    QueueTicket,
    SurveyResponse,
)
from mss_desk.text import clean, clean_line
from mss_desk.vocabulary import DELIVERY_METHODS

SURVEY_QUESTIONS: tuple[str, ...] = ("2.1", "3.1", "4.3", "4.4", "5.1")


def _survey_column(no: str) -> str:
    return "q_" + no.replace(".", "_")


class LifecycleService(ServiceBase):
    # --- reading ------------------------------------------------------------------------

    def _load(self, session: Session, case_no: str, *, lock: bool = True) -> Case:
        # FOR UPDATE (PostgreSQL): two clerks cannot move the same case at once; SQLite
        # already holds the write lock from BEGIN IMMEDIATE. ``lock=False`` for a read (a
        # read-only transaction: no row lock, it would wait behind the clerk moving it).
        stmt = select(Case).where(
            Case.case_no == case_no, self.in_department(Case.department_code)
        )
        case = session.exec(stmt.with_for_update() if lock else stmt).first()
        if case is None:
            raise NotFound(f"no case {case_no}", key="error.not_found")
        return case

    def _row(self, case: Case, applicant: Applicant | None) -> LifecycleRow:
        # issue 15, item 3: the name as accepted with the case (its snapshot), never the
        # person's latest row — the register and the postal notice print this
        name = " ".join(
            p for p in (case.applicant_surname, case.applicant_name, case.applicant_patronymic)
            if p
        )
        return LifecycleRow(
            **CaseProgress.values_of(case),
            case_no=case.case_no or "",
            applicant_name=name,
            accepted_on=self.local_date(case.accepted_at) if case.accepted_at else None,
        )

    def _rows(self, session: Session, statuses: Iterable[str]) -> list[tuple[Case, Applicant]]:
        stmt = (
            select(Case, Applicant)
            .join(Applicant, col(Applicant.id) == col(Case.applicant_id))
            .where(
                self.in_department(Case.department_code),
                col(Case.status).in_(list(statuses)),
                col(Case.case_no).is_not(None),
            )
        )
        return list(session.exec(stmt).all())

    def get(self, case_no: str) -> LifecycleRow:
        with self.read_session() as session:
            case = self._load(session, case_no, lock=False)
            return self._row(case, session.get(Applicant, case.applicant_id))

    def in_status(self, *statuses: str) -> list[LifecycleRow]:
        """Cases in the given statuses, oldest acceptance first."""
        with self.read_session() as session:
            rows = [self._row(c, a) for c, a in self._rows(session, statuses)]
        return sorted(rows, key=lambda r: (r.accepted_at is None, r.accepted_at, r.case_no))

    def to_forward(self) -> list[LifecycleRow]:
        """Accepted cases not yet sent, the nearest forwarding deadline first (item 5)."""
        rows = self.in_status("accepted")
        return sorted(rows, key=lambda r: (r.forward_due or date.max, r.case_no))

    def waiting_list(self) -> list[LifecycleRow]:
        """Files at the Regional Department awaiting a decision; WWII priority first (6.1)."""
        rows = {r.case_no: r for r in self.in_status("forwarded")}
        entries = [
            rules.WaitingEntry(r.case_no, r.priority, r.forwarded_on, r.accepted_at)
            for r in rows.values()
        ]
        return [rows[e.case_no] for e in rules.waiting_order(entries)]

    # --- transitions ------------------------------------------------------------------------

    def _check_day(self, when: date, earlier: date | None, what: str) -> None:
        rules.check_not_future(when, self.today(), what)
        rules.check_not_before(when, earlier, what)

    def _accepted_on(self, case: Case) -> date:
        assert case.accepted_at is not None
        return self.local_date(case.accepted_at)

    def _terms(self, case: Case) -> Any:
        # Decision (SPEC): a case keeps the terms in force on its acceptance date.
        return self.catalog.terms(case.terms_from or self._accepted_on(case))

    def _recompute(self, case: Case) -> None:
        """Decision deadline and binding deadline from the forwarding date (item 5)."""
        from mss_desk.rules.deadlines import compute_deadlines

        d = compute_deadlines(
            self._accepted_on(case), case.forwarded_on, self.calendar, self._terms(case)
        )
        case.service_due = d.service_due
        case.forward_due = d.forward_due
        case.decision_due = d.decision_due
        case.binding_due = d.binding_due
        case.binding = d.binding

    def _step(
        self,
        session: Session,
        case_no: str,
        action: str,
        clerk_id: int,
        apply: Callable[[Session, Case], str],
        then: Callable[[Session, Case], object] | None = None,
    ) -> Case:
        """The status-change sequence, inside the caller's transaction: load the case
        (locked), ask the pure table whether ``action`` is legal before anything is
        checked or written, let ``apply`` check the step's facts and write them (it returns
        the audit detail), then move the status with its audit event, and ``then`` (what
        must follow the move: the survey at delivery)."""
        case = self._load(session, case_no)
        old, new = case.status, rules.next_status(case.status, action)
        detail = apply(session, case)
        case.status = new
        self._record(
            session, case, action, clerk_id, f"{old}->{new}" + (f" {detail}" if detail else "")
        )
        if then is not None:
            then(session, case)
        return case

    def _change(
        self,
        case_no: str,
        action: str,
        clerk_id: int,
        apply: Callable[[Session, Case], str],
        then: Callable[[Session, Case], object] | None = None,
    ) -> LifecycleRow:
        """One case's status change as one transaction (retried whole when busy)."""

        def _run(session: Session) -> LifecycleRow:
            case = self._step(session, case_no, action, clerk_id, apply, then)
            return self._row(case, session.get(Applicant, case.applicant_id))

        return self.write(_run)

    def _record(
        self, session: Session, case: Case, action: str, clerk_id: int, detail: str
    ) -> None:
        """Write the case and its audit event (who, when, which case; never personal data)."""
        case.updated_at = self.now()
        session.add(case)
        session.flush()
        audit.record(session, self.now(), clerk_id, f"case.{action}", "case", case.case_no, detail)

    def forward(
        self, case_nos: Sequence[str], clerk_id: int, sent_on: date | None = None
    ) -> ForwardingRegister:
        """Item 5: mark the files sent to the Regional Department on ``sent_on``.

        Recalculates each case's decision deadline and binding deadline (rules.deadlines).
        Returns the forwarding register, one line per case, for the paper files.
        """
        sent_on = sent_on or self.today()
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk changes nothing
        names = list(dict.fromkeys(n.strip() for n in case_nos if n.strip()))
        if not names:
            raise ValidationError("no case", key="lifecycle.error.no_cases")

        def sent(_session: Session, case: Case) -> str:
            self._check_day(sent_on, self._accepted_on(case), "forward")
            case.forwarded_on = sent_on
            if case.first_forwarded_on is None:
                case.first_forwarded_on = sent_on
            self._recompute(case)
            return f"on={sent_on.isoformat()}"

        def _forward(session: Session) -> list[RegisterLine]:
            lines: list[RegisterLine] = []  # per attempt: a retried batch starts afresh
            for i, case_no in enumerate(names, start=1):
                case = self._step(session, case_no, "forward", clerk_id, sent)
                docs = session.exec(
                    select(func.count())
                    .select_from(CaseDocument)
                    .where(CaseDocument.case_id == case.id, col(CaseDocument.received).is_(True))
                ).one()
                applicant = session.get(Applicant, case.applicant_id)
                row = self._row(case, applicant)
                lines.append(
                    RegisterLine(
                        no=i,
                        case_no=case_no,
                        applicant_name=row.applicant_name,
                        institution=case.institution,
                        accepted_on=self._accepted_on(case),
                        priority=case.priority,
                        documents=int(docs),
                        decision_due=case.decision_due,
                        binding_due=case.binding_due,
                        council_decision_no=case.council_decision_no,
                        council_decision_date=case.council_decision_date,
                    )
                )
            return lines

        lines = self.write(_forward)
        return ForwardingRegister(
            department_code=self.department_code(),
            sent_on=sent_on,
            clerk_id=clerk_id,
            lines=tuple(lines),
        )

    def return_for_correction(
        self, case_no: str, clerk_id: int, note: str, returned_on: date | None = None
    ) -> LifecycleRow:
        """The Regional Department sent the file back: recorded (indicator 2.2), and the
        case is back at the Department to correct and forward again."""
        returned_on = returned_on or self.today()
        note = clean(note)  # issue 15, item 1: stored text is data, never terminal control
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk changes nothing

        def returned(_session: Session, case: Case) -> str:
            self._check_day(returned_on, case.forwarded_on, "return_for_correction")
            case.returned_by_region_on = returned_on
            case.returned_by_region_note = note.strip()
            case.forwarded_on = None
            self._recompute(case)
            return ""

        return self._change(case_no, "return_for_correction", clerk_id, returned)

    def decide(
        self,
        case_no: str,
        clerk_id: int,
        decision: str,
        *,
        decided_on: date | None = None,
        referral_no: str = "",
        institution_name: str = "",
        ownership: str = "",
        reason: str = "",
    ) -> LifecycleRow:
        """Item 5: the Regional Department's referral (number, institution, state or
        non-state, item 3) or refusal (reason, item 17)."""
        decided_on = decided_on or self.today()
        referral_no, institution_name = clean_line(referral_no), clean_line(institution_name)
        reason = clean(reason)  # issue 15, item 1: stored text is data, never terminal control
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk changes nothing
        rules.check_decision(
            decision,
            referral_no=referral_no,
            institution_name=institution_name,
            ownership=ownership,
            reason=reason,
        )

        def decided(_session: Session, case: Case) -> str:
            self._check_day(decided_on, case.forwarded_on, "decide")
            case.decision = decision
            case.decided_on = decided_on
            if decision == "referral":
                case.decision_no = referral_no.strip()
                case.referral_institution = institution_name.strip()
                case.ownership = ownership
                case.decision_note = ""
            else:
                case.decision_no = None
                case.referral_institution = ""
                case.decision_note = reason.strip()
            return decision

        return self._change(case_no, "decide", clerk_id, decided)

    def result_ready(
        self, case_no: str, clerk_id: int, ready_on: date | None = None
    ) -> LifecycleRow:
        """The decision's paper is at the Department: the result can be handed over."""
        ready_on = ready_on or self.today()
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk changes nothing

        def ready(_session: Session, case: Case) -> str:
            self._check_day(ready_on, case.decided_on, "result_ready")
            case.result_ready_on = ready_on
            return ""

        return self._change(case_no, "result_ready", clerk_id, ready)

    def deliver(
        self,
        case_no: str,
        clerk_id: int,
        method: str,
        *,
        ticket_id: int | None = None,
        notice_on: date | None = None,
        postal_address: str = "",
        survey: Mapping[str, bool | None] | None = None,
    ) -> LifecycleRow:
        """Item 16: in person through a ``collect`` ticket (items 7.3, 10), or by a postal
        notice sent on ``notice_on`` to ``postal_address``. An optional survey (Annex 2) is
        written in the same transaction; a skipped survey writes nothing."""
        if method not in DELIVERY_METHODS:
            raise ValidationError("method", key="lifecycle.error.delivery_method")
        postal_address = clean_line(postal_address)  # issue 15, item 1 (as intake does)
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk changes nothing
        today = self.today()

        def delivered(session: Session, case: Case) -> str:
            if method == "in_person":
                ticket = session.get(QueueTicket, ticket_id) if ticket_id is not None else None
                if (
                    ticket is None
                    or ticket.purpose != "collect"
                    or ticket.department_code != case.department_code
                    or ticket.day != today
                ):
                    raise RuleViolation("collect ticket", key="lifecycle.error.collect_ticket")
                case.delivery_ticket_id = ticket.id
                case.delivered_on = today
            else:
                posted_on = notice_on or today
                self._check_day(posted_on, case.result_ready_on, "deliver")
                address = postal_address.strip() or case.postal_address.strip()
                if not address:
                    raise ValidationError("address", key="lifecycle.error.postal_address")
                case.postal_address = address
                case.postal_notice_on = posted_on
                case.delivered_on = posted_on
            case.delivery_method = method
            return method

        def surveyed(session: Session, case: Case) -> object:
            return None if survey is None else self._survey(session, case, survey)

        return self._change(case_no, "deliver", clerk_id, delivered, surveyed)

    def send_notice(
        self,
        case_no: str,
        clerk_id: int,
        *,
        notice_on: date | None = None,
        postal_address: str = "",
    ) -> LifecycleRow:
        """Item 16: a postal notice that the result is ready (the case stays ``result_ready``:
        the applicant collects it, or after the configured days it goes to safekeeping)."""
        notice_on = notice_on or self.today()
        postal_address = clean_line(postal_address)  # issue 15, item 1 (as intake does)
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk changes nothing

        def _send_notice(session: Session) -> LifecycleRow:
            case = self._load(session, case_no)
            if case.status != "result_ready":
                raise RuleViolation("notice", key="lifecycle.error.deliver", status=case.status)
            self._check_day(notice_on, case.result_ready_on, "notice")
            address = postal_address.strip() or case.postal_address.strip()
            if not address:
                raise ValidationError("address", key="lifecycle.error.postal_address")
            case.postal_address = address
            case.postal_notice_on = notice_on
            self._record(session, case, "notice", clerk_id, f"on={notice_on.isoformat()}")
            return self._row(case, session.get(Applicant, case.applicant_id))

        return self.write(_send_notice)

    def collect_until(self, case_no: str) -> date | None:
        """The last day to collect the result before safekeeping (item 18.6)."""
        with self.read_session() as session:
            case = self._load(session, case_no, lock=False)
            if case.result_ready_on is None:
                return None
            days = self._terms(case).safekeeping_days
            return rules.safekeeping_from(case.result_ready_on, days) - timedelta(days=1)

    def record_survey(self, case_no: str, answers: Mapping[str, bool | None]) -> bool:
        """The survey at delivery, if not given with ``deliver``. False when skipped."""

        def _record_survey(session: Session) -> bool:
            case = self._load(session, case_no)
            if case.status != "delivered":
                raise RuleViolation("survey at delivery", key="lifecycle.error.survey_when")
            return self._survey(session, case, answers)

        return self.write(_record_survey)

    def _survey(self, session: Session, case: Case, answers: Mapping[str, bool | None]) -> bool:
        unknown = set(answers) - set(SURVEY_QUESTIONS)
        if unknown:
            raise ValidationError(f"unknown questions {sorted(unknown)}")
        if all(answers.get(q) is None for q in SURVEY_QUESTIONS):
            return False  # skipped: no row, counts nowhere
        exists = session.exec(
            select(SurveyResponse.id).where(SurveyResponse.case_id == case.id)
        ).first()
        if exists is not None:
            raise RuleViolation("surveyed", key="lifecycle.error.surveyed")
        now = self.now()
        row = SurveyResponse(
            department_code=case.department_code,
            case_id=case.id,
            at=now,
            day=self.local_date(now),
        )
        for q in SURVEY_QUESTIONS:
            value = answers.get(q)
            setattr(row, _survey_column(q), None if value is None else bool(value))
        session.add(row)
        session.flush()
        audit.record(session, now, None, "survey.record", "case", case.case_no, "")
        return True

    def safekeeping_due(self) -> list[LifecycleRow]:
        """Item 18.6: results ready and not collected within the configured days."""
        today = self.today()
        with self.read_session() as session:
            out = [
                self._row(c, a)
                for c, a in self._rows(session, ["result_ready"])
                if rules.due_for_safekeeping(
                    c.result_ready_on, today, self._terms(c).safekeeping_days
                )
            ]
        return sorted(out, key=lambda r: (r.result_ready_on or date.max, r.case_no))

    def safekeep(self, case_no: str, clerk_id: int, location: str) -> LifecycleRow:
        """Item 18.6: to safekeeping with a storage place — never deleted."""
        location = clean_line(location)  # issue 15, item 1: stored text is data
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk changes nothing
        if not location.strip():
            raise ValidationError("location", key="lifecycle.error.storage_place")
        today = self.today()

        def kept(_session: Session, case: Case) -> str:
            days = self._terms(case).safekeeping_days
            if case.result_ready_on is not None and not rules.due_for_safekeeping(
                case.result_ready_on, today, days
            ):
                start = rules.safekeeping_from(case.result_ready_on, days)
                raise RuleViolation(
                    "too early", key="lifecycle.error.safekeeping_early", date=start.isoformat()
                )
            case.safekeeping_on = today
            case.safekeeping_location = location.strip()
            return ""

        return self._change(case_no, "safekeep", clerk_id, kept)

    # --- the dashboard --------------------------------------------------------------------

    def dashboard(self, soon_days: int = rules.SOON_DAYS) -> Dashboard:
        """Overdue, due today, due within three days — for each running deadline."""
        today = self.today()
        # a running deadline on or before this day is overdue, due today or due soon
        # (rules.classify: today counts even when soon_days < 0)
        horizon = today + timedelta(days=max(soon_days, 0))
        # Only the rows the dashboard shows come back (issue 7): at a million cases the
        # Department has a few hundred cases in these statuses and a hundred or so at risk;
        # every row built here costs more than SQLite spends finding it.
        rows: list[Any] = self.read(
            dashboard_cases(),
            {
                **self.department_params(),
                "horizon": horizon,
                # results ready on or before this day may be due for safekeeping; the exact
                # day depends on the case's terms edition and is checked below
                "ready_by": today - timedelta(days=self._least_safekeeping_days() + 1),
            },
        )
        cases: list[rules.DeadlineCase] = []
        safekeeping = 0
        # positional: the first seven columns are DeadlineCase's fields, in order (a Row's
        # attribute lookups cost more than the rules spend on a case)
        for no, st, sdue, fdue, ddue, binding, prio, ready_on, terms_from, accepted_at in rows:
            if st == "result_ready":
                terms = self.catalog.terms(terms_from or self.local_date(accepted_at))
                safekeeping += rules.due_for_safekeeping(ready_on, today, terms.safekeeping_days)
            else:
                cases.append(rules.DeadlineCase(no, st, sdue, fdue, ddue, binding, prio))
        complaints = len(
            self.read(
                complaints_due(),
                {**self.department_params(), "horizon": today + timedelta(days=soon_days)},
            )
        )
        return Dashboard.of(today, cases, soon_days, safekeeping, complaints)

    def _least_safekeeping_days(self) -> int:
        """The shortest safekeeping term of any edition (a bound for the SQL; item 18.6)."""
        return min(int(e.safekeeping_days) for e in self.catalog.term_editions)

    def summary_text(self, lang: str) -> str:
        """The greeting at login: how many cases are overdue, due today, due soon."""
        from mss_desk.i18n import t

        board = self.dashboard()
        lines = []
        if board.cases.total:
            lines.append(
                t(
                    "lifecycle.summary.greeting",
                    lang,
                    overdue=board.cases.overdue,
                    today=board.cases.today,
                    soon=board.cases.soon,
                )
            )
        else:
            lines.append(t("lifecycle.summary.all_clear", lang))
        if board.safekeeping_due:
            lines.append(t("lifecycle.summary.safekeeping", lang, count=board.safekeeping_due))
        if board.complaints_due:
            lines.append(t("lifecycle.summary.complaints", lang, count=board.complaints_due))
        return "\n".join(lines)
