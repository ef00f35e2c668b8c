"""Eight processes issue tickets into one SQLite file at once: no duplicate, no gap, no
error (the BEGIN IMMEDIATE + counter-row recipe of DESIGN's known traps)."""

from __future__ import annotations

import importlib.util
import multiprocessing as mp
import py_compile
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_dt
from tests.services.queue_worker import issue_tickets

PROCESSES = 8
PER_PROCESS = 20
# loaded by the test runner or other tests, never by a worker: not worth compiling
NOT_FOR_WORKERS = {
    "_pytest",
    "pytest",
    "pluggy",
    "textual",
    "rich",
    "pygments",
    "reportlab",
    "PIL",
    "hypothesis",
    "syrupy",
    "pytest_textual_snapshot",
    "screens",
    "widgets",
    "alembic",
    "mako",
}


def _share_bytecode(prefix: Path) -> None:
    """Compile the modules this process has loaded into ``prefix`` for the children.

    Spawned children start a fresh interpreter and import SQLAlchemy, SQLModel, pydantic
    and holidays again; where bytecode is not written (PYTHONDONTWRITEBYTECODE, a read-only
    venv) each child compiles them from source, seconds of CPU apiece. Compiled once here,
    the children read it through PYTHONPYCACHEPREFIX (reading works even with -B). With a
    prefix set, Python looks for *every* module's bytecode there, the standard library's
    too, so everything loaded is compiled, not only the site packages.
    """
    old = sys.pycache_prefix
    sys.pycache_prefix = str(prefix)
    try:
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] in NOT_FOR_WORKERS:
                continue
            source = getattr(module, "__file__", None)
            if not source or not source.endswith(".py"):
                continue
            try:
                target = importlib.util.cache_from_source(source)
                py_compile.compile(source, cfile=target, doraise=True)
            except (OSError, py_compile.PyCompileError, ValueError):
                continue
    finally:
        sys.pycache_prefix = old


@pytest.mark.slow
def test_eight_processes_issue_gap_free_numbers(
    sqlite_url: str, catalog: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    at = local_dt("2026-03-02 10:00")
    engine = open_store(sqlite_url)
    setup = Services(engine, FixedClock(at), catalog)
    setup.setup.init_department(19)
    setup.calendar.office_status(at)  # load what the workers will load
    setup.queue.day()
    engine.dispose()
    _share_bytecode(tmp_path / "pycache")
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path / "pycache"))

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
    results = [out.get(timeout=120) for _ in procs]
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
