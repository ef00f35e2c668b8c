"""What a command is handed: the arguments, the settings and the desk's pieces, built lazily.

The heavy pieces (SQLAlchemy engine, services, catalog, clock) are built on first use, so a
command that needs none of them (``iin``) never imports the ORM. Output goes through
:meth:`Context.emit`: one JSON value with ``--json``, else the human text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from mss_desk.cli.errors import EXIT_OK
from mss_desk.config import Settings
from mss_desk.errors import ValidationError
from mss_desk.i18n import t


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
            from mss_desk.clock import clock_from_env

            try:
                self._clock = clock_from_env(self.settings.timezone)
            except ValueError:
                raise ValidationError(
                    key="cli.bad_now", value=os.environ.get("MSS_DESK_NOW", "")
                ) from None
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
        from mss_desk.store.engine import resolve_url

        return resolve_url(self.settings.database)

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
            if not create and path is not None and not os.path.exists(path):
                preflight(url)  # backups beside it: "damaged, restore …", not "run init"
                raise ValidationError(key="cli.no_database", path=path)
            self._engine = open_store(url, read_only=read_only and not create)
        return self._engine

    def services(self, *, create: bool = False, read_only: bool = False) -> Any:
        if self._services is None:
            from mss_desk.services import Services

            engine = self.engine(create=create, read_only=read_only)
            self._services = Services(engine, self.clock(), self.catalog())
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
        if self.json:
            self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            text = human() if callable(human) else human
            if text:
                self.out.write(text.rstrip("\n") + "\n")
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
