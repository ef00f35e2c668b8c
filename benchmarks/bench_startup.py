"""Start-up as the clerk feels it: from launching ``mss-desk`` to its first interactive
screen, against a bare Textual app showing one Label, both on a real pseudo-terminal
(80×24, TERM=xterm-256color), in interleaved rounds (median).

- time to the first screen (the login screen's Kazakh title on a desk with a clerk; the
  first-run setup screen on an empty one) ≤ 1.3× the bare app's time to its label;
- peak memory (VmHWM) at that moment ≤ 1.3× the bare app's.

Measured both ways (issue 12 point 15, ``benchmarks/bytecode.py``): with bytecode compiled,
as a user's install runs — the targets, which decide the exit code — and with no bytecode
at all (every module compiled on each start), printed for information. What the desk keeps
beside its bytecode is kept, or not, with it: the parsed message catalogs
(``mss_desk.i18n``) and the parsed Textual CSS (``screens.kept_css``) are written by the
untimed first start of the compiled runs and read by the timed ones; the source runs write
neither and parse both on every start. Before timing, the
script shows that the compiled runs load every module from ``.pyc`` and the source runs none.

    uv run python benchmarks/bench_startup.py [--rounds 9] [--modes compiled,source]

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

from benchmarks import bytecode  # noqa: E402
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
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--modes", default=",".join(bytecode.MODES), help="compiled,source (default: both)"
    )
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    results: dict[tuple[str, str], list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="mss-bench-start-") as name:
        tmp = Path(name)
        db = prepare_desk(tmp)
        fresh = tmp / "fresh"
        fresh.mkdir()
        bare = [sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), "label"]
        login = [sys.executable, "-m", "mss_desk", "--db", str(db)]
        setup = [sys.executable, "-m", "mss_desk", "--db", str(fresh / "new.sqlite3")]
        envs: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        checks_ok = True
        for mode in modes:
            extra = bytecode.mode_env(mode, tmp)
            env, fresh_env = desk_env(tmp) | extra, desk_env(fresh) | extra
            envs[mode] = (env, fresh_env)
            if mode == "compiled":
                bytecode.compile_project(extra)
            # warm the OS file cache (and, compiled, write the bytecode) once each, untimed
            one_run(bare, BARE_MARKER, env)
            one_run(login, LOGIN_MARKER, env)
            one_run(setup, SETUP_MARKER, fresh_env)
            (fresh / "new.sqlite3").unlink(missing_ok=True)
            for what, cmd, marker in (("bare", bare, BARE_MARKER), ("login", login, LOGIN_MARKER)):
                line, ok = bytecode.describe(mode, cmd, marker, env)
                print(f"bytecode, {what} — {line}: {'as intended' if ok else 'NOT as intended'}")
                checks_ok = checks_ok and ok
        for _ in range(args.rounds):  # interleaved: load changes hit all alike
            for mode in modes:
                env, fresh_env = envs[mode]
                results.setdefault((mode, "bare"), []).append(one_run(bare, BARE_MARKER, env))
                results.setdefault((mode, "login"), []).append(one_run(login, LOGIN_MARKER, env))
                (fresh / "new.sqlite3").unlink(missing_ok=True)
                results.setdefault((mode, "setup"), []).append(
                    one_run(setup, SETUP_MARKER, fresh_env)
                )

    def med(mode: str, key: str, i: int) -> float:
        return statistics.median(r[i] for r in results[(mode, key)])

    ok = checks_ok
    for mode in modes:
        counts = mode == "compiled"  # the targets are for bytecode compiled (issue 12.15)
        title = "bytecode compiled (the targets)" if counts else "no bytecode (information)"
        bare_s, bare_kib = med(mode, "bare", 0), med(mode, "bare", 1)
        print(f"--- {title}")
        print(
            f"bare Textual app, one Label: {bare_s * 1000:.0f} ms, peak {bare_kib / 1024:.1f} "
            f"MiB (median of {args.rounds})"
        )
        for key, label in (("login", "login screen"), ("setup", "first-run setup screen")):
            s, kib = med(mode, key, 0), med(mode, key, 1)
            each = ", ".join(f"{r[0] / b[0]:.2f}" for r, b in zip(
                results[(mode, key)], results[(mode, "bare")], strict=True
            ))
            print(
                f"desk to its {label}: {s * 1000:.0f} ms, peak {kib / 1024:.1f} MiB "
                f"(each round / its bare run: {each})"
            )
            for line in (
                verdict(f"start-up to the {label} / bare app ({mode})", s / bare_s, TIME_RATIO),
                verdict(
                    f"peak memory at the {label} / bare app ({mode})", kib / bare_kib, RSS_RATIO
                ),
            ):
                print(line if counts else f"info: {line}")
                if counts:
                    ok = ok and line.startswith("PASS")
    if not checks_ok:
        print("FAIL  the runs did not use bytecode as intended (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
