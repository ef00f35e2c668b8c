"""What a command is handed: the arguments, the settings and the desk's pieces, built lazily.

The heavy pieces (SQLAlchemy engine, services, catalog, clock) are built on first use, so a
command that needs none of them (``iin``) never imports the ORM. Output goes through
:meth:`Context.emit`: one JSON value with ``--json``, else the human text.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mss_desk.cli.errors import EXIT_OK, json_text, screen_text
from mss_desk.config import Settings
from mss_desk.errors import ValidationError
from mss_desk.i18n import t

if TYPE_CHECKING:  # argparse is not imported by the desk started with no command
    import argparse


@dataclass
class Context:
    """What a command needs; the heavy parts are built on first use."""

    args: argparse.Namespace
    settings: Settings
    lang: str
    json: bool
    json_lang: str = "en"  # words inside JSON (reasons, errors): English unless --lang is given
    out: IO[str] = field(default_factory=lambda: sys.stdout)
    _catalog: Any = None
    _services: Any = None
    _engine: Any = None
    _clock: Any = None

    # -- pieces
    def clock(self) -> Any:
        if self._clock is None:
            from mss_desk.cli.values import check_date_range
            from mss_desk.clock import clock_from_env

            try:
                clock = clock_from_env(self.settings.timezone)
            except ValueError:
                raise ValidationError(
                    key="cli.bad_now", value=os.environ.get("MSS_DESK_NOW", "")
                ) from None
            # item 13: a training day such as 9999-12-31 overflowed every deadline
            check_date_range(self.local(clock.now()).date(), "MSS_DESK_NOW")
            self._clock = clock
        return self._clock

    def today(self) -> date:
        return self.local(self.clock().now()).date()

    def local(self, dt: datetime) -> datetime:
        return dt.astimezone(self.settings.tzinfo())

    def catalog(self) -> Any:
        if self._catalog is None:
            from mss_desk.catalog import load_catalog

            self._catalog = load_catalog()
        return self._catalog

    def db_url(self) -> str:
        """The database URL, refused with its own words when the desk cannot use it."""
        from mss_desk.store.engine import resolve_url

        url = resolve_url(self.settings.database)
        check_db_url(url)
        return url

    def engine(self, *, create: bool = False, read_only: bool = False) -> Any:
        """The migrated store; only ``init`` and ``demo`` may create a missing SQLite file.

        ``read_only``: a command that only reads never creates or migrates a schema
        (issue 15, item 5): "no desk here: run init" / "needs an upgrade" instead. A
        missing file with backups beside it is a damaged desk, named with its backup.
        """
        if self._engine is None:
            from mss_desk.store.engine import open_store
            from mss_desk.store.safety import preflight

            url = self.db_url()
            path = sqlite_path(url)
            if path is not None and _is_system_path(Path(path)):
                raise ValidationError(key="cli.db_system_path", path=path)
            if path is not None and not create and _missing(path):
                preflight(url)  # backups beside it: "damaged, restore …", not "run init"
                raise ValidationError(key="cli.no_database", path=path)
            if path is not None:
                check_db_file(path, create=create)
            engine = open_store(url, read_only=read_only and not create)
            try:
                check_audit_table(engine, path or safe_url(url))
            except BaseException:
                engine.dispose()
                raise
            self._engine = engine
        return self._engine

    def services(self, *, create: bool = False, read_only: bool = False) -> Any:
        if self._services is None:
            from mss_desk.services import Services

            engine = self.engine(create=create, read_only=read_only)
            # the desk's own Department (issue 15, item 2): --department, MSS_DESK_DEPARTMENT
            # or the config file; none: the database's only Department
            self._services = Services(
                engine, self.clock(), self.catalog(), department=self.settings.department
            )
        return self._services

    def close(self) -> None:
        if self._engine is not None:
            try:
                self._engine.dispose()
            except Exception:  # noqa: BLE001 - closing must never hide the real result
                pass

    # -- output
    def t(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def emit(self, data: Any, human: str | Callable[[], str]) -> int:
        """The one way a command prints its result; control characters are shown, not sent."""
        if self.json:
            self.out.write(json_text(data) + "\n")
        else:
            text = human() if callable(human) else human
            if text:
                self.out.write(screen_text(text.rstrip("\n"), multiline=True) + "\n")
        return EXIT_OK


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    db = parsed.database or ""
    if not db or db == ":memory:" or "mode=memory" in url:
        return None
    return db


def safe_url(url: str) -> str:
    """A URL without its password (never print credentials)."""
    if "://" in url and "@" in url:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    return url


# --------------------------------------------------------------------------- database checks
# Issue 15 item 13: a mysql:// URL, a path under /proc, a directory, a file that is no SQLite
# database and a sound database in a read-only folder were "internal error" or "the database
# is damaged". Each is told apart here, before the store opens anything, with its own words.

SUPPORTED_DRIVERS = {"sqlite": (None, "pysqlite"), "postgresql": (None, "psycopg")}
SYSTEM_DIRS = (Path("/proc"), Path("/sys"), Path("/dev"))  # kernel views and devices
MEMORY_DIRS = (Path("/dev/shm"),)  # a plain tmpfs under /dev: files there are real files


def hide_password(url: str) -> str:
    """The URL with its password replaced by ``***`` (stdlib: also for URLs SQLAlchemy
    cannot parse)."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def check_db_scheme(url: str) -> None:
    """Only SQLite files and PostgreSQL URLs (with the psycopg driver) are supported.

    Stdlib only: ``run`` checks its ``--db`` with it before the desk's screens start.
    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    backend, _, driver = scheme.partition("+")
    if backend not in SUPPORTED_DRIVERS or (driver or None) not in SUPPORTED_DRIVERS[backend]:
        raise ValidationError(key="cli.db_unsupported", url=hide_password(url))


def check_db_url(url: str) -> None:
    """A URL the store can open: a supported scheme that SQLAlchemy can parse."""
    check_db_scheme(url)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError):
        raise ValidationError(key="cli.db_bad_url", url=hide_password(url)) from None


def _is_system_path(path: Path) -> bool:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        real = path.absolute()
    if any(d in real.parents for d in MEMORY_DIRS):
        return False
    return any(real == d or d in real.parents for d in SYSTEM_DIRS)


def check_db_file(name: str, *, create: bool) -> None:
    """What is at the SQLite path, before the store opens it: nothing (``init``/``demo``
    create it, others refuse), a database file, or something that is no database
    (``store.sqlite_file.check_database_file``: the desk at start says the same words)."""
    from mss_desk.store.sqlite_file import check_database_file

    path = Path(name)
    if _is_system_path(path):
        raise ValidationError(key="cli.db_system_path", path=name)
    if check_database_file(path) == "missing" and not create:
        raise ValidationError(key="cli.no_database", path=name)


def _missing(path: str) -> bool:
    """No file at ``path`` — and not merely out of reach: a folder this user may not enter
    (issue 15, item 10: the desk's own 0700 folder) is "cannot be read", never "no
    database" (``os.path.exists`` says False for both)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # check_db_file names it
    return False


def check_audit_table(engine: Any, where: str) -> None:
    """A desk database without its audit trail is refused by name, not "internal error"."""
    import sqlalchemy as sa

    from mss_desk.store.engine import READ_ONLY
    from mss_desk.store.models import AuditEvent

    table = str(AuditEvent.__tablename__)
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        present = sa.inspect(conn).has_table(table)
    if not present:
        raise ValidationError(key="cli.db_no_audit", db=where, table=table)
