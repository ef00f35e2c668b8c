"""Intake: drafts of the wizard, then one submit that accepts or returns the file.

Order of checks (SPEC "Eligibility", items 6, 12, 15, 17):
1. the form is well formed and the IIN agrees with the typed birth date and sex;
2. eligibility (item 6): someone not eligible is told why and nothing is written;
3. the item 12 checklist: accepted only when every required document is received —
   then a case number DD-YYYY-NNNNN and the deadlines under the terms in force on the
   acceptance date (items 5, 7.1); otherwise the case is kept as ``returned_incomplete``
   with the missing list (item 17) and no number.
Each call is one transaction: never a half-written case. Every write (draft save/delete,
submit, mark_received, accept) runs through ``ServiceBase.write``: one that found the
database busy was rolled back whole (case, documents, number, audit event) and is run again
from the start, so it is applied once; after the last attempt the clerk sees "busy".

The shared ground (numbering, deadlines, the outside-hours check) and a returned file
completed later are in ``services/intake_desk.py``.

Indicator 3.2 ("submitted correctly the first time"): a case accepted by ``submit`` has
``accepted_at == submitted_at``; one completed later through ``accept`` has a later
``accepted_at``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from mss_desk.errors import NotFound, ValidationError
from mss_desk.services import audit
from mss_desk.services.intake_desk import IntakeDesk, format_case_no
from mss_desk.services.views import DraftView, FileDifference, IntakeForm, IntakeResult
from mss_desk.store.models import (
    APPLICANT_FIELDS,
    Applicant,
    ApplicantChange,
    Case,
    CaseDocument,
    Draft,
    QueueTicket,
    snapshot_values,
    take_snapshot,
)
from mss_desk.store.roles import name_intake_iin
from mss_desk.text import clean_data
from mss_desk.vocabulary import DELIVERY_METHODS, OWNERSHIP

if TYPE_CHECKING:
    from mss_desk.rules.eligibility import Evaluation, Facts


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _draft_view(d: Draft) -> DraftView:
    assert d.id is not None
    return DraftView(
        id=d.id,
        clerk_id=d.clerk_id,
        data=json.loads(d.data),
        created_at=d.created_at,
        updated_at=d.updated_at,
    )


class IntakeService(IntakeDesk):
    # --- drafts: the wizard saves on every step -------------------------------------------

    def save_draft(
        self, draft_id: int | None, data: dict[str, Any], clerk_id: int | None = None
    ) -> int:
        """Create (``draft_id`` None) or overwrite a draft; returns its id."""
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk writes nothing
        data = clean_data(data)  # issue 15, item 1: a draft is user text, cleaned as stored
        text = json.dumps(data, default=_json_default, ensure_ascii=False, sort_keys=True)
        now = self.now()
        dept = self.department_code()

        def _save(session: Session) -> int:
            if draft_id is None:
                draft = Draft(
                    department_code=dept,
                    clerk_id=clerk_id,
                    data=text,
                    created_at=now,
                    updated_at=now,
                )
                session.add(draft)
                session.flush()
                # Only creation and deletion are audited: a save on every keystroke step
                # would drown the trail (the draft holds no decision).
                audit.record(session, now, clerk_id, "draft.create", "draft", draft.id)
            else:
                draft = self._draft(session, draft_id)
                draft.data = text
                draft.updated_at = now
                if clerk_id is not None:
                    draft.clerk_id = clerk_id
            assert draft.id is not None
            return draft.id

        # a busy write is run again whole: the rolled-back attempt made no draft, no audit
        return self.write(_save)

    def load_drafts(self, clerk_id: int | None = None) -> list[DraftView]:
        """Open drafts, newest first (optionally one clerk's)."""
        with self.read_session() as session:
            stmt = select(Draft).where(self.in_department(Draft.department_code))
            if clerk_id is not None:
                stmt = stmt.where(Draft.clerk_id == clerk_id)
            stmt = stmt.order_by(col(Draft.updated_at).desc(), col(Draft.id).desc())
            return [_draft_view(d) for d in session.exec(stmt)]

    def load_draft(self, draft_id: int) -> DraftView:
        with self.read_session() as session:
            return _draft_view(self._draft(session, draft_id))

    def delete_draft(self, draft_id: int, clerk_id: int | None = None) -> None:
        self.require_active_clerk(clerk_id)  # item 11
        now = self.now()

        def _delete(session: Session) -> None:
            session.delete(self._draft(session, draft_id))
            audit.record(session, now, clerk_id, "draft.delete", "draft", draft_id)

        self.write(_delete)

    # --- the live checklist ----------------------------------------------------------------

    def facts(self, form: IntakeForm, on: date | None = None) -> Facts:
        """The eligibility facts of a form on a day (today by default)."""
        return form.to_facts(on or self.today())

    def evaluate(self, form: IntakeForm, on: date | None = None) -> Evaluation:
        """Eligibility and the required documents for the form, as the rules say today."""
        from mss_desk.rules.eligibility import evaluate

        return evaluate(self.facts(form, on), self.catalog)

    # --- submit ------------------------------------------------------------------------------

    def submit(
        self,
        form: IntakeForm,
        received: set[str] | frozenset[str],
        clerk_id: int,
        ticket_id: int | None = None,
        draft_id: int | None = None,
        *,
        outside_hours: str = "",
    ) -> IntakeResult:
        """Accept the file, keep it as returned_incomplete, or refuse (not eligible).

        Outside working hours (item 10) ``outside_hours`` must name the reason (one of
        ``OUTSIDE_HOURS_REASONS``), else ``OutsideHours``; the audit keeps it.
        A refused form writes nothing. Otherwise the case, the applicant, the checklist,
        the audit event and (if given) the draft's deletion happen in one transaction.
        """
        form = self._validated(form)
        now = self.now()
        closed = self._outside_hours(now, outside_hours)
        today = self.local_date(now)
        ev = self.evaluate(form, today)
        if not ev.eligible:
            # item 6: told why, in words, before any document is checked
            return IntakeResult(
                outcome="refused",
                reasons=tuple(ev.reasons),
                required=tuple(ev.documents),
                priority=bool(ev.priority),
            )
        required = tuple(ev.documents)
        missing = tuple(c for c in required if c not in received)
        extra = sorted(set(received) - set(required))
        for code in extra:
            self._known_document(code)
        accepted = not missing
        dept = self.department_code()

        def _submit(session: Session) -> IntakeResult:
            self._check_clerk(session, clerk_id)
            if ticket_id is not None:
                ticket = session.get(QueueTicket, ticket_id)
                if ticket is None or not self.owns(ticket.department_code):
                    raise NotFound("ticket", key="queue.not_found")
            applicant, changes = self._upsert_applicant(session, form, now)
            spouse = self._spouse(session, form)
            case = Case(
                department_code=dept,
                applicant_id=applicant.id,  # type: ignore[arg-type]
                institution=form.institution,
                ownership=form.ownership,
                status="accepted" if accepted else "returned_incomplete",
                priority=bool(ev.priority),  # item 6.1: WWII path, first priority
                disabled=form.disabled,
                disability_group=form.disability_group,
                psychoneuro=form.psychoneuro,
                wwii=form.wwii,
                needs_care=form.needs_care,
                relatives=form.relatives,
                relatives_reason=form.relatives_reason,
                declared_incapable=form.declared_incapable,
                council_decision_no=form.council_decision_no or None,
                council_decision_date=form.council_decision_date,
                age_at_acceptance=int(ev.age),
                pension_age=bool(ev.pension_age),
                missing=",".join(missing),
                submitted_at=now,
                delivery_method=form.delivery_method,
                postal_address=form.postal_address,
                representative_name=form.representative_name,
                representative_iin=form.representative_iin,
                representative_basis=form.representative_basis,
                clerk_id=clerk_id,
                ticket_id=ticket_id,
                spouse_case_id=spouse.id if spouse is not None else None,
                updated_at=now,
            )
            take_snapshot(case, applicant)  # issue 15, item 3: the data as accepted
            session.add(case)
            session.flush()
            assert case.id is not None
            self._record_changes(session, applicant, changes, case.id, clerk_id, now, dept)
            for code in required:
                session.add(
                    CaseDocument(
                        case_id=case.id,
                        code=code,
                        required=True,
                        received=code in received,
                        received_at=now if code in received else None,
                    )
                )
            for code in extra:
                session.add(
                    CaseDocument(
                        case_id=case.id, code=code, required=False, received=True, received_at=now
                    )
                )
            if spouse is not None and spouse.spouse_case_id is None:
                spouse.spouse_case_id = case.id  # married couples: the two cases linked
            self._record_outside_hours(session, now, clerk_id, case.id, closed, outside_hours)
            deadlines = self._accept(session, case, now) if accepted else None
            if not accepted:
                audit.record(
                    session,
                    now,
                    clerk_id,
                    "case.return_incomplete",
                    "case",
                    case.id,
                    f"missing={len(missing)}",
                )
            if draft_id is not None:
                draft = session.get(Draft, draft_id)
                if draft is not None and self.owns(draft.department_code):
                    session.delete(draft)
                    audit.record(session, now, clerk_id, "draft.delete", "draft", draft_id)
            return IntakeResult(
                outcome=case.status,
                case_id=case.id,
                case_no=case.case_no,
                accepted_at=case.accepted_at,
                deadlines=deadlines,
                missing=missing,
                required=required,
                reasons=tuple(ev.reasons),
                priority=case.priority,
            )

        return self.write(_submit)  # a busy write is retried whole: one case, no gap

    def _validated(self, form: IntakeForm) -> IntakeForm:
        from mss_desk.rules.iin import parse_iin
        from mss_desk.text import clean_line

        info = parse_iin(form.iin)  # raises InvalidIIN with the reason
        if info.birth_date != form.birth_date:
            raise ValidationError(
                "birth date differs from IIN", key="intake.error.iin_birth_mismatch"
            )
        if info.sex != form.sex:
            raise ValidationError("sex differs from IIN", key="intake.error.iin_sex_mismatch")
        surname, name = clean_line(form.surname), clean_line(form.name)
        if not surname or not name:
            raise ValidationError("name required", key="intake.error.name_required")
        try:
            self.catalog.institution(form.institution)
        except KeyError as exc:
            raise ValidationError("institution", key="intake.error.bad_institution") from exc
        if form.ownership not in OWNERSHIP:
            raise ValidationError("ownership", key="intake.error.bad_ownership")
        if form.delivery_method not in DELIVERY_METHODS:
            raise ValidationError("delivery", key="intake.error.bad_delivery")
        postal = clean_line(form.postal_address)
        if form.delivery_method == "post" and not postal:
            # item 16: a postal notice needs an address
            raise ValidationError("postal address", key="intake.error.postal_address_required")
        # items 6.2/6.3: a parent, guardian or a medical organisation's petition may stand
        # for the person; the screen asks for the representative, the service records it.
        rep = clean_line(form.representative_name)
        if form.representative_iin:
            parse_iin(form.representative_iin)
        if form.disability_group not in (None, 1, 2, 3):
            raise ValidationError("group", key="intake.error.bad_disability_group")
        council_no = clean_line(form.council_decision_no)
        if form.relatives == "council_exception" and not form.wwii:
            # item 6.1: admitted only by the Council's decision — its number and its date,
            # a real day that has already come (SPEC "Eligibility")
            if not council_no or form.council_decision_date is None:
                raise ValidationError("council", key="intake.error.council_decision_required")
            if form.council_decision_date > self.today():
                raise ValidationError("council", key="intake.error.council_decision_future")
        return replace(
            form,
            iin=info.iin,
            surname=surname,
            name=name,
            patronymic=clean_line(form.patronymic),
            postal_address=postal,
            representative_name=rep,
            representative_basis=clean_line(form.representative_basis),
            address=clean_line(form.address),
            phone=clean_line(form.phone),
            council_decision_no=council_no,
        )

    # --- the person on file (issue 15, item 3) ---------------------------------------------

    def differs_from_file(self, form: IntakeForm) -> FileDifference | None:
        """What is typed against this person's newest file in this Department.

        None when the IIN has no case here or every typed field agrees with the file;
        otherwise the file's local date, its number and the fields that differ (an empty
        address or phone on the form means "not given", as at submit: not a difference).
        The screen says "this person's data differs from the file of DD.MM.YYYY".
        """
        from mss_desk.rules.iin import parse_iin
        from mss_desk.text import clean_line

        iin = parse_iin(form.iin).iin
        with self.read_session() as session:
            case = session.exec(
                select(Case)
                .join(Applicant, col(Applicant.id) == col(Case.applicant_id))
                .where(Applicant.iin == iin, self.in_department(Case.department_code))
                .order_by(col(Case.submitted_at).desc(), col(Case.id).desc())
            ).first()
            if case is None:
                return None
            typed = {name: clean_line(getattr(form, name)) for name in APPLICANT_FIELDS}
            on_file = snapshot_values(case)
            fields = tuple(
                name
                for name in APPLICANT_FIELDS
                if (typed[name] or name not in ("address", "phone"))
                and typed[name] != on_file[name]
            )
            if not fields:
                return None
            return FileDifference(
                on=self.local_date(case.accepted_at or case.submitted_at),
                case_no=case.case_no,
                fields=fields,
            )

    @staticmethod
    def _record_changes(
        session: Session,
        applicant: Applicant,
        changes: list[tuple[str, str, str]],
        case_id: int,
        clerk_id: int,
        now: datetime,
        dept: int,
    ) -> None:
        """A change of a person's data is kept as history, audited by field name only."""
        if not changes:
            return
        assert applicant.id is not None
        for name, old, new in changes:
            session.add(
                ApplicantChange(
                    applicant_id=applicant.id,
                    department_code=dept,
                    case_id=case_id,
                    clerk_id=clerk_id,
                    at=now,
                    field_name=name,
                    old_value=old,
                    new_value=new,
                )
            )
        session.flush()
        names = ",".join(name for name, _old, _new in changes)
        # no personal data in the audit: the field names, never the values
        audit.record(
            session, now, clerk_id, "applicant.change", "applicant", applicant.id,
            f"case={case_id};fields={names}",
        )

    def _upsert_applicant(
        self, session: Session, form: IntakeForm, now: datetime
    ) -> tuple[Applicant, list[tuple[str, str, str]]]:
        """The person's row as this intake says, and what changed: (field, old, new)."""
        # PostgreSQL row security (migration 0012): this intake names the person it is
        # about, so a Department's role finds them even when their file is elsewhere
        name_intake_iin(session, form.iin)
        applicant = session.exec(select(Applicant).where(Applicant.iin == form.iin)).first()
        before: dict[str, str] | None = None
        if applicant is not None:
            before = {name: getattr(applicant, name) for name in APPLICANT_FIELDS}
        if applicant is None:
            applicant = Applicant(
                iin=form.iin,
                created_at=now,
                birth_date=form.birth_date,
                sex=form.sex,
                surname="",
                name="",
                surname_fold="",
                updated_at=now,
            )
            session.add(applicant)
        applicant.surname = form.surname
        applicant.surname_fold = form.surname.casefold()
        applicant.name = form.name
        applicant.patronymic = form.patronymic
        applicant.birth_date = form.birth_date
        applicant.sex = form.sex
        if form.address:
            applicant.address = form.address
        if form.phone:
            applicant.phone = form.phone
        applicant.updated_at = now
        session.flush()
        changes = []
        if before is not None:
            changes = [
                (name, before[name], getattr(applicant, name))
                for name in APPLICANT_FIELDS
                if getattr(applicant, name) != before[name]
            ]
        return applicant, changes

    def _spouse(self, session: Session, form: IntakeForm) -> Case | None:
        """Married couples (item 6.1): the spouse's case, by its number or the spouse's IIN
        (then their newest case in this Department); one case each, linked."""
        ref = (form.spouse_case_no or "").strip()
        if not ref:
            return None
        if ref.isdigit() and len(ref) == 12:
            if ref == form.iin:
                raise ValidationError("spouse", key="intake.error.spouse_self")
            spouse = session.exec(
                select(Case)
                .join(Applicant, col(Applicant.id) == col(Case.applicant_id))
                .where(Applicant.iin == ref, self.in_department(Case.department_code))
                .order_by(col(Case.id).desc())
            ).first()
        else:
            spouse = session.exec(
                select(Case).where(Case.case_no == ref, self.in_department(Case.department_code))
            ).first()
        if spouse is None:
            raise NotFound("spouse case", key="intake.error.spouse_not_found", case_no=ref)
        return spouse

    def _draft(self, session: Session, draft_id: int) -> Draft:
        draft = session.get(Draft, draft_id)
        if draft is None or not self.owns(draft.department_code):
            raise NotFound("draft", key="intake.error.draft_not_found")
        return draft


__all__ = ["IntakeService", "format_case_no"]
