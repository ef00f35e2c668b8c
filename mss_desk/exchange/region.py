"""The Regional Department's own moves on the files it received (issue 14, points 1-2).

The region reads every Department's files: that read lives here, in the exchange's room,
not in the Department services (which see their own Department's rows only). A decision
and its message back to the Department are written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from mss_desk.errors import NotFound, RuleViolation, ValidationError
from mss_desk.exchange import messages
from mss_desk.exchange.apply import recompute_deadlines
from mss_desk.exchange.outbox import enqueue
from mss_desk.rules import lifecycle as rules
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase
from mss_desk.store.models import Case
from mss_desk.text import clean, clean_line

# item 17: incomplete or untrue information; item 6: not eligible
REFUSAL_GROUNDS: tuple[str, ...] = ("incomplete", "untrue", "not_eligible")


@dataclass(frozen=True)
class RegionDecision:
    case_no: str
    department_code: int
    status: str
    message_id: str


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
            row = enqueue(
                session, sender=messages.REGION, to_code=case.department_code, kind=kind,
                payload=payload, now=self.now(), case_no=case_no,
            )  # fmt: skip
            audit.record(
                session, self.now(), clerk_id, f"case.{action}", "case", case_no,
                f"{old}->{new} message={row.id}",
            )  # fmt: skip
            return RegionDecision(case_no, case.department_code, new, row.id)

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
