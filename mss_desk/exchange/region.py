"""The Regional Department's own moves on the files it received (issue 14, points 1-2).

The region reads every Department's files: that read lives here, in the exchange's room,
not in the Department services (which see their own Department's rows only). A decision
and its message back to the Department are written in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from mss_desk.errors import NotFound, RuleViolation, ValidationError
from mss_desk.exchange import messages
from mss_desk.exchange.apply import recompute_deadlines
from mss_desk.exchange.outbox import enqueue, sends_by_bundle
from mss_desk.rules import lifecycle as rules
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase
from mss_desk.store.models import Case, Department
from mss_desk.text import clean, clean_line

# item 15's talon: DD-YYYY-NNNNN (the Department's code first); YYYY-NNNNN without it
FULL_CASE_NO = re.compile(r"\d{2}-\d{4}-\d{5}")
SHORT_CASE_NO = re.compile(r"\d{4}-\d{5}")
# item 17: incomplete or untrue information; item 6: not eligible
REFUSAL_GROUNDS: tuple[str, ...] = ("incomplete", "untrue", "not_eligible")


@dataclass(frozen=True)
class IncomingFile:
    """One file a Department forwarded, as the regional desk's lists show it (issue 14.2)."""

    case_no: str
    department_code: int
    department_kk: str
    department_ru: str
    forwarded_on: date | None
    decision_due: date | None
    # item 5: working days left of the 10, counted from the day after forwarding
    # (SPEC.md); 0 on the last day, negative when overdue; None when not running
    days_left: int | None
    state: str | None  # rules.lifecycle.classify: overdue / today / soon / None
    status: str
    priority: bool  # item 6.1: the WWII path
    institution: str
    decision: str | None = None  # referral / refusal, once decided
    accepted_at: datetime | None = None


@dataclass(frozen=True)
class RegionDecision:
    case_no: str
    department_code: int
    status: str
    message_id: str | None  # None: the Department reads it on the shared server at once


