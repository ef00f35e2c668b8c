"""A read never waits for the writers' lock, and sees only what was committed.

Another desk is in the middle of a write: it holds the lock and has changed rows it has not
committed (SQLite: ``BEGIN IMMEDIATE`` on its own connection, the write lock; PostgreSQL,
``MSS_DESK_TEST_POSTGRES``: the audit chain's advisory lock, the drafts table, the changed rows).
Every read of the services — the queue screen's ``waiting()`` every 3 s, the clerks, the
drafts, a case, the lifecycle lists, the complaints, the Department, the indicators' inputs
— must return at once with the committed data:

- SQLite: the desk's busy timeout is 50 ms for the test, so a read that still asked for the
  write lock (``tx()``: ``BEGIN IMMEDIATE``) fails "busy" at once instead of after 10 s; and
  asking for it at all is an error here (``store.engine._begin_immediate`` is replaced for
  the read), so a read that would merely wait is caught too — no clock involved;
- PostgreSQL: the read runs in a ``READ ONLY`` transaction (a ``SELECT … FOR UPDATE`` left
  in a read fails there at once) and the desk's ``lock_timeout`` is short.

Then the other desk commits and the same read shows its change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import select

from mss_desk.errors import StorageError
from mss_desk.services import Services
from mss_desk.services.base import ServiceBase
from mss_desk.store import engine as engine_mod
from mss_desk.store.models import Clerk
from tests.conftest import CLERK_PASSWORD, DEPT
from tests.lifecycle.conftest import CaseFactory
from tests.reliability.busy.conftest import Holder

# what the other desk changes and does not commit (the reads must not see it)
UNCOMMITTED = (
    "UPDATE clerks SET surname = 'ӨЗГЕРДІ'",
    "UPDATE drafts SET data = '{\"step\": 99}'",
    "UPDATE queue_tickets SET status = 'called'",
    "UPDATE cases SET postal_address = 'ӨЗГЕРДІ', safekeeping_location = 'ӨЗГЕРДІ'",
    "UPDATE cases SET result_ready_on = '2025-12-02' WHERE status = 'result_ready'",
    "UPDATE complaints SET text = 'ӨЗГЕРДІ'",
    "UPDATE departments SET tz = 'Asia/Aqtobe'",
    "UPDATE settings SET value = '99' WHERE key LIKE 'indicator:%'",
)


class Writer(Holder):
    """Another desk in the middle of a write: the lock held, rows changed, not committed."""

    def begin(self) -> None:
        self.hold()
        for stmt in UNCOMMITTED:
            if self.sqlite is not None:
                self.sqlite.execute(stmt)
            else:
                assert self.pg is not None
                self.pg.execute(sa.text(stmt))

    def commit(self) -> None:
        self.release()

    def close(self) -> None:
        if self.held:  # never committed: its changes are dropped, not written at the end
            if self.sqlite is not None:
                self.sqlite.execute("ROLLBACK")
            else:
                assert self._pg_tx is not None
                self._pg_tx.rollback()
            self.held = False
        super().close()


@pytest.fixture
def writer(url: str, desk: Services) -> Iterator[Writer]:
    w = Writer(url)
    yield w
    w.close()


@pytest.fixture
def no_write_lock(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """SQLite: from now on asking for the write lock is an error (a read must not wait)."""

    def arm() -> None:
        def refuse(conn: Any, db_path: Any) -> None:
            raise AssertionError("a read asked for the write lock (BEGIN IMMEDIATE)")

        monkeypatch.setattr(engine_mod, "_begin_immediate", refuse)

    return arm


@pytest.fixture
def world(desk: Services) -> dict[str, Any]:
    """One of everything the reads show, committed."""
    clerk = desk.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD)
    head = desk.clerks.create(DEPT, "head", "Нұрланова", "Гүлнар", CLERK_PASSWORD, "head")
    draft = desk.intake.save_draft(None, {"surname": "Әлиева", "step": 1}, clerk.id)
    desk.queue.issue("submit")
    desk.queue.issue("consult")
    make = CaseFactory(desk)
    accepted = make.case("2026-03-02 09:00", postal_address="Ақкөл, Абай к. 1")
    forwarded = make.case(
        "2026-02-02 09:00", status="forwarded", forwarded_on=date(2026, 2, 3), priority=True
    )
    ready = make.case(
        "2025-11-03 09:00",
        status="result_ready",
        result_ready_on=date(2025, 12, 1),
        postal_address="Көкшетау, Абай к. 2",
    )
    complaint = desk.complaints.register("Әлиев Марат", "Кезек ұзақ болды", clerk.id)
    desk.reports.enter_value("3.3", 2026, 40.0, head.id)
    return {
        "clerk": clerk,
        "draft": draft,
        "accepted": accepted,
        "forwarded": forwarded,
        "ready": ready,
        "complaint": complaint.complaint_no,
    }


def _indicator_inputs(d: Services, w: dict[str, Any]) -> Any:
    return d.reports.inputs(date(2026, 1, 1), date(2026, 12, 31))


# every read the services do in an ORM session, by room
READS: dict[str, Callable[[Services, dict[str, Any]], Any]] = {
    "clerks.has_any": lambda d, w: d.clerks.has_any(),
    "clerks.get": lambda d, w: d.clerks.get(w["clerk"].id),
    "clerks.list": lambda d, w: d.clerks.list(DEPT),
    "intake.load_drafts": lambda d, w: d.intake.load_drafts(),
    "intake.load_draft": lambda d, w: d.intake.load_draft(w["draft"]),
    "cases.get": lambda d, w: d.cases.get(w["accepted"]),
    "cases.get_by_id": lambda d, w: d.cases.get_by_id(d.cases.get(w["ready"]).id),
    "queue.waiting": lambda d, w: d.queue.waiting(),
    "queue.day": lambda d, w: d.queue.day(),
    "queue.get": lambda d, w: d.queue.get(d.queue.day()[0].id),
    "lifecycle.get": lambda d, w: d.lifecycle.get(w["accepted"]),
    "lifecycle.in_status": lambda d, w: d.lifecycle.in_status("accepted", "result_ready"),
    "lifecycle.to_forward": lambda d, w: d.lifecycle.to_forward(),
    "lifecycle.waiting_list": lambda d, w: d.lifecycle.waiting_list(),
    "lifecycle.collect_until": lambda d, w: d.lifecycle.collect_until(w["ready"]),
    "lifecycle.safekeeping_due": lambda d, w: d.lifecycle.safekeeping_due(),
    "complaints.get": lambda d, w: d.complaints.get(w["complaint"]),
    "complaints.list": lambda d, w: d.complaints.list(),
    "complaints.talon": lambda d, w: d.complaints.talon(w["complaint"]),
    "setup.department": lambda d, w: d.setup.department(),
    "reports.inputs": _indicator_inputs,
}


@pytest.mark.parametrize("name", sorted(READS))
def test_a_read_while_another_desk_writes_returns_the_committed_data(
    name: str,
    desk: Services,
    world: dict[str, Any],
    writer: Writer,
    no_write_lock: Callable[[], None],
    url: str,
) -> None:
    read = READS[name]
    before = read(desk, world)
    assert before not in (None, [], ())  # the read shows something the writer changes
    writer.begin()
    if url.startswith("sqlite"):
        no_write_lock()
    assert read(desk, world) == before  # at once, and not the uncommitted change
    writer.commit()
    after = read(desk, world)
    if name != "clerks.has_any":
        assert after != before  # now committed, the change shows (a fresh read)


def test_the_queue_screen_refresh_while_tickets_are_issued(
    desk: Services, world: dict[str, Any], writer: Writer
) -> None:
    """The 3 s refresh of the queue screen: two waiting, whatever the other desk does."""
    writer.begin()
    assert [t.number for t in desk.queue.waiting()] == ["A-001", "C-001"]
    assert [t.number for t in desk.queue.waiting("consult")] == ["C-001"]
    writer.commit()
    assert desk.queue.waiting() == []  # the other desk called them both


# --- the read session itself -------------------------------------------------------------


def test_the_read_session_takes_no_write_lock(desk: Services, url: str) -> None:
    with desk.clerks.read_session() as session:
        assert session.exec(select(Clerk.id)).all() == []  # the snapshot begins
        if url.startswith("sqlite"):
            other = sqlite3.connect(Path(url.removeprefix("sqlite:///")), isolation_level=None)
            try:
                other.execute("PRAGMA busy_timeout = 0")
                other.execute("BEGIN IMMEDIATE")  # would fail "locked" if the read held it
                other.execute("ROLLBACK")
            finally:
                other.close()
        else:
            ro = session.execute(sa.text("SHOW transaction_read_only")).scalar_one()
            assert ro == "on"


def test_objects_read_stay_usable_after_the_session(desk: Services) -> None:
    made = desk.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD)
    with desk.clerks.read_session() as session:
        clerk = session.get(Clerk, made.id)
    assert clerk is not None
    assert (clerk.username, clerk.surname, clerk.role) == ("aigerim", "Сейітова", "clerk")


def test_a_change_made_in_a_read_session_is_refused_and_not_written(desk: Services) -> None:
    made = desk.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD)
    with pytest.raises(RuntimeError, match="read_session"):
        with desk.clerks.read_session() as session:
            clerk = session.get(Clerk, made.id)
            assert clerk is not None
            clerk.surname = "Басқа"
    assert desk.clerks.get(made.id).surname == "Сейітова"


def test_a_write_still_waits_for_the_lock_and_says_busy(
    desk: Services, world: dict[str, Any], writer: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writes are unchanged: with the other desk's lock held throughout, "busy"."""
    monkeypatch.setattr(ServiceBase, "_retrying", lambda self, a, e: None)
    writer.begin()
    with pytest.raises(StorageError) as err:
        desk.intake.save_draft(None, {"step": 1}, world["clerk"].id)
    assert err.value.key == "safety.busy"
