"""Bytes on the wire, as a clerk on a slow SSH link feels them: the desk on a real
pseudo-terminal (80×24, TERM=xterm-256color) against bare Textual apps measured in the
same run, with bytecode compiled as a user's install runs (``benchmarks/bytecode.py``;
byte counts barely depend on it, but a slow start reorders repaints).

Budgets (issue 12 point 14; issue 7 before it):

- a screen change (sign-in to home; F3 intake, F2 queue, F4 cases, F5 deadlines from home)
  ≤ 6 KB, and ≤ 1.5× what a bare Textual screen with the same widgets writes for the same
  change (its *twin*, ``benchmarks/bare_twins.py``: Textual's default styles only);
- no screen painted twice on entry: at most one whole-screen sweep (every row redrawn from
  its first column, top to bottom) from the key to the screen settling — the login too;
- an arrow key in a list ≤ 600 B (the home menu; the case list of the demo database);
- the first paint of the login (until the Department's name is on it) ≤ 3× the bare
  one-Label app's first paint;
- bytes written per typed character on the intake form (the surname field) ≤ 1.5× a bare
  app with one focused Input; a Tab between intake fields ≤ 5 KB;
- 0 bytes a second when idle on the login, home and intake screens (no cursor blink, no
  clock repainting); the queue screen's live wait timer may update its own cells (≤ 100 B/s).

    uv run python benchmarks/bench_terminal.py [--idle 5]

Prints each figure and PASS/FAIL per budget; exit 1 on a FAIL. On a slow link, ``ssh -C``
(compression) shrinks these escape-sequence-heavy bytes several times (README, Performance).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bytecode  # noqa: E402
from benchmarks.bare_app import MARKER as BARE_MARKER  # noqa: E402
from benchmarks.bench_startup import LOGIN_MARKER, NOW, desk_env, prepare_desk  # noqa: E402
from benchmarks.figures import verdict  # noqa: E402
from benchmarks.ptyharness import PtySession, spawn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KEY_RATIO = 1.5
TAB_BYTES = 5 * 1024
PAINT_RATIO = 3.0
CHANGE_BYTES = 6 * 1024
CHANGE_RATIO = 1.5
ARROW_BYTES = 600
TIMER_BYTES_PER_S = 100.0
ROWS = 24
TYPED = "Сейітова"
USERNAME, PASSWORD = "aigerim", "bench password 1"
DEMO_USER, DEMO_PASSWORD = "demo", "kokshe-desk-2026"  # README: the demo's clerk
KEYS = {
    "enter": b"\r",
    "tab": b"\t",
    "down": b"\x1b[B",
    "ctrl+n": b"\x0e",
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
    "f5": b"\x1b[15~",
}
HOME_MARKER = "Шығу"  # the F10 "log out" key in the footer: signed in (kk)
DEPARTMENT_MARKER = "Көкшетау"  # the Department's name (19) on the login, once known
INTAKE_MARKER = "Құжаттарды қабылдау"
SCREENS: dict[str, tuple[str, str | None]] = {  # key from home -> (name, marker of the screen)
    "f3": ("intake", INTAKE_MARKER),
    "f2": ("queue", "Кезек"),
    "f4": ("cases", "Істер"),
    "f5": ("deadlines", None),
}
TWIN_MARKER = "Егіз"  # benchmarks.bare_twins.TWIN_MARKER (not imported: no Textual here)
QUIET = 0.5
_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")


def sweeps(data: bytes, rows: int = ROWS) -> int:
    """Whole-screen paints in ``data``: runs of cursor moves to the first column of every
    row, top to bottom (what Textual writes for a whole frame, or for a partial update
    that happens to cover every row)."""
    count, row = 0, 1
    for match in _MOVE.finditer(data):
        if int(match.group(2)) != 1:
            continue
        y = int(match.group(1))
        if y == row:
            row += 1
        elif y == 1:
            row = 2
        if row > rows:
            count, row = count + 1, 1
    return count


def bare(kind: str, env: dict[str, str]) -> PtySession:
    s = spawn([sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), kind], env=env)
    s.read_until(BARE_MARKER.encode(), timeout=60)
    return s


def typing_bytes(s: PtySession, text: str) -> list[int]:
    return [s.bytes_for(ch.encode(), quiet=QUIET) for ch in text]


def entry(s: PtySession, key: bytes, marker: str | None) -> bytes:
    """What the program writes from ``key`` until the screen ``marker`` names has settled."""
    s.settle(QUIET)
    before = len(s.buffer)
    s.send(key)
    if marker:
        s.read_until(marker.encode(), timeout=30, since=before)
    s.settle(QUIET)
    return bytes(s.buffer[before:])


def start_desk(
    db: Path, env: dict[str, str], department: str | None = DEPARTMENT_MARKER
) -> tuple[PtySession, bytes]:
    """A desk at its login screen, with the bytes of the login's first paint: until the
    Department's name is on it (read from the database by the start-up worker, or from the
    names cached by the last start) and the screen is quiet."""
    s = spawn([sys.executable, "-m", "mss_desk", "--db", str(db)], env=env)
    s.read_until(LOGIN_MARKER.encode(), timeout=60)
    if department:
        s.read_until(department.encode(), timeout=60)
    s.settle(QUIET)
    return s, bytes(s.buffer)


def logged_in(
    db: Path, env: dict[str, str], user: str = USERNAME, password: str = PASSWORD
) -> tuple[PtySession, bytes, bytes]:
    """A desk at its home screen; returns it with the login's first paint and the bytes of
    the change from the login to home (from the Enter that signs in)."""
    s, login = start_desk(db, env, DEPARTMENT_MARKER if user == USERNAME else None)
    s.send(user.encode() + b"\r")
    s.settle(QUIET)
    for ch in password:
        s.send(ch.encode())
    home = entry(s, b"\r", HOME_MARKER)
    return s, login, home


def prepare_demo(tmp: Path, env: dict[str, str]) -> Path:
    """The README's demo database (clerks, tickets, cases) for the lists' arrow keys."""
    db = tmp / "demo.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "mss_desk", "--db", str(db), "demo"],
        env=dict(os.environ) | env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle measured")
    args = parser.parse_args(argv)
    lines: list[str] = []

    with tempfile.TemporaryDirectory(prefix="mss-bench-term-") as name:
        tmp = Path(name)
        compiled = bytecode.mode_env("compiled", tmp)
        bytecode.compile_project(compiled)
        env = desk_env(tmp) | compiled
        db = prepare_desk(tmp)
        demo_env = desk_env(tmp / "demo") | compiled | {"MSS_DESK_NOW": NOW}
        (tmp / "demo").mkdir()
        demo_db = prepare_demo(tmp / "demo", demo_env)
        # one untimed start of each writes the rest of the bytecode (stdlib, Textual, …)
        bare("label", env).close()
        start_desk(db, env)[0].close()
        check, ok = bytecode.describe(
            "compiled", [sys.executable, "-m", "mss_desk", "--db", str(db)], LOGIN_MARKER, env
        )
        print(f"bytecode — {check}")
        if not ok:
            lines.append("FAIL  the desk did not run from compiled bytecode")

        # --- baselines -----------------------------------------------------------------------
        b = bare("label", env)
        b.settle(QUIET)
        bare_paint = len(b.buffer)
        bare_sweeps = sweeps(bytes(b.buffer))
        bare_idle = b.idle_bytes(args.idle) / args.idle
        b.close()
        b = bare("input", env)
        b.settle(QUIET)
        bare_key = statistics.median(typing_bytes(b, TYPED))
        b.close()
        twins: dict[str, bytes] = {}
        for screen in ("home", "intake", "queue", "cases", "deadlines"):
            b = bare(f"screen:{screen}", env)
            twins[screen] = entry(b, KEYS["f3"], TWIN_MARKER)
            b.close()
        print(
            f"bare app: first paint {bare_paint} B ({bare_sweeps} whole-screen sweeps), idle "
            f"{bare_idle:.0f} B/s; one Input: {bare_key:.0f} B per typed character; twins: "
            + ", ".join(f"{k} {len(v)} B ({sweeps(v)})" for k, v in twins.items())
        )

        # --- login, home, intake: paint, idle, typing, Tab -----------------------------------
        s, login, home = logged_in(db, env)
        changes = {"home": home}
        idles = {"home": s.idle_bytes(args.idle) / args.idle}
        arrows = {"home menu": [s.bytes_for(KEYS["down"], quiet=QUIET) for _ in range(4)]}
        changes["intake"] = entry(s, KEYS["f3"], INTAKE_MARKER)
        for key in ("enter", "ctrl+n", "ctrl+n"):  # type chosen → eligibility → applicant
            s.send(KEYS[key])
            s.settle(QUIET)
        tabs = [s.bytes_for(KEYS["tab"], quiet=QUIET) for _ in range(3)]  # IIN → … → surname
        keys = typing_bytes(s, TYPED)
        idles["intake"] = s.idle_bytes(args.idle) / args.idle
        s.close()

        # login idle on a fresh desk
        s, _ = start_desk(db, env)
        idles["login"] = s.idle_bytes(args.idle) / args.idle
        s.close()

        # --- the other screens' change from home (a fresh session each) ----------------------
        queue_idle = None
        for key in ("f2", "f4", "f5"):
            screen, marker = SCREENS[key]
            s, _, _ = logged_in(db, env)
            changes[screen] = entry(s, KEYS[key], marker)
            if screen == "queue":
                queue_idle = s.idle_bytes(args.idle) / args.idle
            s.close()

        # --- the demo's case list: arrow keys ------------------------------------------------
        s, _, _ = logged_in(demo_db, demo_env, DEMO_USER, DEMO_PASSWORD)
        entry(s, KEYS["f4"], "Істер")
        s.bytes_for(KEYS["tab"], quiet=QUIET)  # from the search field to the list
        arrows["case list (demo)"] = [s.bytes_for(KEYS["down"], quiet=QUIET) for _ in range(4)]
        s.close()

    key_median = statistics.median(keys)
    print(
        f"desk, intake surname field: {key_median:.0f} B per typed character "
        f"(each: {', '.join(map(str, keys))})"
    )
    print(f"desk, login first paint: {len(login)} B, {sweeps(login)} whole-screen sweeps")
    for screen, data in changes.items():
        print(
            f"desk, change to {screen}: {len(data)} B, {sweeps(data)} whole-screen sweeps "
            f"(its bare twin: {len(twins[screen])} B, {sweeps(twins[screen])})"
        )
    for where, sizes in arrows.items():
        print(f"desk, arrow down in the {where}: {', '.join(map(str, sizes))} B")

    lines.append(
        verdict("first paint of the login / bare app", len(login) / bare_paint, PAINT_RATIO)
    )
    lines.append(verdict("whole-screen paints of the login", sweeps(login), 1, " sweeps"))
    for screen, data in changes.items():
        lines.append(verdict(f"change to {screen}", len(data) / 1024, CHANGE_BYTES / 1024, " KB"))
        lines.append(
            verdict(
                f"change to {screen} / its bare twin",
                len(data) / max(1, len(twins[screen])),
                CHANGE_RATIO,
            )
        )
        lines.append(verdict(f"whole-screen paints entering {screen}", sweeps(data), 1, " sweeps"))
    for where, sizes in arrows.items():
        lines.append(verdict(f"largest arrow key in the {where}", max(sizes), ARROW_BYTES, " B"))
    lines.append(
        verdict("bytes per typed character / bare Input", key_median / bare_key, KEY_RATIO)
    )
    lines.append(
        verdict("largest Tab between intake fields", max(tabs) / 1024, TAB_BYTES / 1024, " KB")
    )
    for screen, rate in idles.items():
        lines.append(verdict(f"idle on {screen}", rate, 0.0, " B/s"))
    if queue_idle is not None:
        lines.append(
            verdict("idle on queue (wait timer cells only)", queue_idle, TIMER_BYTES_PER_S, " B/s")
        )
    for line in lines:
        print(line)
    return 0 if all(line.startswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
