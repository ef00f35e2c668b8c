"""What the services hand out: plain frozen dataclasses, never live ORM rows.

This module imports neither SQLAlchemy nor SQLModel, so screens and widgets may import it
at start-up (the login screen stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from mss_desk.rules.eligibility import Facts
from mss_desk.vocabulary import FIELD_LIMITS as FIELD_LIMITS  # the intake form's limits


@dataclass(frozen=True)
class DepartmentView:
    code: int
    name_kk: str
    name_ru: str
    district_kk: str
    district_ru: str
    address_kk: str
    address_ru: str
    phones: tuple[str, ...]
    email: str
    website: str
    tz: str

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_kk

    def address(self, lang: str) -> str:
        return self.address_ru if lang == "ru" else self.address_kk


@dataclass(frozen=True)
class ClerkView:
    id: int
    department_code: int
    username: str
    surname: str
    name: str
    role: str  # clerk / head / admin
    active: bool
    locked_until: datetime | None = None
    language: str | None = None  # issue 12.12: last chosen with F12; None: the desk's

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.name}"


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str  # A-001 (submit), B-001 (collect), C-001 (consult)
    purpose: str
    status: str  # waiting / called / served / no_show
    issued_at: datetime
    called_at: datetime | None
    wait_minutes: int  # called − issued; still waiting: now − issued (whole minutes)
    day: date | None = None
    seq: int = 0
    served_at: datetime | None = None
    clerk_id: int | None = None
    limit_minutes: int | None = None  # items 7.2, 7.3: 40 for submit/collect, None for consult
    warn: bool = False  # waited at least the warning time (30 min)
    breach: bool = False  # waited longer than the limit (40 min)


@dataclass(frozen=True)
class IntakeForm:
    """What the clerk typed in the intake wizard (plain values)."""

    iin: str
    surname: str
    name: str
    birth_date: date
    sex: str  # male / female (must agree with the IIN)
    institution: str  # elderly_general / children_psychoneuro / adult_psychoneuro
    patronymic: str = ""
    ownership: str = "state"  # item 3: state / non_state
    disabled: bool = False
    disability_group: int | None = None
    psychoneuro: bool = False
    wwii: bool = False
    needs_care: bool = True
    relatives: str | None = None  # no_relatives / relatives_unable / relatives_able / ...
    relatives_reason: str | None = None
    declared_incapable: bool = False
    council_decision_no: str = ""
    council_decision_date: date | None = None
    delivery_method: str = "in_person"  # item 16: in_person / post
    postal_address: str = ""
    representative_name: str = ""
    representative_iin: str = ""
    representative_basis: str = ""
    address: str = ""
    phone: str = ""
    spouse_case_no: str | None = None  # married couples: one case each, linked

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IntakeForm:
        """Build from a saved draft (dates as ISO text); unknown keys are ignored."""
        names = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in names}
        for key in ("birth_date", "council_decision_date"):
            if isinstance(values.get(key), str) and values[key]:
                values[key] = date.fromisoformat(values[key])
            elif values.get(key) == "":
                values[key] = None
        return cls(**values)

    def to_facts(self, on: date) -> Facts:
        """The eligibility facts of this form on ``on`` (the day of acceptance, item 6).

        The one place a form becomes facts: the wizard's live checklist, the intake service
        and the demo all ask this, so they can never disagree about what the form says.
        """
        return Facts(
            institution=self.institution,
            birth_date=self.birth_date,
            sex=self.sex,
            on=on,
            disabled=self.disabled,
            disability_group=self.disability_group,
            psychoneuro=self.psychoneuro,
            wwii=self.wwii,
            needs_care=self.needs_care,
            relatives=self.relatives,
            relatives_reason=self.relatives_reason,
            declared_incapable=self.declared_incapable,
        )


@dataclass(frozen=True)
class DeadlinesView:
    service_due: date
    forward_due: date
    decision_due: date | None
    binding_due: date
    binding: str  # service / decision


@dataclass(frozen=True)
class IntakeResult:
    outcome: str  # accepted / returned_incomplete / refused
    case_id: int | None = None
    case_no: str | None = None
    accepted_at: datetime | None = None
    deadlines: DeadlinesView | None = None
    missing: tuple[str, ...] = ()  # document codes, in the standard's order
    required: tuple[str, ...] = ()
    reasons: tuple[Any, ...] = ()  # rules.eligibility.Reason (key, params)
    priority: bool = False
    # refused on a later day because the person outgrew the type (item 6.2: a child who
    # turned 18): the type the desk offers instead (adult_psychoneuro), else None
    offer: str | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


@dataclass(frozen=True)
class FileDifference:
    """Issue 15, item 3: what the clerk types differs from this person's newest file."""

    on: date  # the file's local date (accepted, else submitted): "the file of DD.MM.YYYY"
    case_no: str | None
    fields: tuple[str, ...]  # surname / name / patronymic / address / phone


