"""The queue: numbering per Department/day/purpose, FIFO calls, hours, wait limits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from mss_desk.errors import NotFound, OutsideHours, RuleViolation, ValidationError
from mss_desk.services import Services
from mss_desk.services.base import next_number
from tests.conftest import CLERK_PASSWORD, DEPT, local_dt, other_desk


def test_numbers_per_purpose(services: Services) -> None:
    numbers = [services.queue.issue(p).number for p in ("submit", "submit", "collect", "consult")]
    assert numbers == ["A-001", "A-002", "B-001", "C-001"]
    assert services.queue.issue("collect").number == "B-002"


def test_numbers_start_again_each_day(services: Services, clock: Any) -> None:
    services.queue.issue("submit")
    services.queue.issue("submit")
    clock.set(local_dt("2026-03-03 09:00"))
    ticket = services.queue.issue("submit")
    assert (ticket.number, ticket.day) == ("A-001", date(2026, 3, 3))


def test_numbers_are_per_department(services: Services) -> None:
    assert services.queue.issue("submit").number == "A-001"
    other = other_desk(services, 1)  # a desk of Department 1 on the same database
    assert other.queue.issue("submit").number == "A-001"
    assert [t.number for t in other.queue.day()] == ["A-001"]


def test_bad_purpose(services: Services) -> None:
    with pytest.raises(ValidationError):
        services.queue.issue("express")  # item 10: no expedited service


def test_call_next_is_first_come_first_served_per_purpose(
    services: Services, clerk: Any, clock: Any
) -> None:
    a1 = services.queue.issue("submit")
    clock.advance(minutes=1)
    b1 = services.queue.issue("collect")
    clock.advance(minutes=1)
    a2 = services.queue.issue("submit")
    clock.advance(minutes=5)
    first = services.queue.call_next("submit", clerk.id)
    assert first is not None and first.id == a1.id and first.status == "called"
    assert first.wait_minutes == 7 and first.clerk_id == clerk.id
    assert [t.id for t in services.queue.waiting()] == [b1.id, a2.id]
    second = services.queue.call_next("submit", clerk.id)
    assert second is not None and second.id == a2.id and second.wait_minutes == 5
    assert services.queue.call_next("submit", clerk.id) is None
    third = services.queue.call_next("collect", clerk.id)
    assert third is not None and third.id == b1.id


def test_yesterdays_waiting_tickets_are_not_called_today(
    services: Services, clerk: Any, clock: Any
) -> None:
    services.queue.issue("submit")
    clock.set(local_dt("2026-03-03 09:00"))
    assert services.queue.call_next("submit", clerk.id) is None
    assert services.queue.waiting() == []


def test_serve_and_no_show(services: Services, clerk: Any, clock: Any) -> None:
    t1 = services.queue.issue("submit")
    t2 = services.queue.issue("submit")
    with pytest.raises(RuleViolation) as err:
        services.queue.serve(t1.id)  # not called yet
    assert err.value.key == "queue.not_called"
    services.queue.call_next("submit", clerk.id)
    clock.advance(minutes=12)
    served = services.queue.serve(t1.id)
    assert served.status == "served" and served.served_at == clock.now()
    services.queue.call_next("submit", clerk.id)
    gone = services.queue.no_show(t2.id)
    assert gone.status == "no_show" and gone.served_at is None
    with pytest.raises(RuleViolation):
        services.queue.serve(t2.id)
    assert [t.status for t in services.queue.day(date(2026, 3, 2))] == ["served", "no_show"]
    with pytest.raises(NotFound):
        services.queue.serve(99999)


@pytest.mark.parametrize(
    ("minutes", "seconds", "warn", "breach"),
    [
        (29, 59, False, False),
        (30, 0, True, False),
        (40, 0, True, False),  # items 7.2/7.3: "must not exceed 40 minutes"
        (40, 1, True, True),
    ],
)
def test_wait_warning_and_breach(
    services: Services, clerk: Any, clock: Any, minutes: int, seconds: int, warn: bool, breach: bool
) -> None:
    ticket = services.queue.issue("submit")
    clock.advance(minutes=minutes, seconds=seconds)
    waiting = services.queue.get(ticket.id)
    assert (waiting.wait_minutes, waiting.warn, waiting.breach) == (minutes, warn, breach)
    called = services.queue.call_next("submit", clerk.id)
    assert called is not None
    clock.advance(minutes=30)  # the wait stops at the call
    again = services.queue.get(ticket.id)
    assert (again.wait_minutes, again.warn, again.breach) == (minutes, warn, breach)
    assert again.limit_minutes == 40


def test_consultations_have_no_limit(services: Services, clock: Any) -> None:
    ticket = services.queue.issue("consult")
    clock.advance(minutes=90)
    view = services.queue.get(ticket.id)
    assert (view.limit_minutes, view.warn, view.breach, view.wait_minutes) == (
        None,
        False,
        False,
        90,
    )


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("2026-03-07 10:00", "weekend"),  # Saturday
        ("2026-03-15 10:00", "weekend"),  # Sunday
        ("2026-05-01 10:00", "holiday"),  # Friday, a public holiday
        ("2026-03-02 08:59", "before_hours"),
        ("2026-03-02 13:00", "lunch"),
        ("2026-03-02 13:59", "lunch"),
        ("2026-03-02 18:00", "after_hours"),
    ],
)
def test_no_tickets_outside_hours(services: Services, clock: Any, when: str, reason: str) -> None:
    clock.set(local_dt(when))
    with pytest.raises(OutsideHours) as err:
        services.queue.issue("submit")
    assert err.value.params["reason"] == reason
    assert err.value.key == f"queue.closed_{reason}"
    if reason == "holiday":
        assert err.value.params["holiday"]
    assert services.queue.day(local_dt(when).date()) == []


@pytest.mark.parametrize(
    "when", ["2026-03-02 09:00", "2026-03-02 12:59", "2026-03-02 14:00", "2026-03-02 17:59"]
)
def test_tickets_inside_hours(services: Services, clock: Any, when: str) -> None:
    clock.set(local_dt(when))
    assert services.queue.issue("submit").number == "A-001"


def test_a_rolled_back_number_is_given_again(engine: sa.Engine, services: Services) -> None:
    """Gap-free: a number taken in a transaction that fails is not lost."""
    with Session(engine) as s, s.begin():
        assert next_number(s, 19, "test", "k") == 1
    s2 = Session(engine)
    s2.begin()
    assert next_number(s2, 19, "test", "k") == 2
    s2.rollback()
    s2.close()
    with Session(engine) as s, s.begin():
        assert next_number(s, 19, "test", "k") == 2
        assert next_number(s, 19, "test", "other") == 1


def test_threads_issue_without_duplicates_or_gaps(services: Services) -> None:
    """Several writers of one process at once (PostgreSQL row locks, SQLite write lock)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(pool.map(lambda _: services.queue.issue("submit").seq, range(30)))
    assert sorted(numbers) == list(range(1, 31))


