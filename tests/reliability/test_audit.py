"""The audit chain: every row carries the previous row's hash; triggers keep the table
append-only; verify names the first broken row. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mss_desk.store import audit
from mss_desk.store.engine import migrate, open_store
from mss_desk.store.models import AuditEvent

T0 = datetime(2026, 3, 2, 5, 0, 0, 123456, tzinfo=UTC)


def _write(engine: sa.Engine, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with Session(engine) as s:
            audit.record(
                s,
                T0 + timedelta(minutes=i),
                i % 3 or None,
                "ticket.issue",
                "ticket",
                i,
                f"A-{i:03d}",
            )
            s.commit()


def _drop_triggers(engine: sa.Engine) -> None:
    """What an attacker with the file (or a superuser) would do first."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_change ON audit_events")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")


def test_rows_are_chained_from_the_genesis(engine: sa.Engine) -> None:
    _write(engine, 3)
    with Session(engine) as s:
        rows = list(s.exec(select(AuditEvent).order_by(AuditEvent.id)))  # type: ignore[arg-type]
    assert rows[0].prev_hash == audit.GENESIS
    for before, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == before.hash
    assert all(len(r.hash or "") == 64 for r in rows)
    assert audit.verify(engine) is None
    report = audit.check_chain(engine)
    assert (report.count, report.first_broken, report.head) == (3, None, rows[-1].hash)


def test_an_empty_table_verifies(engine: sa.Engine) -> None:
    assert audit.check_chain(engine) == audit.ChainReport(0, None, "", audit.GENESIS)


def test_several_events_in_one_transaction_chain_in_order(engine: sa.Engine) -> None:
    with Session(engine) as s:
        for i in range(4):
            audit.record(s, T0, 1, "case.accept", "case", f"19-2026-{i:05d}")
        s.commit()
    assert audit.verify(engine) is None


def test_a_rolled_back_event_leaves_no_gap_in_the_chain(engine: sa.Engine) -> None:
    _write(engine, 2)
    with Session(engine) as s:
        audit.record(s, T0, 1, "case.accept", "case", 1)
        s.rollback()
    _write(engine, 2, start=2)
    assert audit.verify(engine) is None


def test_the_hash_covers_every_field() -> None:
    base = {
        "at": T0,
        "actor": "1",
        "action": "a",
        "entity": "case",
        "entity_id": "7",
        "detail": "d",
        "prev_hash": audit.GENESIS,
    }
    ref = audit.canonical(**base)  # type: ignore[arg-type]
    for key, other in [
        ("at", T0 + timedelta(microseconds=1)),
        ("actor", "2"),
        ("action", "b"),
        ("entity", "ticket"),
        ("entity_id", "8"),
        ("detail", "e"),
        ("prev_hash", "f" * 64),
    ]:
        assert audit.canonical(**{**base, key: other}) != ref, key  # type: ignore[arg-type]
    # the same instant in another zone is the same event
    almaty = T0.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Almaty"))
    assert audit.canonical(**{**base, "at": almaty}) == ref  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_events SET detail = 'x'", "DELETE FROM audit_events"]
)
def test_triggers_refuse_update_and_delete(engine: sa.Engine, sql: str) -> None:
    _write(engine, 2)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    assert audit.verify(engine) is None


def test_truncate_is_refused_on_postgresql(pg_url: str) -> None:
    eng = open_store(pg_url)
    try:
        _write(eng, 1)
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with eng.begin() as conn:
                conn.exec_driver_sql("TRUNCATE audit_events")
    finally:
        eng.dispose()


@pytest.mark.parametrize(
    ("tamper", "broken", "reason"),
    [
        ("UPDATE audit_events SET detail = 'A-999' WHERE id = 3", 3, "hash"),
        ("UPDATE audit_events SET actor = '2' WHERE id = 1", 1, "hash"),
        ("UPDATE audit_events SET hash = '{h}' WHERE id = 4", 4, "hash"),
        ("DELETE FROM audit_events WHERE id = 2", 3, "prev_hash"),
        ("UPDATE audit_events SET prev_hash = '{g}' WHERE id = 5", 5, "prev_hash"),
    ],
)
def test_verify_names_the_first_broken_row(
    engine: sa.Engine, tamper: str, broken: int, reason: str
) -> None:
    _write(engine, 6)
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(tamper.format(h="e" * 64, g=audit.GENESIS))
    report = audit.check_chain(engine)
    assert (report.first_broken, report.reason) == (broken, reason)
    assert audit.verify(engine) == broken


def test_rewriting_a_row_and_its_hash_still_breaks_the_next_link(engine: sa.Engine) -> None:
    """A forger who recomputes the row's own hash is caught by the next row's prev_hash."""
    _write(engine, 4)
    _drop_triggers(engine)
    with Session(engine) as s:
        row = s.get(AuditEvent, 2)
        assert row is not None
        row.detail = "A-777"
        row.hash = audit.event_hash(row, row.prev_hash or "")
        s.commit()
    assert audit.check_chain(engine).first_broken == 3


def test_the_migration_chains_rows_written_before_it(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    try:
        migrate_down = __import__("alembic.command", fromlist=["downgrade"]).downgrade
        from mss_desk.store.revisions import alembic_config

        migrate_down(alembic_config(eng), "0003")
        with Session(eng) as s:
            for i in range(3):
                s.add(
                    AuditEvent(at=T0, actor="system", action="old", entity="case", entity_id=str(i))
                )
            s.commit()
        assert audit.verify(eng) == 1  # unchained
        migrate(eng)
        assert audit.verify(eng) is None
        _write(eng, 2)
        assert audit.check_chain(eng).count == 5 and audit.verify(eng) is None
    finally:
        eng.dispose()


def test_services_write_chained_events(services, clerk) -> None:  # type: ignore[no-untyped-def]
    """The services' audit.record goes through the chain (clock: Monday 10:00, office open)."""
    services.queue.issue("submit")
    services.queue.issue("collect")
    with services.engine.connect() as conn:
        actions = [r[0] for r in conn.exec_driver_sql("SELECT action FROM audit_events")]
    assert actions.count("ticket.issue") == 2
    report = audit.check_chain(services.engine)
    assert report.count == len(actions) and report.first_broken is None
