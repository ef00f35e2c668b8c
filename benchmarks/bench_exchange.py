"""Export and import of a bundle of 1,000 forwarded files (issue 14: each ≤ 5 s).

Builds a Department desk (SQLite) with N accepted files, forwards them in batches through
``lifecycle.forward`` (so the outbox holds what real work leaves), then times, through the
services the CLI calls:

- ``exchange.export`` of every message (seal + sign), the bytes per file reported;
- ``exchange.import_bundle`` of that bundle on a fresh regional desk (SQLite), one
  transaction;
- the same bundle imported again (all "already had"): the replay's cost;
- the baseline measured in this run: ``pyrage`` sealing and opening the same plaintext
  (the cryptography's share of the time);
- then as a clerk or a script runs it, each a real process with the desk's bytecode compiled
  (``benchmarks/bytecode.py``): ``python -m mss_desk exchange export --to 0`` of the same
  1,000 messages at the Department, and ``python -m mss_desk exchange import`` of that bundle
  on another fresh regional desk (the same keys); ``exchange status`` on that desk (the
  process's start, its imports and opening the database) is printed beside them.
  ``--no-cli`` leaves these out.

    uv run python benchmarks/bench_exchange.py [--files 1000] [--no-cli]

Prints PASS/FAIL per target; exit 1 if any target fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIMIT_S = 5.0


def _desk(folder: Path, code: int, clock: Any, catalog: Any) -> tuple[Any, Any]:
    from mss_desk.exchange.service import ExchangeService
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    engine = open_store(f"sqlite:///{folder / f'desk{code}.sqlite3'}")
    services = Services(engine, clock, catalog)
    services.setup.init_department(code)
    # keys where the command line looks for them: keys/ in the desk's data dir
    exchange = ExchangeService(services, folder / f"data{code}" / "keys")
    exchange.make_keys()
    return services, exchange


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument(
        "--no-cli", action="store_true", help="only the services, no real processes"
    )
    args = parser.parse_args()

    from datetime import datetime
    from zoneinfo import ZoneInfo

    import pyrage

    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock
    from tests.lifecycle.conftest import CaseFactory

    clock = FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Almaty")))
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dept, dept_x = _desk(folder, 19, clock, catalog)
        region, region_x = _desk(folder, 0, clock, catalog)
        dept_x.trust(0, region_x.keys().public.text)
        region_x.trust(19, dept_x.keys().public.text)
        clerk = dept.clerks.create(19, "bench", "Сейітова", "Әйгерім", "correct horse 7")
        make = CaseFactory(dept)
        made = time.perf_counter()
        case_nos = [str(make.case("2026-03-02 09:00", documents=8)) for _ in range(args.files)]
        for i in range(0, len(case_nos), 100):
            dept.lifecycle.forward(case_nos[i : i + 100], clerk.id)
        print(f"set-up: {args.files} files forwarded in {time.perf_counter() - made:.1f} s")

        path = folder / "bundle.mssx"
        t0 = time.perf_counter()
        out = dept_x.export(0, path)
        export_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        got = region_x.import_bundle(path)
        import_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = region_x.import_bundle(path)
        replay_s = time.perf_counter() - t0
        assert got.applied == args.files and again.already_had == args.files, (got, again)

        plain = pyrage.decrypt(path.read_bytes(), [region_x.keys().identity])
        t0 = time.perf_counter()
        sealed = pyrage.encrypt(plain, [region_x.keys().public.age_recipient()])
        pyrage.decrypt(sealed, [region_x.keys().identity])
        crypto_s = time.perf_counter() - t0
        cli: list[tuple[str, float]] = []
        if not args.no_cli:
            # a second regional desk, fresh, with the region's keys (the Department trusts
            # one key for code 0): the command-line import applies all 1,000 again
            from mss_desk.services import Services
            from mss_desk.store.engine import open_store

            fresh = open_store(f"sqlite:///{folder / 'fresh0.sqlite3'}")
            Services(fresh, clock, catalog).setup.init_department(0)
            fresh.dispose()
            cli = _cli_times(folder, dept_x.keys().public.text, args.files, clock)

    per_file = out.bytes / max(1, out.messages)
    print(f"bundle: {out.messages} messages, {out.bytes:,} bytes, {per_file:,.0f} bytes per file")
    print(f"baseline (age seal + open of the same plaintext): {crypto_s:.2f} s")
    ok = True
    for name, seconds in (("export", export_s), ("import", import_s), ("replay", replay_s)):
        verdict = "PASS" if seconds <= LIMIT_S else "FAIL"
        ok &= verdict == "PASS"
        ratio = seconds / crypto_s if crypto_s else float("inf")
        print(f"{name}: {seconds:.2f} s (≤ {LIMIT_S:.0f} s) {ratio:.0f}× the baseline {verdict}")
    for name, seconds in cli:
        if name == "start":
            print(f"command line, compiled: exchange status (start, imports, open) {seconds:.2f} s")
            continue
        verdict = "PASS" if seconds <= LIMIT_S else "FAIL"
        ok &= verdict == "PASS"
        print(f"command line, compiled: {name}: {seconds:.2f} s (≤ {LIMIT_S:.0f} s) {verdict}")
    dept.engine.dispose()
    region.engine.dispose()
    return 0 if ok else 1


def _cli_times(folder: Path, dept_key: str, files: int, clock: Any) -> list[tuple[str, float]]:
    """``python -m mss_desk exchange export`` / ``import`` as real processes, bytecode
    compiled (the desk's packages with compileall, the rest by one untimed start)."""
    import json

    from benchmarks import bytecode

    extra = bytecode.mode_env("compiled", folder)
    bytecode.compile_project(extra)
    base = dict(os.environ) | extra | {"MSS_DESK_NOW": clock.now().isoformat()}
    base.pop("MSS_DESK_DEBUG", None)

    def run(code: int, db: str, *argv: str) -> tuple[float, dict[str, Any]]:
        env = base | {"MSS_DESK_DATA_DIR": str(folder / f"data{code}")}
        cmd = [sys.executable, "-m", "mss_desk", "--db", str(folder / db), *argv, "--json"]
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(argv)}: exit {done.returncode}: {done.stdout}{done.stderr}"
            )
        return seconds, json.loads(done.stdout) if done.stdout.strip() else {}

    run(0, "fresh0.sqlite3", "exchange", "key", "add", "19", dept_key)  # also warms the cache
    # the floor: a command that opens the same database and does nothing much
    start = min(run(0, "fresh0.sqlite3", "exchange", "status")[0] for _ in range(3))
    bundle = folder / "cli-bundle.mssx"
    export_s, out = run(19, "desk19.sqlite3", "exchange", "export", "--to", "0", "--out",
                        str(bundle))  # fmt: skip
    import_s, got = run(0, "fresh0.sqlite3", "exchange", "import", str(bundle))
    assert out["messages"] == files and got["applied"] == files, (out, got)
    return [("start", start), ("export", export_s), ("import", import_s)]


if __name__ == "__main__":
    sys.exit(main())
