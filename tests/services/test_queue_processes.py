"""Eight processes issue tickets into one SQLite file at once: no duplicate, no gap, no
error (the BEGIN IMMEDIATE + counter-row recipe of DESIGN's known traps)."""

from __future__ import annotations

import multiprocessing as mp
from typing import Any

import pytest

from tests.conftest import local_dt
from tests.services.queue_worker import issue_tickets

PROCESSES = 8
PER_PROCESS = 20


@pytest.mark.slow
def test_eight_processes_issue_gap_free_numbers(sqlite_url: str, catalog: Any) -> None:
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    at = local_dt("2026-03-02 10:00")
    engine = open_store(sqlite_url)
    Services(engine, FixedClock(at), catalog).setup.init_department(19)
    engine.dispose()

    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    out = ctx.Queue()
    procs = [
        ctx.Process(
            target=issue_tickets, args=(sqlite_url, at.isoformat(), PER_PROCESS, barrier, out)
        )
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0

    errors = [e for _, errs in results for e in errs]
    assert errors == []
    issued: dict[str, list[int]] = {"submit": [], "collect": []}
    for got, _ in results:
        for purpose, seq in got:
            issued[purpose].append(seq)
    half = PROCESSES * PER_PROCESS // 2
    assert sorted(issued["submit"]) == list(range(1, half + 1))
    assert sorted(issued["collect"]) == list(range(1, half + 1))

    engine = open_store(sqlite_url)
    try:
        tickets = Services(engine, FixedClock(at), catalog).queue.day()
    finally:
        engine.dispose()
    numbers = [t.number for t in tickets if t.purpose != "consult"]  # consult: the warm-up
    assert len(numbers) == len(set(numbers)) == PROCESSES * PER_PROCESS
    assert sorted(t.seq for t in tickets if t.purpose == "consult") == list(range(1, PROCESSES + 1))