def test_queue_actions_are_audited(services: Services, clerk: Any, engine: sa.Engine) -> None:
    t = services.queue.issue("submit")
    services.queue.call_next("submit", clerk.id)
    services.queue.serve(t.id)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT action, actor, detail FROM audit_events WHERE entity = 'ticket'")
        ).all()
    assert [r[0] for r in rows] == ["ticket.issue", "ticket.call", "ticket.serve"]
    assert rows[1][1] == str(clerk.id) and rows[0][2] == "A-001"


# --- issue under the write lock: Core statements, the same rows (issue 7) -----------------


def test_an_issued_ticket_is_the_row_the_orm_would_write(
    services: Services, engine: sa.Engine, clock: Any
) -> None:
    from mss_desk.store.models import QueueTicket

    view = services.queue.issue("collect")
    with Session(engine) as s:
        row = s.get(QueueTicket, view.id)
        assert row is not None
        assert (row.department_code, row.day, row.purpose, row.seq, row.number) == (
            19,
            date(2026, 3, 2),
            "collect",
            1,
            "B-001",
        )
        assert row.status == "waiting" and row.issued_at == clock.now()
        assert row.called_at is None and row.served_at is None and row.clerk_id is None
        stored = services.queue._view(row, clock.now())
    assert stored == view  # what the clerk is shown is what is stored


