"""Shared fixtures: a frozen clock, the reference catalog, and a fresh database per test.

- ``clock``: a :class:`FixedClock` at Monday 2 March 2026, 10:00 Asia/Almaty (office open).
- ``catalog``: ``mss_desk.catalog.load_catalog()`` (the repository's data/).
- ``db_url``: a fresh, migrated-on-open database URL, parametrized over SQLite (a file in
  ``tmp_path``) and PostgreSQL (a unique schema per test; skipped unless
  ``MSS_DESK_TEST_POSTGRES`` is set). Use ``sqlite_url`` when a test is SQLite-only.
- ``engine``: ``open_store(db_url)`` (migrated), disposed afterwards.
- ``services``: ``Services(engine, clock, catalog)`` with Department ``DEPT`` initialised.
- ``clerk``: a clerk of that Department (``ClerkView``), password ``CLERK_PASSWORD``.
- ``ELDERLY_DOCS`` / ``ELDERLY_ALWAYS_DOCS``: the elderly applicant's documents, for import.

The slow KDF is made cheap for tests (autouse); ``tests/services/test_clerks.py`` checks the
production cost separately.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mss_desk.clock import FixedClock

ALMATY = ZoneInfo("Asia/Almaty")
DEPT = 19  # Kokshetau city (Annex 1)
CLERK_PASSWORD = "correct horse 7"
PG_ENV = "MSS_DESK_TEST_POSTGRES"

# The elderly applicant's documents (general institution), in the standard's order: the
# seven every applicant brings (item 12.1), then the pension certificate (item 12: a person
# of pension age). One list for every test that hands them in.
ELDERLY_ALWAYS_DOCS = (
    "application",
    "authority_referral",
    "identity_card",
    "taxpayer_certificate",
    "social_code_certificate",
    "medical_card",
    "outpatient_extract",
)
ELDERLY_DOCS = (*ELDERLY_ALWAYS_DOCS, "pension_certificate")


def local_dt(text: str) -> datetime:
    """``"2026-03-02 10:00"`` in Asia/Almaty, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's data/config dirs and MSS_DESK_* settings out of every test."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MSS_DESK_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("MSS_DESK_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("MSS_DESK_DATABASE", raising=False)
    monkeypatch.delenv("MSS_DESK_NOW", raising=False)
    monkeypatch.delenv("MSS_DESK_DEPARTMENT", raising=False)


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Password hashing at production cost takes ~0.1 s; tests use a tiny cost."""
    try:
        from mss_desk.services import clerks
    except ImportError:  # pragma: no cover - before the services exist
        return
    monkeypatch.setattr(clerks, "SCRYPT_N", 2**8)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local_dt("2026-03-02 10:00"))


@pytest.fixture(scope="session")
def catalog() -> Any:
    mod = pytest.importorskip("mss_desk.catalog")
    return mod.load_catalog()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'desk.sqlite3'}"


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _pg_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Any]:
    from mss_desk.store.engine import open_store

    eng = open_store(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def services(engine: Any, clock: FixedClock, catalog: Any) -> Any:
    from mss_desk.services import Services

    svc = Services(engine, clock, catalog)
    svc.setup.init_department(DEPT)
    return svc


def other_desk(services: Any, code: int, tz: str = "Asia/Almaty") -> Any:
    """A second desk on the same database, serving Department ``code`` (added to it).

    Issue 15, item 2: a desk's Department is its own setting; ``init`` of another
    Department switches nobody, so a test that needs two Departments needs two desks.
    """
    from mss_desk.services import Services

    desk = Services(services.engine, services.clock, services.catalog, department=code)
    desk.setup.init_department(code, tz=tz)
    return desk


@pytest.fixture
def clerk(services: Any) -> Any:
    return services.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD, "clerk")
