"""What every service shares: the transaction, the Department, the local day, numbering."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mss_desk.errors import AuthError, DepartmentNotChosen, NotFound, StorageError
from mss_desk.store.models import Clerk, Counter, Department

if TYPE_CHECKING:
    from mss_desk.services import Services

REGION_CODE = 0  # the Regional Department's desk (item 24.2, issue 14)
# Issue 14.2: what the regional desk reads for every Department — the files it received
# (the case, its applicant, its checklist, the person's changes); never the accounts, the
# queue or the complaints of the Departments, which stay each desk's own.
REGION_READS: frozenset[str] = frozenset(
    {"cases", "applicants", "case_documents", "applicant_changes"}
)
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

    @cached_property
    def _reader(self) -> sa.Engine:
        """The engine for reads (:func:`read_engine`), built once per service: an option engine
        per call would cost a copy and, on PostgreSQL, a new listener each time."""
        return read_engine(self.engine)

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction per user action: all of it is written, or none of it.

        Database failures become ``StorageError`` ("not saved"); the caller keeps its form.
        """
        session = Session(self.engine, expire_on_commit=False)
        try:
            with _storage_errors(), session.begin():  # incl. a unique-key race lost on PG
                yield session
        finally:
            session.close()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """An ORM session for a read: no write lock, and nothing it holds is ever written.

        :meth:`tx` begins with SQLite's write lock (``BEGIN IMMEDIATE``): a list or a lookup
        done there waits behind every desk that is saving, and fails "busy" with no retry
        although it writes nothing (the queue screen asks ``queue.waiting()`` every 3 s).
        Here the transaction is a read one, as in :meth:`read`: a plain ``BEGIN`` on SQLite
        (WAL: a consistent snapshot of what was committed, never waiting for a writer), a
        ``READ ONLY`` transaction on PostgreSQL (so ``SELECT … FOR UPDATE`` or a stray
        write fails at once instead of taking locks). The session does not flush on its
        own; it is closed without a commit, and the objects loaded stay usable afterwards
        with the values they were read with (as ``expire_on_commit=False`` gives
        :meth:`tx`). An object changed or added in it is a bug (a write done through the
        read path would be lost): it raises.
        """
        session = Session(self._reader, expire_on_commit=False, autoflush=False)
        try:
            with _storage_errors():
                session.begin()
                yield session
            if session.new or session.dirty or session.deleted:
                raise RuntimeError("read_session: an object was changed; use write()")
        finally:
            session.close()  # rolls the read transaction back; loaded objects are not expired

    @contextmanager
    def tx_core(self) -> Iterator[sa.Connection]:
        """:meth:`tx` for a SQLAlchemy Core connection: no ORM session, no unit of work.

        For the short, hot writes (``queue.issue``): Core statements only, so the write lock
        (SQLite ``BEGIN IMMEDIATE``) is held for the statements and the commit, not for
        building objects and flushing them (issue 7, queue under load).
        """
        # sqlite3.Error: a statement run on the driver's connection itself (queue's fast path)
        with _storage_errors(), self.engine.begin() as conn:
            yield conn

    def write(self, action: Callable[[Session], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """``action(session)`` in one :meth:`tx`, run again whole when the database was busy.

        ``tx()`` cannot re-run its body; here the body is a function. A lock that outlasted
        the busy timeout (SQLite) or a serialization failure/deadlock (PostgreSQL) rolls the
        attempt back completely (counters included), so a retry never leaves a gap or a
        half-written case. After ``attempts`` the clerk gets ``safety.busy`` (form kept).
        """
        return self._retry(self.tx, action, attempts)

    def write_core(
        self, action: Callable[[sa.Connection], T], *, attempts: int = WRITE_ATTEMPTS
    ) -> T:
        """:meth:`write` with a Core connection (:meth:`tx_core`) instead of a session."""
        return self._retry(self.tx_core, action, attempts)

    def _retry(
        self,
        begin: Callable[[], AbstractContextManager[Any]],
        action: Callable[[Any], T],
        attempts: int,
    ) -> T:
        from mss_desk.store.safety import StorageRetry

        for attempt in range(1, max(1, attempts) + 1):
            try:
                with begin() as conn:
                    return action(conn)
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
        with _storage_errors(), self._reader.connect() as conn:
            rows = list(conn.execute(stmt, params or {}).all())
            conn.rollback()
        return rows

    # --- who acts --------------------------------------------------------------------------

    def require_active_clerk(
        self, clerk_id: int | None, session: Session | sa.Connection | None = None
    ) -> None:
        """Item 11 (issue 15): the services refuse every action of a disabled clerk.

        A login is refused for a disabled account, but a desk already signed in (or a CLI
        naming the clerk) kept acting: every clerk-acting write calls this first, so
        disabling a clerk stops them at once, on every desk. ``session`` checks inside the
        caller's transaction; without it the check is a read of its own (no write lock).
        ``None`` is the machine's owner (the CLI, first-run setup, closing the day).
        """
        if clerk_id is None:
            return
        table = Clerk.__table__  # type: ignore[attr-defined]
        # a clerk of another Department is no clerk of this desk (issue 15, item 2)
        stmt = sa.select(table.c.active).where(
            table.c.id == clerk_id, self.in_department(table.c.department_code)
        )
        if session is None:
            rows = self.read(stmt)
        else:
            rows = list(session.execute(stmt).all())
        if not rows:
            raise NotFound("clerk", key="clerks.not_found")
        if not rows[0][0]:
            raise AuthError("disabled", key="clerks.disabled")

    # --- the Department this desk serves -------------------------------------------------
    #
    # Issue 15, item 2: one database (PostgreSQL) may hold several Departments; each desk
    # serves its own (``Services(..., department=N)``, from the desk's settings). Every read
    # a service makes is kept inside it by the helpers below, and nowhere else: a row of
    # another Department is "not found". The regional desk (issue 14, Department code 0,
    # which reads every Department) widens the reads here, in one place: ``in_department``,
    # ``department_clause``/``department_params`` and ``owns``. Writes always carry the
    # desk's own ``department_code()``.

    def department_code(self, session: Session | None = None) -> int:
        """The desk's own Department: the one its writes and numbers belong to."""
        return self.hub.department_code()

    def in_department(self, column: Any) -> Any:
        """The WHERE clause of an ORM or Core read: ``column`` is a ``department_code``.

        On the regional desk (code 0) a read of a table in :data:`REGION_READS` (the files
        it received) spans every Department; its accounts and the rest stay its own."""
        if self._region_reads(_table_name(column)):
            return column.is_not(None)
        return column == self.department_code()

    def department_params(self) -> dict[str, Any]:
        """The values of :func:`department_clause` in a statement built once and cached."""
        return {"dept": self.department_code()}

    def owns(self, department_code: int | None, table: str = "") -> bool:
        """A row loaded by its id (``session.get``) is this desk's to read or change.

        ``table``: the row's table, for a read only; the regional desk reads every
        Department's row of a table in :data:`REGION_READS`."""
        if department_code is not None and self._region_reads(table):
            return True
        return department_code is not None and department_code == self.department_code()

    def _region_reads(self, table: str) -> bool:
        """Issue 14.2: the regional desk reads every Department's files (one place)."""
        return table in REGION_READS and self.department_code() == REGION_CODE

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


def _table_name(column: Any) -> str:
    """The table of a column (an ORM attribute or a Core column; "" if it has none)."""
    clause = getattr(column, "__clause_element__", None)
    element = clause() if callable(clause) else column
    table = getattr(element, "table", None)
    return str(getattr(table, "name", "") or "")


def read_engine(engine: sa.Engine) -> sa.Engine:
    """``engine`` whose transactions are read ones (:meth:`ServiceBase.read`, ``read_session``).

    SQLite: the ``READ_ONLY`` execution option (``store.engine`` then begins with a plain
    ``BEGIN``, no write lock). PostgreSQL: ``postgresql_readonly`` as well (the driver
    begins ``BEGIN READ ONLY``: a flag on the connection, no extra round trip).
    """
    from mss_desk.store.engine import READ_ONLY

    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return engine.execution_options(**options)


@contextmanager
def _storage_errors() -> Iterator[None]:
    """A database failure in the block becomes :func:`_not_saved`'s ``StorageError``."""
    try:
        yield
    except (sa.exc.DBAPIError, sqlite3.Error) as exc:
        raise _not_saved(exc) from exc


def _not_saved(exc: sa.exc.DBAPIError | sqlite3.Error) -> StorageError:
    """Disk full / I/O error / lock past the busy timeout: "not saved" with the reason."""
    from mss_desk.store.safety import storage_error

    # never the driver's text: it can quote the row (an IIN in a unique-key message)
    return storage_error(exc) or StorageError("not saved", key="error.not_saved")


def department_clause(column: Any) -> Any:
    """The Department filter of a statement built once (bound with ``department_params``).

    The one form the cached SELECTs (case search, dashboard) use, beside
    :meth:`ServiceBase.in_department`, so both are widened together (issue 14).
    """
    return column == sa.bindparam("dept", type_=sa.Integer)


def resolve_department(session: Session, wanted: int | None) -> Department:
    """The Department a desk serves (issue 15, item 2).

    ``wanted`` is the desk's own setting (``department`` in config.toml,
    ``MSS_DESK_DEPARTMENT``, ``--department``): that Department, which the database must
    hold. Without it, the database's only Department (a one-office SQLite desk needs no
    setting); a database with several refuses to guess (``DepartmentNotChosen``): a desk
    that guessed served another office's files. ``init`` never decides for a desk.
    """
    if wanted is not None:
        dept = session.get(Department, wanted)
        if dept is None:
            raise NotFound(
                "department not initialised", key="setup.department_missing", code=wanted
            )
        return dept
    found = list(session.exec(select(Department).order_by(col(Department.code)).limit(20)))
    if not found:
        raise NotFound("department not initialised", key="setup.no_department")
    if len(found) > 1 and found[0].code == 0:
        # Issue 14: the regional desk's database (``init --regional``, code 0) holds the
        # rows of the Departments whose files reached it; a desk naming none there is the
        # regional desk. Its logins are the region's staff only (login checks the clerk's
        # Department), so a Department desk that forgot its setting opens for nobody.
        return found[0]
    if len(found) > 1:
        codes = ", ".join(str(d.code) for d in found)
        raise DepartmentNotChosen("several departments", codes=codes)
    return found[0]


def next_number(
    session: Session | sa.Connection, department_code: int, scope: str, key: str
) -> int:
    """The next number of a gap-free series, taken inside the caller's transaction.

    UPDATE … RETURNING takes the row's write lock (PostgreSQL) inside the transaction that
    already holds SQLite's write lock (BEGIN IMMEDIATE): concurrent writers queue, and a
    rollback gives the number back. A missing row is created with INSERT … ON CONFLICT DO
    NOTHING, so two first writers cannot both create it. ``session`` may be an ORM session
    or a Core connection (:meth:`ServiceBase.tx_core`).
    """
    params = {"b_dept": department_code, "b_scope": scope, "b_key": key}
    bump = _counter_bump()
    value = session.execute(bump, params).scalar_one_or_none()
    if value is None:
        bind = session if isinstance(session, sa.Connection) else session.get_bind()
        table = Counter.__table__  # type: ignore[attr-defined]
        row = {"department_code": department_code, "scope": scope, "key": key, "value": 0}
        if bind.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            session.execute(pg_insert(table).values(**row).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            session.execute(sqlite_insert(table).values(**row).on_conflict_do_nothing())
        value = session.execute(bump, params).scalar_one()
    return int(value)


@cache
def _counter_bump() -> Any:
    """UPDATE counters SET value = value + 1 WHERE … RETURNING value, built once."""
    table = Counter.__table__  # type: ignore[attr-defined]
    where = sa.and_(
        table.c.department_code == sa.bindparam("b_dept"),
        table.c.scope == sa.bindparam("b_scope"),
        table.c.key == sa.bindparam("b_key"),
    )
    return sa.update(table).where(where).values(value=table.c.value + 1).returning(table.c.value)


# The Kazakh Cyrillic alphabet in its dictionary order (Russian letters included): code
# point order would put Ә after Я and С before Ә.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {ch: i for i, ch in enumerate(KAZAKH_ALPHABET)}


def kazakh_sort_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for names: Kazakh alphabet order, case-insensitive; other letters after."""
    return tuple((0, _RANK[ch]) if ch in _RANK else (1, ch) for ch in text.casefold())


def eligibility_answers(case: Any) -> dict[str, Any]:
    """The item-6 answers a case was accepted on, as ``IntakeForm``/``CaseDetail`` fields."""
    return {
        "disabled": case.disabled,
        "disability_group": case.disability_group,
        "psychoneuro": case.psychoneuro,
        "wwii": case.wwii,
        "needs_care": case.needs_care,
        "relatives": case.relatives,
        "relatives_reason": case.relatives_reason,
        "declared_incapable": case.declared_incapable,
    }
