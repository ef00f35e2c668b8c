"""The live queue (items 7.2, 7.3, 10).

First come, first served, per purpose; no booking, no express service (item 10). Numbers
are per Department, per local day, per purpose and gap-free (A-001, B-001, C-001): they
come from a ``Counter`` row bumped inside the issuing transaction, so eight processes
writing at once give no duplicate and no gap. No ticket outside office hours (item 10).

A ticket never called by closing time (18:00, item 10) waited until closing and is closed
as ``not_served`` (SPEC "Queue", issue 11.6): the desk may not be running at 18:00, so the
service closes them lazily — :meth:`QueueService.close_unserved` runs before it lists,
issues or reports, once per day and once after closing per process, and is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mss_desk.errors import NotFound, OutsideHours, RuleViolation, ValidationError
from mss_desk.rules.calendar import CLOSES
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase, next_number
from mss_desk.services.views import TicketView
from mss_desk.store.models import QueueTicket
from mss_desk.vocabulary import PURPOSES

LETTERS = {"submit": "A", "collect": "B", "consult": "C"}
# items 7.2, 7.3: the 40-minute limit binds submitting and collecting, not consultations
LIMITED = ("submit", "collect")


def ticket_number(purpose: str, seq: int) -> str:
    return f"{LETTERS[purpose]}-{seq:03d}"


@dataclass(frozen=True)
class _Issued:
    """A ticket just issued, as ``_view`` reads it (no ORM object built for it)."""

    id: int
    department_code: int
    day: date
    purpose: str
    seq: int
    number: str
    status: str
    issued_at: datetime
    called_at: datetime | None = None
    served_at: datetime | None = None
    clerk_id: int | None = None


@cache
def _insert_ticket() -> Any:
    """INSERT INTO queue_tickets … RETURNING id, built once (compiled once per dialect)."""
    table = QueueTicket.__table__  # type: ignore[attr-defined]
    return sa.insert(table).returning(table.c.id)


# SQLite: the four statements of an issue as plain SQL on the driver's connection, inside
# the transaction SQLAlchemy began (BEGIN IMMEDIATE). SQLAlchemy's own execution costs
# ~60 µs a statement — most of an issue's time under the write lock (issue 7). Values are
# bound through the columns' own SQLAlchemy processors, so the stored text is the same.
_SQL_BUMP = (
    "UPDATE counters SET value = value + 1"
    " WHERE department_code = ? AND scope = 'ticket' AND key = ? RETURNING value"
)
_SQL_COUNTER = (
    "INSERT INTO counters (department_code, scope, key, value) VALUES (?, 'ticket', ?, 0)"
    " ON CONFLICT DO NOTHING"
)
_SQL_TICKET = (
    "INSERT INTO queue_tickets (department_code, day, purpose, seq, number, status,"
    " issued_at) VALUES (?, ?, ?, ?, ?, 'waiting', ?) RETURNING id"
)
_SQL_LAST_HASH = "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1"
_SQL_AUDIT = (
    "INSERT INTO audit_events (at, actor, action, entity, entity_id, detail, prev_hash,"
    " hash) VALUES (?, ?, 'ticket.issue', 'ticket', ?, ?, ?, ?)"
)


@cache
def _sqlite_binds(dialect: Any) -> tuple[Any, Any]:
    """The bind processors of ``queue_tickets.day`` and of the UTC time columns."""
    table = QueueTicket.__table__  # type: ignore[attr-defined]
    day = table.c.day.type.dialect_impl(dialect).bind_processor(dialect)
    at = table.c.issued_at.type.dialect_impl(dialect).bind_processor(dialect)
    return day or (lambda v: v), at or (lambda v: v)


def _issue_on_sqlite(
    conn: sa.Connection, dept: int, day: date, purpose: str, key: str, now: datetime
) -> tuple[int, int, str]:
    from types import SimpleNamespace

    from mss_desk.store import audit as chain

    raw = conn.connection.driver_connection
    assert raw is not None
    day_bind, at_bind = _sqlite_binds(conn.dialect)
    at = at_bind(now)
    cur = raw.cursor()
    try:
        row = cur.execute(_SQL_BUMP, (dept, key)).fetchone()
        if row is None:  # the day's first ticket of this purpose: the row is made here
            cur.execute(_SQL_COUNTER, (dept, key))
            row = cur.execute(_SQL_BUMP, (dept, key)).fetchone()
        seq = int(row[0])
        number = ticket_number(purpose, seq)
        args = (dept, day_bind(day), purpose, seq, number, at)
        ticket_id = int(cur.execute(_SQL_TICKET, args).fetchone()[0])
        last = cur.execute(_SQL_LAST_HASH).fetchone()
        prev = (last[0] if last else None) or chain.GENESIS
        event = chain.fields(now, None, "ticket.issue", "ticket", ticket_id, number)
        digest = chain.event_hash(SimpleNamespace(**event), prev)
        cur.execute(_SQL_AUDIT, (at, chain.SYSTEM, str(ticket_id), number, prev, digest))
    finally:
        cur.close()
    return ticket_id, seq, number


class QueueService(ServiceBase):
    # (local day, after closing) of the last close_unserved that found nothing left to close
    _closed_through: tuple[date, bool] | None = None

    def close_unserved(self) -> int:
        """Close every earlier day's waiting ticket (and today's, after 18:00) as
        ``not_served``; the number closed. Item 10 and SPEC "Queue" (issue 11.6).

        Nobody is called after closing, so such a ticket waited until closing and counts in
        indicator 1.2. One transaction, each ticket audited (``ticket.not_served``), never
        renumbered. Idempotent: a second run finds nothing. Cheap on the hot paths: a
        process remembers the (day, after closing) it last closed through — no new ticket
        can fall behind that line until the local day or the closing hour changes.
        """
        now = self.now()
        local = now.astimezone(self.tz())
        today = local.date()
        after_closing = local.time() >= CLOSES
        mark = (today, after_closing)
        if self._closed_through == mark:
            return 0
        mine = self.in_department(QueueTicket.department_code)
        past = col(QueueTicket.day) <= today if after_closing else col(QueueTicket.day) < today

        def _close(session: Session) -> int:
            stmt = (
                select(QueueTicket)
                .where(mine, QueueTicket.status == "waiting", past)
                .order_by(QueueTicket.day, QueueTicket.id)  # type: ignore[arg-type]
                .with_for_update()  # PostgreSQL: a clerk's call of one of them waits for us
            )
            tickets = list(session.exec(stmt))
            for ticket in tickets:
                ticket.status = "not_served"  # number kept: never renumbered
                session.add(ticket)
                audit.record(
                    session,
                    now,
                    None,
                    "ticket.not_served",
                    "ticket",
                    ticket.id,
                    f"{ticket.number} {ticket.day.isoformat()}",
                )
            return len(tickets)

        with self.read_session() as session:  # most calls find nothing: no write lock then
            found = session.exec(
                select(QueueTicket.id)
                .where(mine, QueueTicket.status == "waiting", past)
                .limit(1)
            ).first()
        closed = self.write(_close) if found is not None else 0
        self._closed_through = mark
        return closed

    def closes_at(self, day: date) -> datetime:
        """The UTC moment the Department closes on its local ``day`` (18:00, item 10)."""
        return datetime.combine(day, CLOSES, tzinfo=self.tz()).astimezone(UTC)

    def issue(self, purpose: str) -> TicketView:
        """A new ticket for ``purpose``; ``OutsideHours`` (with the reason) when closed."""
        self._check_purpose(purpose)
        now = self.now()
        local = now.astimezone(self.tz())
        status = self.calendar.office_status(local)
        if not status.open:
            # item 10: 09:00-18:00, lunch 13:00-14:00, closed weekends and holidays
            raise OutsideHours(
                f"closed: {status.reason}",
                key=f"queue.closed_{status.reason}",
                reason=status.reason,
                holiday=(
                    self._holiday(local.date(), status.holiday_name)
                    if status.reason == "holiday"
                    else ""
                ),
            )
        self.close_unserved()  # the morning's first ticket closes yesterday's queue
        day = local.date()
        dept = self.department_code()
        key = f"{day.isoformat()}:{purpose}"

        def _issue(conn: sa.Connection) -> tuple[int, int, str]:
            # Under the write lock only the statements themselves (issue 7): Core, no ORM
            # objects, no flush. The same rows as before: counter bumped, ticket, audit.
            if conn.dialect.name == "sqlite":
                return _issue_on_sqlite(conn, dept, day, purpose, key, now)
            seq = next_number(conn, dept, "ticket", key)
            number = ticket_number(purpose, seq)
            ticket_id = conn.execute(
                _insert_ticket(),
                {
                    "department_code": dept,
                    "day": day,
                    "purpose": purpose,
                    "seq": seq,
                    "number": number,
                    "status": "waiting",
                    "issued_at": now,
                },
            ).scalar_one()
            audit.record(conn, now, None, "ticket.issue", "ticket", ticket_id, number)
            return ticket_id, seq, number

        # a busy write is retried whole (the number too)
        ticket_id, seq, number = self.write_core(_issue)
        return self._view(
            _Issued(
                id=ticket_id,
                department_code=dept,
                day=day,
                purpose=purpose,
                seq=seq,
                number=number,
                status="waiting",
                issued_at=now,
            ),
            now,
        )

    def call_next(self, purpose: str, clerk_id: int) -> TicketView | None:
        """Call the longest-waiting ticket of ``purpose`` today, or None if nobody waits."""
        self._check_purpose(purpose)
        self.require_active_clerk(clerk_id)  # item 11: a disabled clerk calls nobody
        now = self.now()
        day = self.local_date(now)

        def _call(session: Session) -> TicketView | None:
            stmt = (
                select(QueueTicket)
                .where(
                    self.in_department(QueueTicket.department_code),
                    QueueTicket.day == day,
                    QueueTicket.purpose == purpose,
                    QueueTicket.status == "waiting",
                )
                .order_by(QueueTicket.seq)  # type: ignore[arg-type]
                .limit(1)
                .with_for_update(skip_locked=True)  # PostgreSQL: two clerks never get one ticket
            )
            ticket = session.exec(stmt).first()
            if ticket is None:
                return None
            ticket.status = "called"
            ticket.called_at = now
            ticket.clerk_id = clerk_id
            audit.record(session, now, clerk_id, "ticket.call", "ticket", ticket.id, ticket.number)
            return self._view(ticket, now)

        return self.write(_call)

    def open_called(self, clerk_id: int) -> list[TicketView]:
        """Today's tickets called and not finished that ``clerk_id`` should see as "now
        serving" again (issue 12.7): the ones this clerk called, then — once called
        ``queue_handover_minutes`` ago (data/terms.toml) — anyone's. Oldest call first.

        After F10, Ctrl+Q, a lost SSH link or a crash the desk forgets its called ticket;
        without this it would stay "called" for ever, in no list, and the next call would
        pass it by. The clerk who called it gets it back at once; the others only after
        the hand-over term, so two clerks at work do not take each other's visitor.
        """
        now = self.now()
        day = self.local_date(now)
        handover = timedelta(minutes=self.catalog.terms(day).queue_handover_minutes)
        with self.read_session() as session:
            stmt = (
                select(QueueTicket)
                .where(
                    self.in_department(QueueTicket.department_code),
                    QueueTicket.day == day,
                    QueueTicket.status == "called",
                    sa.or_(
                        QueueTicket.clerk_id == clerk_id,  # type: ignore[arg-type]
                        col(QueueTicket.called_at) <= now - handover,
                    ),
                )
                .order_by(QueueTicket.called_at, QueueTicket.id)  # type: ignore[arg-type]
            )
            tickets = list(session.exec(stmt))
        own = [t for t in tickets if t.clerk_id == clerk_id]
        others = [t for t in tickets if t.clerk_id != clerk_id]
        return [self._view(t, now) for t in own + others]

    def serve(self, ticket_id: int, clerk_id: int | None = None) -> TicketView:
        return self._finish(ticket_id, "served", clerk_id)

    def no_show(self, ticket_id: int, clerk_id: int | None = None) -> TicketView:
        return self._finish(ticket_id, "no_show", clerk_id)

    def get(self, ticket_id: int) -> TicketView:
        now = self.now()
        with self.read_session() as session:
            return self._view(self._get(session, ticket_id), now)

    def waiting(self, purpose: str | None = None) -> list[TicketView]:
        """Today's waiting tickets, first come first (none after closing: closed)."""
        self.close_unserved()
        now = self.now()
        day = self.local_date(now)
        with self.read_session() as session:
            stmt = select(QueueTicket).where(
                self.in_department(QueueTicket.department_code),
                QueueTicket.day == day,
                QueueTicket.status == "waiting",
            )
            if purpose is not None:
                stmt = stmt.where(QueueTicket.purpose == purpose)
            stmt = stmt.order_by(QueueTicket.issued_at, QueueTicket.id)  # type: ignore[arg-type]
            return [self._view(t, now) for t in session.exec(stmt)]

    def day(self, on: date | None = None) -> list[TicketView]:
        """Every ticket of a local day (today by default), in issue order; the ones never
        called by closing time are shown ``not_served``."""
        self.close_unserved()
        now = self.now()
        on = on or self.local_date(now)
        with self.read_session() as session:
            stmt = (
                select(QueueTicket)
                .where(self.in_department(QueueTicket.department_code), QueueTicket.day == on)
                .order_by(QueueTicket.issued_at, QueueTicket.id)  # type: ignore[arg-type]
            )
            return [self._view(t, now) for t in session.exec(stmt)]

    # --- helpers -------------------------------------------------------------------------

    def _finish(self, ticket_id: int, status: str, clerk_id: int | None) -> TicketView:
        now = self.now()

        def _finish(session: Session) -> TicketView:
            ticket = self._get(session, ticket_id, lock=True)
            if ticket.status != "called":
                raise RuleViolation(
                    f"ticket is {ticket.status}",
                    key="queue.not_called",
                    number=ticket.number,
                    status=ticket.status,
                )
            ticket.status = status
            if status == "served":
                ticket.served_at = now
            actor = clerk_id if clerk_id is not None else ticket.clerk_id
            self.require_active_clerk(actor, session)  # item 11: not a disabled clerk
            action = "ticket.serve" if status == "served" else "ticket.no_show"
            audit.record(session, now, actor, action, "ticket", ticket.id, ticket.number)
            return self._view(ticket, now)

        # a busy write is run again whole: the rolled-back attempt changed no status, no audit
        return self.write(_finish)

    def _holiday(self, day: date, name: str | None) -> str:
        """The holiday's name for a message, in every language: the message says it in the
        clerk's language, never in Kazakh for a Russian or English clerk (issue 11.14)."""
        names = self.calendar.holiday_names(day)
        if not names:
            return name or ""
        from mss_desk.i18n import Localized

        return Localized.of(names, "kk")

    @staticmethod
    def _check_purpose(purpose: str) -> None:
        if purpose not in PURPOSES:
            raise ValidationError(f"bad purpose {purpose!r}", key="queue.bad_purpose")

    def _get(self, session: Session, ticket_id: int, *, lock: bool = False) -> QueueTicket:
        # FOR UPDATE (PostgreSQL) when finishing: a serve and a no-show of one ticket at
        # once are one after the other, the second sees "served" (SQLite: the write lock)
        ticket = session.get(QueueTicket, ticket_id, with_for_update=lock or None)
        if ticket is None or not self.owns(ticket.department_code):
            raise NotFound("ticket", key="queue.not_found")
        return ticket

    def _view(self, t: QueueTicket | _Issued, now: datetime) -> TicketView:
        assert t.id is not None
        end = t.called_at
        if end is None and t.status == "waiting":
            end = now
        elif end is None and t.status == "not_served":
            end = self.closes_at(t.day)  # waited until closing (item 10, issue 11.6)
        seconds = max(0.0, (end - t.issued_at).total_seconds()) if end is not None else 0.0
        limit = warn_at = None
        if t.purpose in LIMITED:
            terms = self.catalog.terms(t.day)
            limit, warn_at = terms.queue_max_minutes, terms.queue_warn_minutes
        return TicketView(
            id=t.id,
            number=t.number,
            purpose=t.purpose,
            status=t.status,
            issued_at=t.issued_at,
            called_at=t.called_at,
            wait_minutes=int(seconds // 60),
            day=t.day,
            seq=t.seq,
            served_at=t.served_at,
            clerk_id=t.clerk_id,
            limit_minutes=limit,
            warn=warn_at is not None and seconds >= warn_at * 60,
            breach=limit is not None and seconds > limit * 60,
        )
