"""A place came free: the referral goes to the first in line (issue 14.2, item 6.1).

The waiting list is the region's, per institution type: the files waiting for the region's
decision, the WWII path first, then by forwarding date (``RegionService.waiting_list``,
``rules.lifecycle.waiting_order``). When a place comes free in an institution, the
regional *head* (role ``head`` of the regional desk; a regional clerk is refused) records
it: the institution type (which line), the institution and the referral number. In one
transaction:

- the first file in that line (looked up again, locked, inside the transaction) gets the
  referral: the decision, stamped with the head and the time, as ``decide`` writes one;
- the freed place is kept in ``freed_places`` (the head's history; migration 0016);
- a ``case.referral`` message goes to the file's Department (the outbox), unless that
  Department works on the shared server itself (it reads the decision there at once);
- the audit trail gets one event (the case number, the type, ids: no personal data).

An empty line writes nothing and says so. The screen asks with the file it showed
(``expect``): when another head took that place meanwhile, the line has moved and nothing
is written ("look again").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from mss_desk.errors import AuthError, RuleViolation, ValidationError
from mss_desk.exchange import messages
from mss_desk.exchange.outbox import enqueue, sends_by_bundle
from mss_desk.exchange.region import IncomingFile, RegionService
from mss_desk.rules import lifecycle as rules
from mss_desk.services import audit
from mss_desk.store.models import Case, Clerk, FreedPlace
from mss_desk.text import clean_line

# the columns' sizes (store.models.FreedPlace, Case.decision_no / referral_institution)
REFERRAL_MAX = 64
INSTITUTION_MAX = 300


@dataclass(frozen=True)
class IssuedReferral:
    """What recording a freed place did: the file that got the referral, and its message."""

    case_no: str
    department_code: int
    referral_no: str
    institution: str
    institution_type: str
    place_id: int
    message_id: str | None  # None: the Department works on the shared server


@dataclass(frozen=True)
class FreedPlaceView:
    """One row of the head's history of freed places (newest first)."""

    at: datetime
    institution_type: str
    institution: str
    referral_no: str
    head: str  # the head's surname and name (staff, not an applicant)
    case_no: str
    department_code: int
    sent: bool  # a message went to the Department (False: on the shared server)


