"""The queue under load: eight clerk processes issue 300 tickets each into one SQLite file
(WAL, BEGIN IMMEDIATE, the counter row), through ``services.queue.issue`` as the desk does.

Targets: 0 duplicate numbers, 0 gaps, 0 errors shown, p99 of one issue ≤ 100 ms, ≥ 500
tickets a second overall. The same issue call from one process alone is measured first
in the same run (the uncontended baseline), and the contended p99 is shown against it.
The longest single wait is shown too (SQLite's own busy handler let some writers wait
over a second while others went again and again; see ``store.engine._begin_immediate``),
and the load average before and after: the machine is shared, the figures move with it.

    uv run python benchmarks/bench_queue.py [--processes 8] [--tickets 300] [--rounds 1]

With ``--rounds N`` the baseline and the contended run are measured N times, in turns,
and the targets are judged on the medians (duplicates, gaps and errors: on every round).
Prints PASS/FAIL per target; exit 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.figures import p99  # noqa: E402
from benchmarks.gen_cases import remove_database  # noqa: E402

P99_MS = 100.0
PER_S = 500.0
AT = "2026-03-02T10:00:00+05:00"  # a Monday, office open (item 10)


def worker(url: str, count: int, barrier: Any, out: Any) -> None:
    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import make_engine

    engine = make_engine(url)
    services = Services(engine, FixedClock(datetime.fromisoformat(AT)), load_catalog())
    services.queue.issue("consult")  # warm up (imports, calendar, compiled SQL): not counted
    got: list[tuple[str, int]] = []
    times: list[float] = []
    errors: list[str] = []
    barrier.wait()
    start = time.perf_counter()
    for i in range(count):
        purpose = ("submit", "collect")[i % 2]
        t0 = time.perf_counter()
        try:
            ticket = services.queue.issue(purpose)
            got.append((ticket.purpose, ticket.seq))
        except Exception as exc:  # counted and shown by the parent
            errors.append(type(exc).__name__)
        times.append((time.perf_counter() - t0) * 1000)
    end = time.perf_counter()
    engine.dispose()
    out.put((got, times, errors, start, end))


def run(url: str, processes: int, tickets: int) -> tuple[list[Any], float]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(url, tickets, barrier, out)) for _ in range(processes)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    wall = max(r[4] for r in results) - min(r[3] for r in results)
    return results, wall


def check(path: Path, results: list[Any]) -> tuple[int, int, int]:
    """Duplicates and gaps, in what the workers got and in the file itself."""
    got = [g for r in results for g in r[0]]
    dups = len(got) - len(set(got))
    gaps = 0
    conn = sqlite3.connect(path)
    for purpose in ("submit", "collect"):
        seqs = [
            s
            for (s,) in conn.execute(
                "SELECT seq FROM queue_tickets WHERE purpose = ? ORDER BY seq", (purpose,)
            )
        ]
        dups += len(seqs) - len(set(seqs))
        gaps += (max(seqs) - len(set(seqs))) if seqs else 0
    conn.close()
    errors = sum(len(r[2]) for r in results)
    return dups, gaps, errors


def measure(
    name: str, processes: int, tickets: int, label: str
) -> tuple[float, float, tuple[int, int, int]]:
    """One run into a fresh file: (p99 ms, tickets/s, (duplicates, gaps, errors))."""
    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store, sqlite_pragmas

    path = Path(name) / f"queue-{processes}.sqlite3"
    remove_database(path)
    url = f"sqlite:///{path}"
    engine = open_store(url)
    Services(engine, FixedClock(datetime.fromisoformat(AT)), load_catalog()).setup.init_department(
        19
    )
    pragmas = sqlite_pragmas(engine)
    engine.dispose()
    results, wall = run(url, processes, tickets)
    times = [t for r in results for t in r[1]]
    counts = check(path, results)
    n = sum(len(r[0]) for r in results)
    rate = n / wall
    print(
        f"{label}: {n} tickets in {wall:.2f} s = {rate:.0f}/s; one issue median "
        f"{statistics.median(times):.1f} ms, p99 {p99(times):.1f} ms, longest "
        f"{max(times):.0f} ms (journal {pragmas['journal_mode']}, synchronous "
        f"{pragmas['synchronous']})"
    )
    return p99(times), rate, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)

    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    base_p99s: list[float] = []
    p99s: list[float] = []
    rates: list[float] = []
    bad: list[tuple[int, int, int]] = []
    with tempfile.TemporaryDirectory(prefix="mss-bench-queue-") as name:
        for _ in range(max(1, args.rounds)):
            base_p99, _rate, _counts = measure(name, 1, args.tickets, "one process (baseline)")
            base_p99s.append(base_p99)
            got_p99, rate, counts = measure(
                name, args.processes, args.tickets, f"{args.processes} processes"
            )
            p99s.append(got_p99)
            rates.append(rate)
            if counts != (0, 0, 0):
                bad.append(counts)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    dups, gaps, errors = (sum(c[i] for c in bad) for i in range(3))
    base_p99 = statistics.median(base_p99s)
    got_p99 = statistics.median(p99s)
    rate = statistics.median(rates)
    of = f"median of {len(rates)} rounds, " if len(rates) > 1 else ""
    lines = [
        f"{'PASS' if not bad else 'FAIL'}  duplicates {dups}, gaps {gaps}, "
        f"errors {errors} (target 0, 0, 0)",
        f"{'PASS' if got_p99 <= P99_MS else 'FAIL'}  p99 of one issue: {got_p99:.1f} ms "
        f"({of}target ≤ {P99_MS:g} ms; {got_p99 / base_p99:.1f}× one process alone)",
        f"{'PASS' if rate >= PER_S else 'FAIL'}  throughput: {rate:.0f} tickets/s "
        f"({of}target ≥ {PER_S:g}/s)",
    ]
    for line in lines:
        print(line)
    return 0 if all(line.startswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