def test_issue_and_orm_writes_share_one_audit_chain(
    services: Services, clerk: Any, engine: sa.Engine, clock: Any
) -> None:
    """Core-written audit rows (issue) and ORM-written ones (call, serve) chain as one."""
    from mss_desk.store import audit as chain
    from mss_desk.store.models import AuditEvent

    t = services.queue.issue("submit")
    clock.advance(minutes=3)
    services.queue.call_next("submit", clerk.id)
    services.queue.issue("consult")
    services.queue.serve(t.id)
    report = chain.check_chain(engine)
    assert report.first_broken is None and report.count >= 4
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(table).where(table.c.action == "ticket.issue").order_by(table.c.id).limit(1)
        ).one()
    assert (row.actor, row.entity, row.entity_id, row.detail) == (
        "system",
        "ticket",
        str(t.id),
        "A-001",
    )
    assert row.at == services.queue.get(t.id).issued_at
    assert row.prev_hash == chain.GENESIS or row.id > 1
    assert row.hash == chain.event_hash(row, row.prev_hash)


def test_next_number_on_a_core_connection_is_gap_free(
    engine: sa.Engine, services: Services
) -> None:
    with engine.begin() as conn:
        assert next_number(conn, 19, "test", "core") == 1
    conn = engine.connect()
    conn.begin()
    assert next_number(conn, 19, "test", "core") == 2
    conn.rollback()  # the number goes back
    conn.close()
    with engine.begin() as conn:
        assert next_number(conn, 19, "test", "core") == 2
    with Session(engine) as s, s.begin():
        assert next_number(s, 19, "test", "core") == 3  # the ORM session shares the row


def test_an_issued_ticket_is_stored_as_the_orm_stores_it(
    services: Services, engine: sa.Engine, clock: Any
) -> None:
    """The SQLite fast path binds its own values: the stored text must be the ORM's (a
    time stored in another form would sort and compare wrongly in SQL)."""
    from mss_desk.services import audit
    from mss_desk.store.models import QueueTicket

    issued = services.queue.issue("submit")
    with Session(engine) as s, s.begin():
        orm = QueueTicket(
            department_code=19,
            day=date(2026, 3, 2),
            purpose="consult",
            seq=99,
            number="C-099",
            status="waiting",
            issued_at=clock.now(),
        )
        s.add(orm)
        s.flush()
        orm_id = orm.id
        audit.record(s, clock.now(), None, "ticket.issue", "ticket", orm_id, orm.number)
    cols = "CAST(day AS TEXT), CAST(issued_at AS TEXT)"
    with engine.connect() as conn:
        fast, slow = (
            conn.exec_driver_sql(f"SELECT {cols} FROM queue_tickets WHERE id = {i}").one()
            for i in (issued.id, orm_id)
        )
        at_fast, at_slow = (
            conn.exec_driver_sql(
                f"SELECT CAST(at AS TEXT), actor FROM audit_events WHERE entity_id = '{i}'"
            ).one()
            for i in (issued.id, orm_id)
        )
    assert tuple(fast) == tuple(slow)
    assert tuple(at_fast) == tuple(at_slow)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the fast path is SQLite's
