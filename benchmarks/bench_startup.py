"""Start-up as the clerk feels it: from launching ``mss-desk`` to its first interactive
screen, against a bare Textual app showing one Label, both on a real pseudo-terminal
(80×24, TERM=xterm-256color), in interleaved rounds (median).

- time to the first screen (the login screen's Kazakh title on a desk with a clerk; the
  first-run setup screen on an empty one) ≤ 1.3× the bare app's time to its label;
- peak memory (VmHWM) at that moment ≤ 1.3× the bare app's.

    uv run python benchmarks/bench_startup.py [--rounds 7]

The desk runs as ``python -m mss_desk --db FILE`` (what ``mss-desk`` runs) with its data and
config directories in a temporary folder. Prints PASS/FAIL per target; exit 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bare_app import MARKER as BARE_MARKER  # noqa: E402
from benchmarks.figures import verdict  # noqa: E402
from benchmarks.ptyharness import spawn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TIME_RATIO = 1.3
RSS_RATIO = 1.3
LOGIN_MARKER = "Жүйеге кіру"  # ui.login.title (kk)
SETUP_MARKER = "Алғашқы баптау"  # ui.setup.title (kk)
NOW = "2026-03-02T10:00:00+05:00"


def desk_env(tmp: Path) -> dict[str, str]:
    return {
        "MSS_DESK_DATA_DIR": str(tmp / "data"),
        "MSS_DESK_CONFIG_DIR": str(tmp / "config"),
        "MSS_DESK_NOW": NOW,
        "MSS_DESK_LANGUAGE": "kk",
        "PYTHONPATH": str(ROOT),
    }


def prepare_desk(tmp: Path) -> Path:
    """A desk database with a Department and one clerk, made with the real CLI."""
    db = tmp / "desk.sqlite3"
    env = dict(os.environ) | desk_env(tmp)
    cli = [sys.executable, "-m", "mss_desk", "--db", str(db)]
    subprocess.run(
        [*cli, "init", "--department", "19"], env=env, check=True, cwd=ROOT, capture_output=True
    )
    subprocess.run(
        [
            *cli,
            "clerk",
            "add",
            "--username",
            "aigerim",
            "--surname",
            "Сейітова",
            "--name",
            "Айгерім",
            "--role",
            "head",
            "--password-stdin",
        ],
        input=b"bench password 1\n",
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return db


def one_run(argv: list[str], marker: str, env: dict[str, str]) -> tuple[float, int]:
    """Seconds from spawn to ``marker`` on screen, and peak RSS (KiB) at that moment."""
    session = spawn(argv, env=env)
    try:
        seconds = session.read_until(marker.encode(), timeout=60)
        return seconds, session.peak_rss_kib()
    finally:
        session.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mss-bench-start-") as name:
        tmp = Path(name)
        db = prepare_desk(tmp)
        fresh = tmp / "fresh"
        fresh.mkdir()
        env = desk_env(tmp)
        fresh_env = desk_env(fresh)
        bare = [sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), "label"]
        login = [sys.executable, "-m", "mss_desk", "--db", str(db)]
        setup = [sys.executable, "-m", "mss_desk", "--db", str(fresh / "new.sqlite3")]
        # warm the OS file cache (and compile bytecode) once for each, not timed
        one_run(bare, BARE_MARKER, env)
        one_run(login, LOGIN_MARKER, env)
        results: dict[str, list[tuple[float, int]]] = {"bare": [], "login": [], "setup": []}
        for _ in range(args.rounds):  # interleaved: load changes hit all alike
            results["bare"].append(one_run(bare, BARE_MARKER, env))
            results["login"].append(one_run(login, LOGIN_MARKER, env))
            (fresh / "new.sqlite3").unlink(missing_ok=True)
            results["setup"].append(one_run(setup, SETUP_MARKER, fresh_env))

    def med(key: str, i: int) -> float:
        return statistics.median(r[i] for r in results[key])

    bare_s, bare_kib = med("bare", 0), med("bare", 1)
    print(
        f"bare Textual app, one Label: {bare_s * 1000:.0f} ms, peak {bare_kib / 1024:.1f} MiB "
        f"(median of {args.rounds})"
    )
    ok = True
    for key, label in (("login", "login screen"), ("setup", "first-run setup screen")):
        s, kib = med(key, 0), med(key, 1)
        print(f"desk to its {label}: {s * 1000:.0f} ms, peak {kib / 1024:.1f} MiB")
        for line in (
            verdict(f"start-up to the {label} / bare app", s / bare_s, TIME_RATIO),
            verdict(f"peak memory at the {label} / bare app", kib / bare_kib, RSS_RATIO),
        ):
            print(line)
            ok = ok and line.startswith("PASS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
