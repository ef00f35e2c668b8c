"""The database at a region's scale, through the services the screens call.

Fills a file with ``gen_cases.py`` (default 1,000,000 cases; ``--db FILE`` reuses one it
made before), then times, on that file and through ``Services`` (ORM, sessions, one
transaction per call, exactly as a screen does):

- lookup by IIN and by case number (``cases.find``): p99 ≤ 1 ms;
- surname prefix search, Kazakh and Russian, any letter case: p99 ≤ 5 ms;
- the overdue dashboard (``lifecycle.dashboard``): p99 ≤ 5 ms;
- the ORM against raw ``sqlite3`` running the same SQL on the same file (the baseline,
  measured in this run): ≤ 10× for a point lookup, ≤ 5× for a 50-row list;
- Әли, әли and ӘЛИ find the same people (SQLite's NOCASE folds ASCII only).

    uv run python benchmarks/bench_db.py [--cases 1000000] [--db FILE] [--rounds 400]

Quick run while developing: ``--cases 100000``. Prints PASS/FAIL per target; exit 1 if any
target fails.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import gen_cases  # noqa: E402
from benchmarks.figures import p99, verdict  # noqa: E402

SCREEN_ROWS = 50  # what the cases screen asks for (screens/cases.py SCREEN_LIMIT)
LOOKUP_P99_MS = 1.0
SEARCH_P99_MS = 5.0
DASHBOARD_P99_MS = 5.0
POINT_RATIO = 10.0
LIST_RATIO = 5.0

# The same columns and joins the case service reads for a list row (CaseRow).
RAW_COLUMNS = (
    "cases.id, cases.case_no, cases.status, applicants.iin, cases.applicant_surname, "
    "cases.applicant_name, cases.applicant_patronymic, cases.institution, cases.priority, "
    "cases.submitted_at, cases.accepted_at, cases.service_due, cases.binding_due"
)
RAW_POINT = (
    f"SELECT {RAW_COLUMNS} FROM cases JOIN applicants ON cases.applicant_id = applicants.id "
    "WHERE cases.department_code = ? AND cases.case_no = ? "
    "ORDER BY cases.submitted_at DESC, cases.id DESC LIMIT 200"
)
RAW_LIST = (
    f"SELECT {RAW_COLUMNS} FROM cases JOIN applicants ON cases.applicant_id = applicants.id "
    "WHERE cases.department_code = ? ORDER BY cases.submitted_at DESC, cases.id DESC LIMIT ?"
)


@dataclass(frozen=True)
class Timings:
    wall: list[float]  # milliseconds per call: what the clerk waits
    cpu: list[float]  # the same calls' CPU milliseconds (the work, without scheduling delays)
    collections: list[tuple[int, float]]  # garbage collections in the timed calls: (gen, ms)


def timings_ms(fn: Callable[[Any], Any], args: list[Any], warm: int = 20) -> Timings:
    """Wall and CPU milliseconds per call, and the garbage collections that ran during the
    timed calls (the collector stays on, as in the desk: a full collection inside a call is
    part of what the clerk waits)."""
    for a in args[:warm]:
        fn(a)
    out: list[float] = []
    cpu: list[float] = []
    collections: list[tuple[int, float]] = []
    started: list[int] = [0]

    def watch(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter_ns()
        else:
            collections.append((info["generation"], (time.perf_counter_ns() - started[0]) / 1e6))

    gc.collect()
    gc.callbacks.append(watch)
    try:
        for a in args:
            c0 = time.thread_time_ns()
            t0 = time.perf_counter_ns()
            fn(a)
            out.append((time.perf_counter_ns() - t0) / 1e6)
            cpu.append((time.thread_time_ns() - c0) / 1e6)
    finally:
        gc.callbacks.remove(watch)
    return Timings(out, cpu, collections)


def gc_note(timings: Timings) -> str:
    """How many collections of each generation ran in the timed calls, and the longest."""
    got = timings.collections
    counts = [sum(1 for g, _ in got if g == gen) for gen in (0, 1, 2)]
    longest = max((ms for _, ms in got), default=0.0)
    return f"GC in the timed calls: gen0 {counts[0]}, gen1 {counts[1]}, gen2 {counts[2]}" + (
        f" (longest {longest:.2f} ms)" if got else ""
    )


def line(name: str, measured: float, target: float, unit: str, extra: str = "") -> bool:
    print(verdict(name, measured, target, unit) + extra)
    return measured <= target


def sample_inputs(path: Path, desk: int, rounds: int, seed: int) -> dict[str, list[Any]]:
    """IINs, case numbers and surname prefixes of the desk's own cases, picked at random."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT applicants.iin, cases.case_no, applicants.surname FROM cases "
        "JOIN applicants ON applicants.id = cases.applicant_id "
        "WHERE cases.department_code = ? AND cases.case_no IS NOT NULL",
        (desk,),
    ).fetchall()
    conn.close()
    picked = [rows[int(rnd.random() * len(rows))] for _ in range(rounds)]
    prefixes = []
    for _iin, _no, surname in picked:
        # what a clerk types: 2 letters to the whole surname, in any letter case
        cut = 2 + int(rnd.random() * (len(surname) - 1))
        p = surname[:cut]
        prefixes.append(rnd.choice((p, p.lower(), p.upper())))
    return {
        "iin": [r[0] for r in picked],
        "case_no": [r[1] for r in picked],
        "prefix": prefixes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="reuse (or create) this file")
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="mss-bench-db-")
        path = Path(tmp.name) / "region.sqlite3"
    else:
        path = args.db
    results: list[bool] = []
    load_before = os.getloadavg()
    if not path.exists():
        stats = gen_cases.generate(path, args.cases, now=gen_cases.now_from_env())
        gen_cases.report(stats)
        results.append(stats["rows_per_s"] >= gen_cases.ROWS_PER_S)
    else:
        print(f"reusing {path}")

    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    engine = open_store(str(path))
    # the file holds the region's Departments: the desk names its own (issue 15, item 2)
    desk = gen_cases.DESK
    services = Services(engine, FixedClock(gen_cases.now_from_env()), load_catalog(), desk)
    n = sqlite3.connect(path).execute("SELECT count(*) FROM cases").fetchone()[0]
    print(f"{n:,} cases in the file; the desk is Department {desk}")
    inputs = sample_inputs(path, desk, args.rounds, args.seed)

    # --- correctness first: Kazakh letter case -------------------------------------------
    sets = [
        frozenset(r.id for r in services.cases.find(q, limit=10_000)) for q in ("Әли", "әли", "ӘЛИ")
    ]
    same = sets[0] == sets[1] == sets[2] and len(sets[0]) > 0
    print(
        f"{'PASS' if same else 'FAIL'}  Әли / әли / ӘЛИ find the same people "
        f"({len(sets[0])}, {len(sets[1])}, {len(sets[2])} cases)"
    )
    results.append(same)

    # --- latency through the services -------------------------------------------------
    find = services.cases.find
    t_iin = timings_ms(find, inputs["iin"])
    t_no = timings_ms(find, inputs["case_no"])
    # the search as the cases screen asks for it: one screen (screens/cases.py SCREEN_LIMIT)
    t_prefix = timings_ms(lambda q: find(q, limit=SCREEN_ROWS), inputs["prefix"])
    # as many samples as the other targets (was capped at 200: the p99 was the 3rd-slowest
    # call, and one run to the next swung with two or three calls)
    t_dash = timings_ms(lambda _: services.lifecycle.dashboard(), list(range(args.rounds)))
    for name, timings, target in (
        ("lookup by IIN, p99", t_iin, LOOKUP_P99_MS),
        ("lookup by case number, p99", t_no, LOOKUP_P99_MS),
        (f"surname prefix (kk/ru, any case, {SCREEN_ROWS} rows), p99", t_prefix, SEARCH_P99_MS),
        ("overdue dashboard, p99", t_dash, DASHBOARD_P99_MS),
    ):
        wall = timings.wall
        extra = f"  median {statistics.median(wall):.2f} ms, CPU p99 {p99(timings.cpu):.2f} ms"
        results.append(line(name, p99(wall), target, " ms", extra))
    # not a target: the service's default of 200 rows (scripts, exports)
    t_screen = timings_ms(find, inputs["prefix"]).wall
    print(
        f"      surname prefix with the service default (200 rows): p99 {p99(t_screen):.2f} ms, "
        f"median {statistics.median(t_screen):.2f} ms"
    )
    board = services.lifecycle.dashboard()
    print(
        f"      dashboard: {board.cases.total} cases with a running deadline, "
        f"{board.cases.overdue} overdue; {len(t_dash.wall)} calls; {gc_note(t_dash)}; "
        f"wall > CPU + 1 ms (the process waited for a core) in "
        f"{sum(1 for w, c in zip(t_dash.wall, t_dash.cpu, strict=True) if w > c + 1)} calls"
    )

    # --- ORM against raw sqlite3, same SQL shape, same file --------------------------------
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")

    def raw_point(no: str) -> list[Any]:
        return raw.execute(RAW_POINT, (desk, no)).fetchall()

    def raw_list(limit: int) -> list[Any]:
        return raw.execute(RAW_LIST, (desk, limit)).fetchall()

    nos = inputs["case_no"]
    fifty = [50] * min(args.rounds, 200)
    orm_point = statistics.median(timings_ms(find, nos).wall)
    raw_point_ms = statistics.median(timings_ms(raw_point, nos).wall)
    orm_list = statistics.median(timings_ms(lambda k: services.cases.list(limit=k), fifty).wall)
    raw_list_ms = statistics.median(timings_ms(raw_list, fifty).wall)
    results.append(
        line(
            "ORM / raw sqlite3, point lookup",
            orm_point / raw_point_ms,
            POINT_RATIO,
            "×",
            f"  ({orm_point:.3f} ms / {raw_point_ms:.3f} ms)",
        )
    )
    results.append(
        line(
            "ORM / raw sqlite3, 50-row list",
            orm_list / raw_list_ms,
            LIST_RATIO,
            "×",
            f"  ({orm_list:.3f} ms / {raw_list_ms:.3f} ms)",
        )
    )
    raw.close()
    engine.dispose()
    if tmp is not None:
        tmp.cleanup()
    after = os.getloadavg()
    print(
        f"load average {load_before[0]:.2f} before, {after[0]:.2f} after, on "
        f"{os.cpu_count()} cores (wall times are only as good as the machine is quiet)"
    )
    print("all targets met" if all(results) else "some targets FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