def test_a_failed_fast_issue_is_not_saved_and_takes_no_number(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A driver error in the SQLite fast path is "not saved" (as through SQLAlchemy), and
    the transaction rolls back whole: the number is given again."""
    from mss_desk.errors import StorageError
    from mss_desk.services import queue as queue_mod

    assert services.engine.dialect.name == "sqlite"
    monkeypatch.setattr(queue_mod, "_SQL_LAST_HASH", "SELECT hash FROM no_such_table")
    with pytest.raises(StorageError) as err:
        services.queue.issue("submit")
    assert err.value.key == "error.not_saved"
    monkeypatch.undo()
    assert services.queue.issue("submit").number == "A-001"
    assert [t.number for t in services.queue.day()] == ["A-001"]


# --- closing time: tickets never called are closed as not_served (item 10, issue 11.6) ----


def _ticket_audit(engine: sa.Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        sql = "SELECT action, actor, detail FROM audit_events WHERE entity = 'ticket' ORDER BY id"
        rows = conn.execute(sa.text(sql)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def test_item_10_tickets_never_called_are_closed_as_not_served_the_next_day(
    services: Services, clerk: Any, clock: Any, engine: sa.Engine
) -> None:
    from mss_desk.store import audit as chain

    a1 = services.queue.issue("submit")
    services.queue.issue("submit")
    services.queue.issue("collect")
    services.queue.issue("consult")
    clock.advance(minutes=5)
    services.queue.call_next("submit", clerk.id)
    clock.set(local_dt("2026-03-03 09:00"))  # the next morning: nobody was there at 18:00
    day = services.queue.day(date(2026, 3, 2))
    assert [(t.number, t.status) for t in day] == [
        ("A-001", "called"),
        ("A-002", "not_served"),  # number kept: never renumbered
        ("B-001", "not_served"),
        ("C-001", "not_served"),
    ]
    b1 = day[2]
    assert b1.wait_minutes == 8 * 60 and b1.breach  # 10:00 to closing at 18:00
    assert b1.called_at is None and b1.served_at is None
    assert day[0].id == a1.id
    actions = _ticket_audit(engine)
    closed = [r for r in actions if r[0] == "ticket.not_served"]
    assert closed == [
        ("ticket.not_served", "system", "A-002 2026-03-02"),
        ("ticket.not_served", "system", "B-001 2026-03-02"),
        ("ticket.not_served", "system", "C-001 2026-03-02"),
    ]
    assert chain.check_chain(engine).first_broken is None
    # idempotent: again, and from another desk's process, nothing more is closed or audited
    assert services.queue.close_unserved() == 0
    other = Services(engine, clock, services.catalog)
    assert other.queue.close_unserved() == 0
    assert _ticket_audit(engine) == actions
    # a new day's numbering is untouched
    assert services.queue.issue("submit").number == "A-001"


def test_item_10_todays_waiting_tickets_close_at_18_not_at_lunch(
    services: Services, clerk: Any, clock: Any
) -> None:
    t = services.queue.issue("submit")
    clock.set(local_dt("2026-03-02 13:30"))  # lunch does not close the queue
    assert [x.id for x in services.queue.waiting()] == [t.id]
    clock.set(local_dt("2026-03-02 17:59"))  # the minute before closing
    assert [x.id for x in services.queue.waiting()] == [t.id]
    clock.set(local_dt("2026-03-02 18:00"))  # closing: nobody can be called any more
    assert services.queue.waiting() == []
    [closed] = services.queue.day()
    assert closed.status == "not_served" and closed.wait_minutes == 8 * 60
    assert services.queue.call_next("submit", clerk.id) is None


def test_item_10_a_late_ticket_closed_at_18_waited_less_than_the_limit(
    services: Services, clock: Any
) -> None:
    clock.set(local_dt("2026-03-02 17:40"))
    services.queue.issue("collect")
    clock.set(local_dt("2026-03-02 18:30"))
    [tk] = services.queue.day()
    assert tk.status == "not_served" and tk.wait_minutes == 20 and not tk.breach


def test_item_10_the_first_ticket_of_the_day_closes_yesterdays_queue(
    services: Services, clock: Any, engine: sa.Engine
) -> None:
    services.queue.issue("submit")
    clock.set(local_dt("2026-03-04 09:00"))  # two days later, the desk was off meanwhile
    services.queue.issue("submit")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT day, number, status FROM queue_tickets ORDER BY id")
        ).all()
    assert [(str(r[0]), r[1], r[2]) for r in rows] == [
        ("2026-03-02", "A-001", "not_served"),
        ("2026-03-04", "A-001", "waiting"),
    ]


def test_item_10_closing_leaves_other_departments_alone(
    services: Services, clock: Any, engine: sa.Engine
) -> None:
    services.queue.issue("submit")  # Department 19
    other_desk(services, 1).queue.issue("submit")  # Department 1
    clock.set(local_dt("2026-03-03 09:00"))
    services.queue.day(date(2026, 3, 2))
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT department_code, status FROM queue_tickets ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [(19, "not_served"), (1, "waiting")]


def test_not_served_is_a_ticket_status() -> None:
    from mss_desk.vocabulary import TICKET_STATUSES

    assert "not_served" in TICKET_STATUSES


# --- holiday names in the clerk's language (issue 11.14) -----------------------------------


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("kk", "Халықаралық әйелдер күні"),
        ("ru", "Международный женский день"),
        ("en", "International Women's Day"),
    ],
)
def test_a_holiday_refusal_names_the_holiday_in_the_clerks_language(
    services: Services, clock: Any, lang: str, name: str
) -> None:
    from mss_desk.i18n import t

    clock.set(local_dt("2026-03-09 10:00"))  # 8 March fell on a Sunday: Monday off
    with pytest.raises(OutsideHours) as err:
        services.queue.issue("submit")
    text = t(err.value.key, lang, **err.value.params)
    assert name in text, text
    if lang != "kk":
        assert "әйелдер" not in text
    why = t("rules.office.holiday", lang, name=err.value.params["holiday"])
    assert name in why


# --- issue 12.7: a called ticket is never orphaned -------------------------------------


def test_a_called_unfinished_ticket_comes_back_to_its_clerk(
    services: Services, clerk: Any, clock: Any
) -> None:
    """The desk forgot the called ticket (F10, Ctrl+Q, a lost link): the service still
    knows it is the clerk's, open — until served or marked no-show."""
    other = services.clerks.create(DEPT, "dana", "Ахметова", "Дана", CLERK_PASSWORD, "clerk")
    a1 = services.queue.issue("submit")
    services.queue.issue("submit")
    called = services.queue.call_next("submit", clerk.id)
    assert called is not None and called.id == a1.id
    clock.advance(minutes=5)
    assert [t.id for t in services.queue.open_called(clerk.id)] == [a1.id]
    assert services.queue.open_called(clerk.id)[0].status == "called"
    assert services.queue.open_called(other.id) == []  # not yet: its clerk may come back
    services.queue.serve(a1.id, clerk.id)
    assert services.queue.open_called(clerk.id) == []


def test_after_the_handover_term_any_clerk_gets_the_orphan(
    services: Services, clerk: Any, clock: Any, catalog: Any
) -> None:
    other = services.clerks.create(DEPT, "dana", "Ахметова", "Дана", CLERK_PASSWORD, "clerk")
    minutes = catalog.terms(date(2026, 3, 2)).queue_handover_minutes
    assert minutes == 30  # data/terms.toml
    orphan = services.queue.issue("collect")
    services.queue.call_next("collect", clerk.id)
    clock.advance(minutes=minutes - 1)
    assert services.queue.open_called(other.id) == []
    clock.advance(minutes=1)
    assert [t.id for t in services.queue.open_called(other.id)] == [orphan.id]
    # the other clerk's own open call comes first
    services.queue.issue("consult")
    own = services.queue.call_next("consult", other.id)
    assert own is not None
    assert [t.id for t in services.queue.open_called(other.id)] == [own.id, orphan.id]
    gone = services.queue.no_show(orphan.id, other.id)
    assert gone.status == "no_show"
    assert [t.id for t in services.queue.open_called(other.id)] == [own.id]


def test_an_open_call_of_another_day_or_department_is_not_offered(
    services: Services, clerk: Any, clock: Any
) -> None:
    services.queue.issue("submit")
    services.queue.call_next("submit", clerk.id)
    assert other_desk(services, 1).queue.open_called(clerk.id) == []
    assert len(services.queue.open_called(clerk.id)) == 1
    clock.set(local_dt("2026-03-03 09:00"))
    assert services.queue.open_called(clerk.id) == []
