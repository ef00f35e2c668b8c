"""What every service shares: the transaction, the Department, the local day, numbering."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from mss_desk.errors import DeskError, NotFound, StorageError
from mss_desk.store.models import Counter, Department, Setting

if TYPE_CHECKING:
    from mss_desk.services import Services

CURRENT_DEPARTMENT = "department_code"
WRITE_ATTEMPTS = 3  # a busy write is tried this many times before "not saved, try again"
T = TypeVar("T")


class ServiceBase:
    def __init__(self, hub: Services) -> None:
        self.hub = hub

    @property
    def engine(self) -> sa.Engine:
        return self.hub.engine

    @property
    def clock(self) -> Any:
        return self.hub.clock

    @property
    def catalog(self) -> Any:
        return self.hub.catalog

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction per user action: all of it is written, or none of it.

        Database failures become ``StorageError`` ("not saved"); the caller keeps its form.
        """
        session = Session(self.engine, expire_on_commit=False)
        try:
            with session.begin():
                yield session
        except DeskError:
            raise
        except sa.exc.DBAPIError as exc:  # incl. a unique-key race lost on PostgreSQL
            # disk full / I/O error / lock past busy_timeout: "not saved" with the reason
            from mss_desk.store.safety import storage_error

            # never the driver's text: it can quote the row (an IIN in a unique-key message)
            err = storage_error(exc) or StorageError("not saved", key="error.not_saved")
            raise err from exc
        finally:
            session.close()

    def write(self, action: Callable[[Session], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """``action(session)`` in one :meth:`tx`, run again whole when the database was busy.

        ``tx()`` cannot re-run its body; here the body is a function. A lock that outlasted
        the busy timeout (SQLite) or a serialization failure/deadlock (PostgreSQL) rolls the
        attempt back completely (counters included), so a retry never leaves a gap or a
        half-written case. After ``attempts`` the clerk gets ``safety.busy`` (form kept).
        """
        from mss_desk.store.safety import StorageRetry

        for attempt in range(1, max(1, attempts) + 1):
            try:
                with self.tx() as session:
                    return action(session)
            except StorageRetry as exc:
                if attempt >= attempts:
                    raise
                self._retrying(attempt, exc)
        raise AssertionError("unreachable")  # pragma: no cover

    def _retrying(self, attempt: int, exc: StorageError) -> None:
        """Called before a busy write is tried again (a hook for tests; nothing by default)."""

    def read(self, stmt: Any, params: dict[str, Any] | None = None) -> list[Any]:
        """Rows of one SELECT in a read-only transaction (issue 7: searches, dashboard).

        Core rows, not ORM entities (hydrating entities cost more than the query), and no
        write lock: ``store.engine`` begins a ``read_only`` transaction with a plain BEGIN,
        so a search never waits behind a clerk who is saving.
        """
        from mss_desk.store.engine import READ_ONLY

        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{READ_ONLY: True})
                rows = list(conn.execute(stmt, params or {}).all())
                conn.rollback()
        except sa.exc.DBAPIError as exc:
            from mss_desk.store.safety import storage_error

            raise storage_error(exc) or StorageError("not saved", key="error.not_saved") from exc
        return rows

    # --- the Department this desk serves -------------------------------------------------

    def department_code(self, session: Session | None = None) -> int:
        return self.hub.department_code()

    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.hub.department_tz())

    def now(self) -> datetime:
        return self.clock.now()  # type: ignore[no-any-return]

    def local_now(self) -> datetime:
        return self.now().astimezone(self.tz())

    def today(self) -> date:
        return self.local_now().date()

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz()).date()

    @cached_property
    def calendar(self) -> Any:
        return self.hub.calendar


def read_current_department(session: Session) -> Department:
    setting = session.get(Setting, CURRENT_DEPARTMENT)
    if setting is None:
        raise NotFound("department not initialised", key="setup.no_department")
    dept = session.get(Department, int(setting.value))
    if dept is None:
        raise NotFound("department not initialised", key="setup.no_department")
    return dept


def next_number(session: Session, department_code: int, scope: str, key: str) -> int:
    """The next number of a gap-free series, taken inside the caller's transaction.

    UPDATE … RETURNING takes the row's write lock (PostgreSQL) inside the transaction that
    already holds SQLite's write lock (BEGIN IMMEDIATE): concurrent writers queue, and a
    rollback gives the number back. A missing row is created with INSERT … ON CONFLICT DO
    NOTHING, so two first writers cannot both create it.
    """
    table = Counter.__table__  # type: ignore[attr-defined]
    where = sa.and_(
        table.c.department_code == department_code, table.c.scope == scope, table.c.key == key
    )
    bump = sa.update(table).where(where).values(value=table.c.value + 1).returning(table.c.value)
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        dialect = session.get_bind().dialect.name
        row = {"department_code": department_code, "scope": scope, "key": key, "value": 0}
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            session.execute(pg_insert(table).values(**row).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            session.execute(sqlite_insert(table).values(**row).on_conflict_do_nothing())
        value = session.execute(bump).scalar_one()
    return int(value)


# The Kazakh Cyrillic alphabet in its dictionary order (Russian letters included): code
# point order would put Ә after Я and С before Ә.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {ch: i for i, ch in enumerate(KAZAKH_ALPHABET)}


def kazakh_sort_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for names: Kazakh alphabet order, case-insensitive; other letters after."""
    return tuple((0, _RANK[ch]) if ch in _RANK else (1, ch) for ch in text.casefold())
