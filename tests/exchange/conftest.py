"""Desks for the exchange tests: Department desks and the regional desk, each with its own
database and key folder, sharing one frozen clock and the catalog.

The regional desk's database follows ``db_url`` (SQLite and, with MSS_DESK_TEST_POSTGRES,
PostgreSQL); the Departments are SQLite files, as in a rural office.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLERK_PASSWORD, DEPT
from tests.lifecycle.conftest import CaseFactory

OTHER = 7  # a second Department (Annex 1)


@dataclass
class Desk:
    code: int
    services: Any
    exchange: Any
    folder: Path
    clerk: Any = None
    make: CaseFactory | None = None

    @property
    def region(self) -> Any:
        from mss_desk.exchange.region import RegionService

        return RegionService(self.services)


@pytest.fixture
def desk_factory(
    tmp_path: Path, clock: Any, catalog: Any
) -> Iterator[Callable[..., Desk]]:
    from mss_desk.exchange.service import ExchangeService
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    engines: list[Any] = []

    def make(code: int, url: str | None = None) -> Desk:
        url = url or f"sqlite:///{tmp_path / f'desk{code}' / 'desk.sqlite3'}"
        engine = open_store(url)
        engines.append(engine)
        services = Services(engine, clock, catalog)
        services.setup.init_department(code)
        folder = tmp_path / f"keys{code}"
        desk = Desk(code, services, ExchangeService(services, folder), folder)
        desk.exchange.make_keys()
        if code:
            desk.clerk = services.clerks.create(
                code, f"clerk{code}", "Сейітова", "Әйгерім", CLERK_PASSWORD, "clerk"
            )
            desk.make = CaseFactory(services)
        return desk

    yield make
    for engine in engines:
        engine.dispose()


def introduce(a: Desk, b: Desk) -> None:
    """Each desk trusts the other's public key (what ``exchange key add`` does)."""
    a.exchange.trust(b.code, b.exchange.keys().public.text)
    b.exchange.trust(a.code, a.exchange.keys().public.text)


@pytest.fixture
def region(desk_factory: Callable[..., Desk], db_url: str) -> Desk:
    return desk_factory(0, db_url)


@pytest.fixture
def dept(desk_factory: Callable[..., Desk], region: Desk) -> Desk:
    desk = desk_factory(DEPT)
    introduce(desk, region)
    return desk


def forwarded(desk: Desk, n: int = 1) -> list[str]:
    """``n`` accepted files of ``desk`` forwarded to the region (one batch)."""
    assert desk.make is not None
    case_nos = [str(desk.make.case("2026-03-02 09:00")) for _ in range(n)]
    desk.services.lifecycle.forward(case_nos, desk.clerk.id)
    return case_nos


def outbox_rows(desk: Desk) -> list[Any]:
    """The desk's outbox, in its numbering's order."""
    from sqlmodel import Session, col, select

    from mss_desk.store.models import ExchangeOutbox

    with Session(desk.services.engine) as s:
        return list(s.exec(select(ExchangeOutbox).order_by(col(ExchangeOutbox.seq))).all())


def case_row(desk: Desk, case_no: str) -> Any:
    """The desk's row of a case, as stored."""
    from sqlmodel import Session, select

    from mss_desk.store.models import Case

    with Session(desk.services.engine) as s:
        return s.exec(select(Case).where(Case.case_no == case_no)).one()


from tests.cli.conftest import Result, cli, proc  # noqa: E402,F401 - the CLI fixtures
