"""The tables (SQLModel).

Every schema change goes through an Alembic migration in ``migrations/versions``; this
module is the picture the newest migration must produce (a test compares them).

Times are aware UTC datetimes (:class:`UTCDateTime`): SQLite hands back naive values and
PostgreSQL hands back the session's zone, so the type decorator normalises both to UTC.
Dates that belong to the Department's calendar (queue day, deadlines) are plain ``date``.
Enumerations are short strings checked by the services (the lists are in ``STATUSES`` etc.),
so adding a value later never needs a table rebuild on SQLite.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from mss_desk.vocabulary import FIELD_LIMITS as LIMITS  # one table with the intake form

# Constraint names are explicit so that later migrations can alter them on SQLite
# (Alembic's batch mode recreates the table and needs the names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend; refuses naive values on the way in."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: store aware UTC times")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite keeps text; a fixed naive-UTC form sorts and compares correctly.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _utc() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


class Department(SQLModel, table=True):
    """A Department this database serves (Annex 1 code; 0 is the Regional Department)."""

    __tablename__ = "departments"

    code: int = Field(primary_key=True, ge=0, le=99, sa_column_kwargs={"autoincrement": False})
    name_kk: str = Field(max_length=300)
    name_ru: str = Field(default="", max_length=300)
    tz: str = Field(default="Asia/Almaty", max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Clerk(SQLModel, table=True):
    __tablename__ = "clerks"

    id: int | None = Field(default=None, primary_key=True)
    department_code: int = Field(foreign_key="departments.code", index=True)
    username: str = Field(max_length=64, unique=True)
    surname: str = Field(max_length=100)
    name: str = Field(max_length=100)
    role: str = Field(default="clerk", max_length=16)  # ROLES
    password_hash: str = Field(max_length=300)
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = _utc()
    active: bool = Field(default=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    # issue 12.12: the language last chosen with F12 (LANGS), applied at login; None: the
    # desk's configured language
    language: str | None = Field(default=None, max_length=8)


class Applicant(SQLModel, table=True):
    """A person the service is for (one row per IIN)."""

    __tablename__ = "applicants"

    id: int | None = Field(default=None, primary_key=True)
    iin: str = Field(max_length=LIMITS["iin"], unique=True)
    surname: str = Field(max_length=LIMITS["surname"])
    name: str = Field(max_length=LIMITS["name"])
    patronymic: str = Field(default="", max_length=LIMITS["patronymic"])
    # DESIGN trap: SQLite NOCASE folds ASCII only. Search on str.casefold() of the surname
    # with a range query (>= prefix AND < prefix + U+FFFF), which both backends index.
    surname_fold: str = Field(max_length=LIMITS["surname"], index=True)
    birth_date: date
    sex: str = Field(max_length=6)  # male / female, from the IIN
    address: str = Field(default="", max_length=LIMITS["address"])
    phone: str = Field(default="", max_length=LIMITS["phone"])
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Case(SQLModel, table=True):
    """One person's application (married couples: one case each, linked by spouse_case_id)."""

    __tablename__ = "cases"
    # migration 0005 (issue 7): the newest-first list and the deadline dashboard are index
    # searches, not a read of every case of the Department (benchmarks/bench_db.py)
    __table_args__ = (
        sa.Index("ix_cases_department_code_submitted_at", "department_code", "submitted_at", "id"),
        sa.Index("ix_cases_department_code_status", "department_code", "status", "submitted_at"),
        # migration 0006: the surname search checks the Department without reading the case
        sa.Index("ix_cases_applicant_id_department_code", "applicant_id", "department_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # DD-YYYY-NNNNN, unique across the region; NULL until accepted (returned_incomplete
    # cases keep a row for indicator 3.2 but no number).
    case_no: str | None = Field(default=None, max_length=16, unique=True)
    department_code: int = Field(foreign_key="departments.code", index=True)
    applicant_id: int = Field(foreign_key="applicants.id", index=True)
    institution: str = Field(max_length=32)  # elderly_general / children_psychoneuro / ...
    ownership: str = Field(default="state", max_length=16)  # item 3
    status: str = Field(default="draft", max_length=24, index=True)  # CASE_STATUSES
    priority: bool = Field(default=False)  # item 6.1 WWII path: first priority (region list)
    # Facts as typed at intake (rules.eligibility.Facts)
    disabled: bool = Field(default=False)
    disability_group: int | None = Field(default=None)
    psychoneuro: bool = Field(default=False)
    wwii: bool = Field(default=False)
    needs_care: bool = Field(default=True)
    relatives: str | None = Field(default=None, max_length=32)
    relatives_reason: str | None = Field(default=None, max_length=32)
    declared_incapable: bool = Field(default=False)
    council_decision_no: str | None = Field(default=None, max_length=LIMITS["council_decision_no"])
    council_decision_date: date | None = Field(default=None)
    age_at_acceptance: int | None = Field(default=None)
    pension_age: bool = Field(default=False)
    missing: str = Field(default="", max_length=2000)  # comma-separated codes (returned)
    # Lifecycle (items 5, 7.1, 15-18)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = _utc()
    terms_from: date | None = Field(default=None)  # effective_from of the terms applied
    service_due: date | None = Field(default=None)
    forward_due: date | None = Field(default=None)
    decision_due: date | None = Field(default=None)
    binding_due: date | None = Field(default=None)
    binding: str | None = Field(default=None, max_length=16)  # service / decision
    forwarded_on: date | None = Field(default=None)
    returned_by_region_on: date | None = Field(default=None)
    # issue 14 (migration 0013): the day the region recorded receipt of the file as last
    # forwarded (at the region: its import; at the Department: the ``case.received`` message)
    received_by_region_on: date | None = Field(default=None)
    # lifecycle room (migration 0003): the first forwarding (indicator 2.2 counts from it),
    # why the Regional Department sent the file back, the referral's institution (item 5)
    # and the collect ticket of an in-person delivery (items 7.3, 16)
    first_forwarded_on: date | None = Field(default=None)
    returned_by_region_note: str = Field(default="", max_length=2000)
    referral_institution: str = Field(default="", max_length=300)
    delivery_ticket_id: int | None = Field(default=None)
    decided_on: date | None = Field(default=None)
    decision: str | None = Field(default=None, max_length=16)  # referral / refusal
    decision_no: str | None = Field(default=None, max_length=64)
    decision_note: str = Field(default="", max_length=2000)
    result_ready_on: date | None = Field(default=None)
    delivery_method: str = Field(default="in_person", max_length=16)  # item 16
    postal_address: str = Field(default="", max_length=LIMITS["postal_address"])
    postal_notice_on: date | None = Field(default=None)
    delivered_on: date | None = Field(default=None)
    safekeeping_on: date | None = Field(default=None)  # item 18.6
    safekeeping_location: str = Field(default="", max_length=200)
    # Legal representative (parent, guardian) when the applicant cannot act alone
    representative_name: str = Field(default="", max_length=LIMITS["representative_name"])
    representative_iin: str = Field(default="", max_length=LIMITS["representative_iin"])
    representative_basis: str = Field(default="", max_length=LIMITS["representative_basis"])
    clerk_id: int | None = Field(default=None, foreign_key="clerks.id")
    ticket_id: int | None = Field(default=None, foreign_key="queue_tickets.id")
    spouse_case_id: int | None = Field(default=None, foreign_key="cases.id")
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # issue 15, item 3 (migration 0009): the applicant's data as accepted with this case —
    # the talon, the case card, the register and every paper of the case read these, never
    # the person's latest row; the surname search reads the casefolded snapshot (indexed).
    applicant_surname: str = Field(default="", max_length=LIMITS["surname"])
    applicant_name: str = Field(default="", max_length=LIMITS["name"])
    applicant_patronymic: str = Field(default="", max_length=LIMITS["patronymic"])
    applicant_surname_fold: str = Field(default="", max_length=LIMITS["surname"], index=True)
    applicant_address: str = Field(default="", max_length=LIMITS["address"])
    applicant_phone: str = Field(default="", max_length=LIMITS["phone"])


# the applicant's fields a new intake may change (each snapshotted on the case)
APPLICANT_FIELDS = ("surname", "name", "patronymic", "address", "phone")


class ApplicantChange(SQLModel, table=True):
    """One changed field of a person's data: who, when, old → new (issue 15, item 3).

    Written by the intake that brought the new value (``case_id``), in its transaction;
    the audit event ``applicant.change`` names the fields only, never the values.
    """

    __tablename__ = "applicant_changes"

    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicants.id", index=True)
    department_code: int = Field(foreign_key="departments.code")
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    clerk_id: int | None = Field(default=None, foreign_key="clerks.id")
    at: datetime = Field(sa_type=UTCDateTime)
    field_name: str = Field(max_length=32)  # APPLICANT_FIELDS
    old_value: str = Field(default="", max_length=LIMITS["address"])
    new_value: str = Field(default="", max_length=LIMITS["address"])


def take_snapshot(case: Case, applicant: Applicant) -> None:
    """The case's snapshot columns from the person's row as this intake left it."""
    for name in APPLICANT_FIELDS:
        setattr(case, f"applicant_{name}", getattr(applicant, name))
    case.applicant_surname_fold = applicant.surname_fold


def snapshot_values(case: Case) -> dict[str, str]:
    """The applicant's fields as the case keeps them (field name → value)."""
    return {name: getattr(case, f"applicant_{name}") for name in APPLICANT_FIELDS}


class CaseDocument(SQLModel, table=True):
    """One line of the item 12 checklist of a case."""

    __tablename__ = "case_documents"
    __table_args__ = (sa.UniqueConstraint("case_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    code: str = Field(max_length=64)
    required: bool = Field(default=True)
    received: bool = Field(default=False)
    received_at: datetime | None = _utc()


class QueueTicket(SQLModel, table=True):
    """A queue ticket (items 7.2, 7.3, 10): per Department, local day and purpose."""

    __tablename__ = "queue_tickets"
    __table_args__ = (sa.UniqueConstraint("department_code", "day", "purpose", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    department_code: int = Field(foreign_key="departments.code")
    day: date = Field(index=True)  # the Department's local date
    purpose: str = Field(max_length=16)  # PURPOSES
    seq: int
    number: str = Field(max_length=16)  # A-001 / B-001 / C-001
    status: str = Field(default="waiting", max_length=16)  # TICKET_STATUSES
    issued_at: datetime = Field(sa_type=UTCDateTime)
    called_at: datetime | None = _utc()
    served_at: datetime | None = _utc()
    clerk_id: int | None = Field(default=None, foreign_key="clerks.id")


class Counter(SQLModel, table=True):
    """Gap-free numbering: one row per (department, scope, key), bumped in the transaction.

    Not a sequence: a sequence skips numbers on rollback; this row rolls back with the
    transaction that used it, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "counters"

    department_code: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    scope: str = Field(primary_key=True, max_length=32)  # e.g. ticket / case / complaint
    key: str = Field(primary_key=True, max_length=64)  # e.g. 2026-03-02:submit / 2026
    value: int = Field(default=0)


class Complaint(SQLModel, table=True):
    """A complaint about a clerk's action or inaction (items 21-23)."""

    __tablename__ = "complaints"

    id: int | None = Field(default=None, primary_key=True)
    complaint_no: str | None = Field(default=None, max_length=24, unique=True)
    department_code: int = Field(foreign_key="departments.code", index=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    complainant: str = Field(max_length=200)
    contact: str = Field(default="", max_length=200)
    about_clerk_id: int | None = Field(default=None, foreign_key="clerks.id")
    text: str = Field(max_length=10000)
    registered_at: datetime = Field(sa_type=UTCDateTime)
    registered_by: int | None = Field(default=None, foreign_key="clerks.id")
    answer_due: date | None = Field(default=None)
    answered_on: date | None = Field(default=None)
    answer_text: str = Field(default="", max_length=10000)
    justified: bool | None = Field(default=None)
    satisfied: bool | None = Field(default=None)
    status: str = Field(default="registered", max_length=16)
    reviewed_by: int | None = Field(default=None)  # the head who reviewed it (migration 0003)
    # issue 14.3 / item 22 (migration 0015): registered at the Regional Department about
    # this Department (``department_code``); the region numbers and answers it
    at_region: bool = Field(default=False)
    # the case number as given when no case row is linked here (a Department's file the
    # region has not received; the Department links its own case by this number)
    case_no: str | None = Field(default=None, max_length=24)
    # item 22, the second instance: the applicant disagreed with the Department's answer
    # and the complaint went to the Regional Department; only the regional head answers it
    escalated_on: date | None = Field(default=None)
    second_due: date | None = Field(default=None)
    second_answered_on: date | None = Field(default=None)
    second_answer_text: str = Field(default="", max_length=10000)
    second_justified: bool | None = Field(default=None)
    second_satisfied: bool | None = Field(default=None)
    second_reviewed_by: int | None = Field(default=None)  # a clerk id on the regional desk


class SurveyResponse(SQLModel, table=True):
    """The satisfaction survey at delivery (Annex 2: 2.1, 3.1, 4.3, 4.4, 5.1).

    One row per answered survey; a skipped question is NULL, a skipped survey has no row.
    Anonymous by design: the case link only prevents asking twice (migration 0003).
    """

    __tablename__ = "survey_responses"

    id: int | None = Field(default=None, primary_key=True)
    department_code: int = Field(foreign_key="departments.code", index=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", unique=True)
    at: datetime = Field(sa_type=UTCDateTime)
    day: date = Field(index=True)  # the Department's local date (the report's period)
    q_2_1: bool | None = Field(default=None)  # quality of the process
    q_3_1: bool | None = Field(default=None)  # quality of information
    q_4_3: bool | None = Field(default=None)  # complaint procedure
    q_4_4: bool | None = Field(default=None)  # complaint time limits
    q_5_1: bool | None = Field(default=None)  # courtesy of the staff


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, when. Never personal data in ``detail``.

    ``prev_hash``/``hash`` chain the events (filled by the audit service).
    """

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=64)  # clerk id as text, or "system"
    action: str = Field(max_length=64)  # e.g. case.accept, ticket.issue
    entity: str = Field(max_length=32)  # table-ish name: case, ticket, clerk ...
    entity_id: str = Field(default="", max_length=32)
    detail: str = Field(default="", max_length=1000)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class DeskRole(SQLModel, table=True):
    """A PostgreSQL login role a desk connects as, and the Department it serves (issue 14.4).

    Migration 0012: on PostgreSQL the row-level-security policies read the connected role's
    Department from here (``mss_desk_department()``); code 0 is the Regional Department,
    which reads every Department. Written by ``mss-desk db role add`` (the table's owner);
    the desk roles may only read it. On SQLite the table exists and stays empty.
    """

    __tablename__ = "desk_roles"

    role_name: str = Field(primary_key=True, max_length=63)  # PostgreSQL's NAMEDATALEN - 1
    department_code: int = Field(ge=0, le=99)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Setting(SQLModel, table=True):
    __tablename__ = "settings"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=4000)  # JSON text


class Draft(SQLModel, table=True):
    """A wizard form saved on every step, so a crash or a lost SSH link loses nothing."""

    __tablename__ = "drafts"

    id: int | None = Field(default=None, primary_key=True)
    department_code: int = Field(foreign_key="departments.code")
    clerk_id: int | None = Field(default=None, foreign_key="clerks.id")
    data: str = Field(default="{}")  # JSON of the form
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


# --------------------------------------------------------------------------- exchange
# Issue 14 (migration 0010): files that travel between offline desks (mss_desk/exchange/).


class ExchangeOutbox(SQLModel, table=True):
    """A message to another desk, written in the same transaction as the change it carries.

    ``seq`` numbers the messages to one desk without gaps (a counter row, rolled back with
    the transaction): the receiver acknowledges "everything up to N", one number. A message
    is forgotten (``acked``) only when the other desk's bundle acknowledges it.
    """

    __tablename__ = "exchange_outbox"
    __table_args__ = (
        sa.UniqueConstraint("to_code", "seq"),
        sa.Index("ix_exchange_outbox_to_code_acked", "to_code", "acked", "seq"),
    )

    id: str = Field(primary_key=True, max_length=36)  # uuid4, the message's id everywhere
    to_code: int  # the receiving desk's Annex 1 code (0: the Regional Department)
    seq: int
    kind: str = Field(max_length=32)  # exchange.messages.KINDS
    case_no: str | None = Field(default=None, max_length=16, index=True)
    payload: str = Field(sa_type=sa.Text)  # JSON
    created_at: datetime = Field(sa_type=UTCDateTime)
    acked: bool = Field(default=False)
    acked_at: datetime | None = _utc()


class ExchangeInbox(SQLModel, table=True):
    """A message received from another desk: its id is here once, so it is applied once."""

    __tablename__ = "exchange_inbox"
    __table_args__ = (sa.UniqueConstraint("from_code", "seq"),)

    id: str = Field(primary_key=True, max_length=36)
    from_code: int
    seq: int
    kind: str = Field(max_length=32)
    case_no: str | None = Field(default=None, max_length=16)
    received_at: datetime = Field(sa_type=UTCDateTime)
    outcome: str = Field(default="applied", max_length=16)  # applied / problem
    problem: str = Field(default="", max_length=64)  # the i18n key of the problem
    # kept only for a message not applied (a problem): nothing received is ever lost
    payload: str | None = Field(default=None, sa_type=sa.Text)


class ExchangePeer(SQLModel, table=True):
    """Another desk this desk trusts: its public keys (never a private key) and how far
    its messages have arrived without a gap (the acknowledgement sent back)."""

    __tablename__ = "exchange_peers"

    code: int = Field(primary_key=True, ge=0, le=99, sa_column_kwargs={"autoincrement": False})
    public_key: str = Field(max_length=400)
    fingerprint: str = Field(max_length=32)
    received_upto: int = Field(default=0)
    added_at: datetime = Field(sa_type=UTCDateTime)
    # when the newest bundle imported from it was made (migration 0017): a later bundle
    # acknowledging less than was acknowledged before comes from a desk put back from a
    # backup, and what it lost is sent again
    newest_bundle_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RegionSummary(SQLModel, table=True):
    """A Department's Annex 2 indicators of one month, as its desk sent them (issue 14,
    points 2 and 5: ``summary.monthly``); the regional desk only.

    Counts only, never a person: per indicator the numerator and the denominator (3.3: the
    value the head entered). One row per Department and month: a summary sent again (its
    figures changed) replaces the row when its ``seq`` is newer (the sender's numbering),
    so an old bundle imported late never brings old figures back.
    """

    __tablename__ = "region_summaries"
    __table_args__ = (sa.UniqueConstraint("department_code", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    department_code: int = Field(ge=0, le=99)
    month: str = Field(max_length=7)  # YYYY-MM
    indicators: str = Field(sa_type=sa.Text)  # JSON {"1.1": {"numerator", "denominator", …}}
    summarised_at: datetime = Field(sa_type=UTCDateTime)  # when the Department made it
    received_at: datetime = Field(sa_type=UTCDateTime)
    message_id: str = Field(max_length=36)
    seq: int  # the sender's message number: the newest wins


class FreedPlace(SQLModel, table=True):
    """A place that came free in an institution, and the referral it became (issue 14.2,
    item 6.1): the regional head records it, the first file in that institution type's
    region-wide line gets the referral (``exchange.places``). The head's history of them.
    """

    __tablename__ = "freed_places"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)  # when the head recorded it
    institution_type: str = Field(max_length=32)  # vocabulary.INSTITUTIONS: the line
    institution: str = Field(max_length=300)  # the institution where the place came free
    referral_no: str = Field(max_length=64)
    ownership: str = Field(default="state", max_length=16)  # item 3
    head_id: int = Field(foreign_key="clerks.id")  # the regional head who recorded it
    case_no: str = Field(max_length=16)  # the file it went to (first in line)
    department_code: int  # that file's Department (Annex 1)
    # the referral's message to the Department; None on the shared server (read at once)
    message_id: str | None = Field(default=None, max_length=36)
