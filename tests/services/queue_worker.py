"""A worker process for the multiprocess queue test (importable under spawn)."""

from __future__ import annotations

from typing import Any


def issue_tickets(url: str, at_iso: str, count: int, barrier: Any, out: Any) -> None:
    from datetime import datetime

    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import make_engine

    engine = make_engine(url)
    services = Services(engine, FixedClock(datetime.fromisoformat(at_iso)), load_catalog())
    # warm up before the race (imports, holidays, compiled SQL) on a purpose not counted
    services.queue.issue("consult")
    got: list[tuple[str, int]] = []
    errors: list[str] = []
    barrier.wait()
    for i in range(count):
        purpose = ("submit", "collect")[i % 2]
        try:
            ticket = services.queue.issue(purpose)
            got.append((ticket.purpose, ticket.seq))
        except Exception as exc:  # reported to the parent, which fails the test
            errors.append(f"{type(exc).__name__}: {exc}")
    engine.dispose()
    out.put((got, errors))