class RegionService(ServiceBase):
    def _require_region(self) -> None:
        if self.department_code() != messages.REGION:
            raise ValidationError("not the regional desk", key="exchange.not_regional")

    def decide(
        self,
        case_no: str,
        *,
        referral_no: str = "",
        institution: str = "",
        ownership: str = "state",
        refusal: str = "",
        reason: str = "",
        return_note: str = "",
        clerk_id: int | None = None,
        on: date | None = None,
    ) -> RegionDecision:
        """Item 5: a referral, a refusal (item 17 / item 6 ground and free text) or a return
        for correction; stamped, audited, and sent back to the Department (outbox)."""
        self._require_region()
        self.require_active_clerk(clerk_id)
        on = on or self.today()
        referral_no, institution = clean_line(referral_no), clean_line(institution)
        reason, return_note = clean(reason).strip(), clean(return_note).strip()
        if return_note:
            action, decision = "return_for_correction", None
        elif referral_no or institution:
            action, decision = "decide", "referral"
            rules.check_decision(
                "referral", referral_no=referral_no, institution_name=institution,
                ownership=ownership,
            )  # fmt: skip
        else:
            if refusal not in REFUSAL_GROUNDS:
                raise RuleViolation("ground", key="exchange.refusal_ground", ground=refusal)
            action, decision = "decide", "refusal"
        note = f"[{refusal}] {reason}".strip() if decision == "refusal" else return_note

        def _decide(session: Session) -> RegionDecision:
            case = session.exec(
                select(Case).where(Case.case_no == case_no).with_for_update()
            ).first()
            if case is None or case.department_code == messages.REGION:
                raise NotFound(f"no case {case_no}", key="error.not_found")
            old = case.status
            new = rules.next_status(old, action)
            rules.check_not_future(on, self.today(), action)
            rules.check_not_before(on, case.forwarded_on, action)
            forwarded_on = case.forwarded_on
            if decision is not None:
                case.decision, case.decided_on = decision, on
                case.decision_no = referral_no or None
                case.referral_institution = institution
                if decision == "referral":
                    case.ownership = ownership
                case.decision_note = note if decision == "refusal" else ""
            else:
                case.returned_by_region_on, case.returned_by_region_note = on, note
                case.forwarded_on = None
                recompute_deadlines(self, case)
            case.status = new
            case.updated_at = self.now()
            session.add(case)
            session.flush()
            kind = messages.DECIDED if decision is not None else messages.RETURNED
            payload = {
                "case_no": case_no,
                "forwarded_on": forwarded_on.isoformat() if forwarded_on else None,
                "on": on.isoformat(),
                "decision": decision,
                "referral_no": referral_no,
                "institution": institution,
                "ownership": ownership if decision == "referral" else "",
                "ground": refusal if decision == "refusal" else "",
                "note": note,
                "clerk_id": clerk_id,
            }
            message_id = None
            if sends_by_bundle(session, case.department_code):
                message_id = enqueue(
                    session, sender=messages.REGION, to_code=case.department_code, kind=kind,
                    payload=payload, now=self.now(), case_no=case_no,
                ).id  # fmt: skip
            audit.record(
                session, self.now(), clerk_id, f"case.{action}", "case", case_no,
                f"{old}->{new} message={message_id or '-'}",
            )  # fmt: skip
            return RegionDecision(case_no, case.department_code, new, message_id)

        return self.write(_decide)

    def cases(self) -> list[tuple[int, str, str]]:
        """Every file received from the Departments: (Department, case number, status)."""
        self._require_region()
        with self.read_session() as session:
            rows = session.exec(
                select(Case.department_code, Case.case_no, Case.status)
                .where(Case.department_code != messages.REGION)
                .order_by(col(Case.department_code), col(Case.case_no))
            ).all()
        return [(int(d), str(n), str(s)) for d, n, s in rows]

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """Issue 14 at the region: a scanned or typed case number, (Department, case
        number, status) of each file it names.

        ``DD-YYYY-NNNNN`` (item 15's talon) already names the Department (``DD``) and is
        unique across the region: one file or none. ``YYYY-NNNNN`` — what a clerk reads
        out over the phone without the Department — may name a file of several
        Departments: each is listed, Department by Department."""
        self._require_region()
        typed = clean_line(text).strip()
        if FULL_CASE_NO.fullmatch(typed):
            where: Any = Case.case_no == typed
        elif SHORT_CASE_NO.fullmatch(typed):
            where = col(Case.case_no).like(f"%-{typed}")
        else:
            raise ValidationError("case number", key="exchange.search.bad")
        with self.read_session() as session:
            rows = session.exec(
                select(Case.department_code, Case.case_no, Case.status)
                .where(where, Case.department_code != messages.REGION)
                .order_by(col(Case.department_code), col(Case.case_no))
            ).all()
        return [(int(d), str(n), str(st)) for d, n, st in rows]

    def incoming(self) -> list[IncomingFile]:
        """Every Department's file at the region (issue 14.2): those waiting for a decision
        first, the most urgent first; then the rest, newest forwarding first."""
        self._require_region()
        today = self.today()
        with self.read_session() as session:
            names = {
                d.code: (d.name_kk, d.name_ru) for d in session.exec(select(Department)).all()
            }
            cases = session.exec(
                select(Case).where(
                    Case.department_code != messages.REGION, col(Case.case_no).is_not(None)
                )
            ).all()
        rows = [self._incoming_row(c, names, today) for c in cases]
        far = date.max

        def order(r: IncomingFile) -> tuple[object, ...]:
            waiting = r.status == "forwarded"
            due = r.decision_due or far
            return (not waiting, due if waiting else far, not r.priority,
                    -(r.forwarded_on or date.min).toordinal(), r.case_no)

        return sorted(rows, key=order)

    def deadlines(self) -> list[IncomingFile]:
        """Item 5 for the region: files whose decision is overdue, due today or within
        three days (``rules.lifecycle.SOON_DAYS``), most urgent first."""
        return [r for r in self.incoming() if r.state is not None]

    def waiting_list(self) -> list[tuple[str, list[IncomingFile]]]:
        """Item 6.1, region-wide: the files waiting for a decision per institution type
        (``vocabulary.INSTITUTIONS`` order), the WWII path first, then by forwarding date
        (``rules.lifecycle.waiting_order``). Types with no file are left out."""
        from mss_desk.vocabulary import INSTITUTIONS

        waiting = {r.case_no: r for r in self.incoming() if r.status == "forwarded"}
        order = rules.waiting_order(
            rules.WaitingEntry(r.case_no, r.priority, r.forwarded_on, r.accepted_at)
            for r in waiting.values()
        )
        groups: dict[str, list[IncomingFile]] = {}
        for entry in order:
            row = waiting[entry.case_no]
            groups.setdefault(row.institution, []).append(row)
        known = [t for t in INSTITUTIONS if t in groups]
        return [(t, groups[t]) for t in known + sorted(set(groups) - set(known))]

    def _incoming_row(
        self, case: Case, names: dict[int, tuple[str, str]], today: date
    ) -> IncomingFile:
        due = case.decision_due
        if due is None and case.forwarded_on is not None:
            # item 5: 10 working days from the day after forwarding, whatever day it arrived
            terms = self.catalog.terms(case.terms_from or case.forwarded_on)
            due = self.calendar.add_working_days(
                case.forwarded_on, terms.decision_working_days
            )
        days_left: int | None = None
        state: str | None = None
        if case.status == "forwarded" and due is not None:
            days_left = (
                self.calendar.working_days_between(today, due) if due >= today
                else -self.calendar.working_days_between(due, today)
            )  # fmt: skip
            state = rules.classify(due, today)
        kk, ru = names.get(case.department_code, ("", ""))
        return IncomingFile(
            case_no=str(case.case_no), department_code=case.department_code,
            department_kk=kk, department_ru=ru, forwarded_on=case.forwarded_on,
            decision_due=due, days_left=days_left, state=state, status=case.status,
            priority=case.priority, institution=case.institution, decision=case.decision,
            accepted_at=case.accepted_at,
        )  # fmt: skip