@dataclass(frozen=True)
class ApplicantChangeView:
    """One changed field of a person's data (the history, issue 15 item 3)."""

    at: datetime
    clerk_id: int | None
    case_id: int | None
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class DraftView:
    id: int
    clerk_id: int | None
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DocumentLine:
    code: str
    required: bool
    received: bool
    received_at: datetime | None


@dataclass(frozen=True)
class CaseRow:
    id: int
    case_no: str | None
    status: str
    iin: str
    surname: str
    name: str
    patronymic: str
    institution: str
    priority: bool
    submitted_at: datetime
    accepted_at: datetime | None
    service_due: date | None
    binding_due: date | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


@dataclass(frozen=True, kw_only=True)
class CaseProgress:
    """Where a case stands: its status, deadlines, decision, result and delivery.

    One shape for the case card (:class:`CaseDetail`) and the lifecycle lists
    (``lifecycle_views.LifecycleRow``), filled from the stored case by :meth:`values_of`.
    """

    status: str
    priority: bool
    institution: str
    accepted_at: datetime | None
    service_due: date | None
    forward_due: date | None
    decision_due: date | None
    binding_due: date | None
    binding: str | None
    forwarded_on: date | None
    returned_by_region_on: date | None
    decided_on: date | None
    decision: str | None
    result_ready_on: date | None
    delivery_method: str
    postal_address: str
    postal_notice_on: date | None
    delivered_on: date | None
    safekeeping_on: date | None
    safekeeping_location: str

    @classmethod
    def values_of(cls, case: Any) -> dict[str, Any]:
        """These fields' values on a stored case (any object with them: no ORM import here)."""
        return {f.name: getattr(case, f.name) for f in fields(CaseProgress)}


@dataclass(frozen=True, kw_only=True)
class CaseDetail(CaseProgress):
    """The whole case (the case card, the talon): applicant, facts, progress, documents."""

    id: int
    case_no: str | None
    department_code: int
    ownership: str
    # applicant
    applicant_id: int
    iin: str
    surname: str
    name: str
    patronymic: str
    birth_date: date
    sex: str
    address: str
    phone: str
    # facts
    disabled: bool
    disability_group: int | None
    psychoneuro: bool
    wwii: bool
    needs_care: bool
    relatives: str | None
    relatives_reason: str | None
    declared_incapable: bool
    council_decision_no: str | None
    council_decision_date: date | None
    age_at_acceptance: int | None
    pension_age: bool
    missing: tuple[str, ...]
    # lifecycle
    submitted_at: datetime
    terms_from: date | None
    decision_no: str | None
    decision_note: str
    representative_name: str
    representative_iin: str
    representative_basis: str
    clerk_id: int | None
    clerk_surname: str  # item 15: the talon names who accepted the documents
    clerk_name: str
    ticket_id: int | None
    spouse_case_id: int | None
    spouse_case_no: str | None
    updated_at: datetime
    documents: tuple[DocumentLine, ...] = field(default=())
    # issue 15, item 3: the applicant fields above are the case's own snapshot; these are
    # the fields where the person's current data differ from it (the case card says so)
    person_changed: tuple[str, ...] = ()
    # issue 14, point 6: where the file is (``exchange.whereabouts``): at_department,
    # in_transit (since the message's time), at_region, decided (since the decision's day)
    exchange_state: str = "at_department"
    exchange_since: datetime | date | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    @property
    def received_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.documents if d.received)