class PlacesService(RegionService):
    def first_in_line(self, institution_type: str) -> IncomingFile | None:
        """The file that a place of this type would go to now (what the screen shows)."""
        for kind, group in self.waiting_list():
            if kind == institution_type and group:
                return group[0]
        return None

    def free_place(
        self,
        institution_type: str,
        *,
        institution: str,
        referral_no: str,
        head_id: int,
        ownership: str = "state",
        expect: str | None = None,
    ) -> IssuedReferral:
        """Item 6.1: a place came free in ``institution``; its referral ``referral_no`` goes
        to the first file in ``institution_type``'s region-wide line. ``expect``: the case
        number the head was shown (refused when the line has moved since)."""
        from mss_desk.vocabulary import INSTITUTIONS

        self._require_region()
        if institution_type not in INSTITUTIONS:
            raise ValidationError(
                institution_type, key="region.places.unknown_type",
                type=clean_line(institution_type), types=", ".join(INSTITUTIONS),
            )  # fmt: skip
        referral_no, institution = clean_line(referral_no), clean_line(institution)
        rules.check_decision(
            "referral", referral_no=referral_no, institution_name=institution,
            ownership=ownership,
        )  # fmt: skip
        if len(referral_no) > REFERRAL_MAX:
            raise ValidationError("referral", key="region.places.referral_too_long",
                                  max=REFERRAL_MAX)  # fmt: skip
        if len(institution) > INSTITUTION_MAX:
            raise ValidationError("institution", key="region.places.institution_too_long",
                                  max=INSTITUTION_MAX)  # fmt: skip

        def _free(session: Session) -> IssuedReferral:
            self._require_head(session, head_id)
            case = self._first_in_line(session, institution_type)
            if case is None:
                raise RuleViolation("empty line", key="region.places.empty_line")
            if expect is not None and case.case_no != expect:
                raise RuleViolation("line moved", key="region.places.line_moved",
                                    case=case.case_no)  # fmt: skip
            now, on = self.now(), self.today()
            old = case.status
            new = rules.next_status(old, "decide")
            rules.check_not_before(on, case.forwarded_on, "decide")
            forwarded_on = case.forwarded_on
            # item 5: the referral, as RegionService.decide writes one
            case.decision, case.decided_on = "referral", on
            case.decision_no, case.referral_institution = referral_no, institution
            case.ownership, case.decision_note = ownership, ""
            case.status, case.updated_at = new, now
            session.add(case)
            place = FreedPlace(
                at=now, institution_type=institution_type, institution=institution,
                referral_no=referral_no, ownership=ownership, head_id=head_id,
                case_no=str(case.case_no), department_code=case.department_code,
            )  # fmt: skip
            session.add(place)
            session.flush()
            assert place.id is not None
            message_id: str | None = None
            if sends_by_bundle(session, case.department_code):
                payload = {
                    "case_no": case.case_no,
                    "forwarded_on": forwarded_on.isoformat() if forwarded_on else None,
                    "on": on.isoformat(),
                    "decision": "referral",
                    "referral_no": referral_no,
                    "institution": institution,
                    "ownership": ownership,
                    "ground": "",
                    "note": "",
                    "clerk_id": head_id,
                    "institution_type": institution_type,
                    "place_id": place.id,
                }
                row = enqueue(
                    session, sender=messages.REGION, to_code=case.department_code,
                    kind=messages.REFERRAL, payload=payload, now=now, case_no=case.case_no,
                )  # fmt: skip
                message_id = place.message_id = row.id
                session.add(place)
                session.flush()
            audit.record(
                session, now, head_id, "case.place_referral", "case", case.case_no,
                f"{old}->{new} type={institution_type} place={place.id}"
                f" message={message_id or '-'}",
            )  # fmt: skip
            return IssuedReferral(
                str(case.case_no), case.department_code, referral_no, institution,
                institution_type, place.id, message_id,
            )  # fmt: skip

        return self.write(_free)

    def history(self, limit: int = 200) -> list[FreedPlaceView]:
        """The places recorded as freed, newest first, with the head and the file."""
        self._require_region()
        with self.read_session() as session:
            rows = session.exec(
                select(FreedPlace, Clerk.surname, Clerk.name)
                .join(Clerk, col(Clerk.id) == col(FreedPlace.head_id))
                .order_by(col(FreedPlace.at).desc(), col(FreedPlace.id).desc())
                .limit(limit)
            ).all()
        return [
            FreedPlaceView(
                at=p.at, institution_type=p.institution_type, institution=p.institution,
                referral_no=p.referral_no, head=f"{surname} {name}".strip(),
                case_no=p.case_no, department_code=p.department_code,
                sent=p.message_id is not None,
            )  # fmt: skip
            for p, surname, name in rows
        ]

    # -- inside the transaction -----------------------------------------------------------

    def _require_head(self, session: Session, head_id: int) -> None:
        """Only the regional head issues a referral from the line (issue 14.1)."""
        self.require_active_clerk(head_id, session)  # item 11: not a disabled account
        head = session.get(Clerk, head_id)
        if head is None or not head.active:
            raise AuthError("disabled", key="clerks.disabled")
        if head.role != "head" or head.department_code != messages.REGION:
            raise RuleViolation("head only", key="region.places.head_only")

    def _first_in_line(self, session: Session, institution_type: str) -> Case | None:
        """The line of one type, locked (FOR UPDATE on PostgreSQL): two heads recording a
        place at once give two files their referrals, never one file two."""
        cases = session.exec(
            select(Case)
            .where(
                Case.status == "forwarded",
                Case.institution == institution_type,
                Case.department_code != messages.REGION,
                col(Case.case_no).is_not(None),
            )
            .with_for_update()
        ).all()
        if not cases:
            return None
        by_no = {str(c.case_no): c for c in cases}
        order = rules.waiting_order(
            rules.WaitingEntry(str(c.case_no), c.priority, c.forwarded_on, c.accepted_at)
            for c in cases
        )
        return by_no[order[0].case_no]
