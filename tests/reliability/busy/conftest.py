"""The busy-retry fixtures shared by the tests in this folder (kept here, not one level up:
their ``clerk`` is a clerk of ``desk`` and must not stand in for the root ``clerk`` elsewhere).

- ``short_busy``: SQLite, a 50 ms busy timeout for the desk's engine (instead of 10 s), so
  a write that cannot have the lock fails "busy" at once;
- ``url``: the database, over SQLite (with ``short_busy``) and PostgreSQL (skipped unless
  ``MSS_DESK_TEST_POSTGRES`` is set); a module that is SQLite's only says
  ``pytestmark = pytest.mark.parametrize("url", ["sqlite"], indirect=True)``;
- ``desk``: ``Services`` on ``url`` with Department ``DEPT`` (PostgreSQL: a short
  ``lock_timeout`` for the desk's own connections); ``clerk`` a clerk of it;
- ``holder``: another desk (:class:`Holder`) that takes the lock on ``hold()``; ``locker``
  the same, already holding it (taken after the clerk was created);
- ``retries``: the attempts the service retried; the first retry lets ``holder`` go;
- afterwards: :func:`audit_count`, :func:`chain_ok`, :func:`snapshot` (every row).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from mss_desk.errors import StorageError
from mss_desk.services import Services
from mss_desk.services.base import ServiceBase
from mss_desk.store import audit as chain
from mss_desk.store import engine as engine_mod
from mss_desk.store.models import AuditEvent
from tests.conftest import CLERK_PASSWORD, DEPT

SHORT_MS = 50  # SQLite: the desk's busy timeout for the test
PG_LOCK_TIMEOUT_MS = 200  # PostgreSQL: the desk's lock_timeout for the test


class Holder:
    """Another desk holding the lock the desk's writes need, until told to let go.

    SQLite: the write lock (``BEGIN IMMEDIATE``). PostgreSQL: the audit chain's advisory
    lock, which every audited write takes, and the drafts table (a draft's overwrite writes
    no audit event).
    """

    def __init__(self, url: str) -> None:
        self.held = False
        self.sqlite: sqlite3.Connection | None = None
        self.pg: sa.Connection | None = None
        self._pg_engine: sa.Engine | None = None
        self._pg_tx: sa.RootTransaction | None = None
        if url.startswith("sqlite"):
            path = Path(url.removeprefix("sqlite:///"))
            self.sqlite = sqlite3.connect(path, isolation_level=None)
        else:
            self._pg_engine = sa.create_engine(url)
            self.pg = self._pg_engine.connect()

    def hold(self) -> None:
        if self.sqlite is not None:
            self.sqlite.execute("BEGIN IMMEDIATE")
        else:
            assert self.pg is not None
            self._pg_tx = self.pg.begin()
            self.pg.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": chain.PG_LOCK_KEY})
            # a draft's overwrite writes no audit event: hold its table too (reads pass)
            self.pg.execute(sa.text("LOCK TABLE drafts IN SHARE ROW EXCLUSIVE MODE"))
        self.held = True

    def release(self) -> None:
        if not self.held:
            return
        if self.sqlite is not None:
            self.sqlite.execute("COMMIT")
        else:
            assert self._pg_tx is not None
            self._pg_tx.commit()
        self.held = False

    def close(self) -> None:
        self.release()
        if self.sqlite is not None:
            self.sqlite.close()
        if self.pg is not None:
            self.pg.close()
        if self._pg_engine is not None:
            self._pg_engine.dispose()


@pytest.fixture
def short_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    pragmas = tuple(
        (n, str(SHORT_MS), SHORT_MS) if n == "busy_timeout" else (n, v, e)
        for n, v, e in engine_mod._SQLITE_PRAGMAS
    )
    monkeypatch.setattr(engine_mod, "_SQLITE_PRAGMAS", pragmas)
    monkeypatch.setattr(engine_mod, "BUSY_TIMEOUT_MS", SHORT_MS)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        request.getfixturevalue("short_busy")
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def desk(url: str, clock: Any, catalog: Any) -> Iterator[Services]:
    desk_url = url
    if not url.startswith("sqlite"):
        # the desk's own connections give up waiting for a lock soon (the holder's are not)
        desk_url = f"{url}%20-clock_timeout%3D{PG_LOCK_TIMEOUT_MS}"
    engine = engine_mod.open_store(desk_url)
    svc = Services(engine, clock, catalog)
    svc.setup.init_department(DEPT)
    yield svc
    engine.dispose()


@pytest.fixture
def clerk(desk: Services) -> Any:
    return desk.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD)


@pytest.fixture
def holder(url: str, desk: Services) -> Iterator[Holder]:
    h = Holder(url)
    yield h
    h.close()


@pytest.fixture
def locker(holder: Holder, clerk: Any) -> Holder:
    """``holder``, already holding the lock (the clerk was created before)."""
    holder.hold()
    return holder


@pytest.fixture
def retries(monkeypatch: pytest.MonkeyPatch, holder: Holder) -> list[int]:
    """Record each retry; the first one lets the other desk's lock go."""
    seen: list[int] = []

    def hook(self: ServiceBase, attempt: int, exc: StorageError) -> None:
        assert exc.key == "safety.busy"
        seen.append(attempt)
        holder.release()

    monkeypatch.setattr(ServiceBase, "_retrying", hook)
    return seen


# --- what the tests check afterwards ------------------------------------------------------


def audit_count(desk: Services, action: str, entity_id: object | None = None) -> int:
    """How many audit events of ``action`` (on ``entity_id``) there are."""
    with Session(desk.engine) as s:
        stmt = select(AuditEvent).where(AuditEvent.action == action)
        if entity_id is not None:
            stmt = stmt.where(AuditEvent.entity_id == str(entity_id))
        return len(s.exec(stmt).all())


def chain_ok(desk: Services) -> None:
    assert chain.check_chain(desk.engine).first_broken is None


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with engine.connect() as conn:
        out = {
            t.name: sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr)
            for t in SQLModel.metadata.sorted_tables
        }
        conn.rollback()
    return out
