"""Bytes on the wire, as a clerk on a slow SSH link feels them: the desk on a real
pseudo-terminal (80×24, TERM=xterm-256color) against bare Textual apps measured in the
same run.

- bytes written per typed character on the intake form (the surname field) ≤ 1.5× a bare
  app with one focused Input;
- a Tab between intake fields ≤ 5 KB;
- the first paint of each screen (login, home, intake, queue, cases, deadlines) ≤ 3× the
  bare one-Label app's first paint;
- 0 bytes a second when idle on the login, home and intake screens (no cursor blink, no
  clock repainting); the queue screen's live wait timer may update its own cells (≤ 100 B/s).

    uv run python benchmarks/bench_terminal.py [--idle 5]

Prints PASS/FAIL per target; exit 1 on a FAIL. On a slow link, ``ssh -C`` (compression)
shrinks these escape-sequence-heavy bytes several times (see README, Performance).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bare_app import MARKER as BARE_MARKER  # noqa: E402
from benchmarks.bench_startup import LOGIN_MARKER, desk_env, prepare_desk  # noqa: E402
from benchmarks.figures import verdict  # noqa: E402
from benchmarks.ptyharness import PtySession, spawn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KEY_RATIO = 1.5
TAB_BYTES = 5 * 1024
PAINT_RATIO = 3.0
TIMER_BYTES_PER_S = 100.0
TYPED = "Сейітова"
USERNAME, PASSWORD = "aigerim", "bench password 1"
KEYS = {
    "enter": b"\r",
    "tab": b"\t",
    "ctrl+n": b"\x0e",
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
    "f5": b"\x1b[15~",
}
HOME_MARKER = "Шығу"  # the F10 "log out" key in the footer: signed in (kk)
INTAKE_MARKER = "Құжаттарды қабылдау"
SCREENS: dict[str, tuple[str, str | None]] = {  # key from home -> (name, marker of the screen)
    "f3": ("intake", INTAKE_MARKER),
    "f2": ("queue", "Кезек"),
    "f4": ("cases", "Істер"),
    "f5": ("deadlines", None),
}
QUIET = 0.5


def bare(kind: str) -> PtySession:
    s = spawn([sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), kind])
    s.read_until(BARE_MARKER.encode(), timeout=60)
    return s


def typing_bytes(s: PtySession, text: str) -> list[int]:
    return [s.bytes_for(ch.encode(), quiet=QUIET) for ch in text]


def logged_in(db: Path, env: dict[str, str]) -> tuple[PtySession, int, int]:
    """A desk at its home screen; returns it with the login and home first-paint bytes."""
    s = spawn([sys.executable, "-m", "mss_desk", "--db", str(db)], env=env)
    s.read_until(LOGIN_MARKER.encode(), timeout=60)
    s.settle(QUIET)
    login_paint = len(s.buffer)
    s.send(USERNAME.encode() + b"\r")
    s.settle(QUIET)
    for ch in PASSWORD:
        s.send(ch.encode())
    before = len(s.buffer)
    s.send(b"\r")
    s.read_until(HOME_MARKER.encode(), timeout=30, since=before)
    s.settle(QUIET)
    return s, login_paint, len(s.buffer) - before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle measured")
    args = parser.parse_args(argv)
    lines: list[str] = []

    # --- baselines -------------------------------------------------------------------------
    b = bare("label")
    b.settle(QUIET)
    bare_paint = len(b.buffer)
    bare_idle = b.idle_bytes(args.idle) / args.idle
    b.close()
    b = bare("input")
    b.settle(QUIET)
    bare_key = statistics.median(typing_bytes(b, TYPED))
    b.close()
    print(
        f"bare app: first paint {bare_paint} B, idle {bare_idle:.0f} B/s; "
        f"one Input: {bare_key:.0f} B per typed character"
    )

    with tempfile.TemporaryDirectory(prefix="mss-bench-term-") as name:
        tmp = Path(name)
        db = prepare_desk(tmp)
        env = desk_env(tmp)

        # --- login, home, intake: paint, idle, typing, Tab ---------------------------------
        s, login_paint, home_paint = logged_in(db, env)
        paints = {"login": login_paint, "home": home_paint}
        idles = {"home": s.idle_bytes(args.idle) / args.idle}
        before = len(s.buffer)
        s.send(KEYS["f3"])
        s.read_until(INTAKE_MARKER.encode(), timeout=30, since=before)
        s.settle(QUIET)
        paints["intake"] = len(s.buffer) - before
        for key in ("enter", "ctrl+n", "ctrl+n"):  # type chosen → eligibility → applicant
            s.send(KEYS[key])
            s.settle(QUIET)
        tabs = [s.bytes_for(KEYS["tab"], quiet=QUIET) for _ in range(3)]  # IIN → … → surname
        keys = typing_bytes(s, TYPED)
        idles["intake"] = s.idle_bytes(args.idle) / args.idle
        s.close()

        # login idle on a fresh desk
        s = spawn([sys.executable, "-m", "mss_desk", "--db", str(db)], env=env)
        s.read_until(LOGIN_MARKER.encode(), timeout=60)
        idles["login"] = s.idle_bytes(args.idle) / args.idle
        s.close()

        # --- the other screens' first paint (a fresh session each) -------------------------
        queue_idle = None
        for key in ("f2", "f4", "f5"):
            screen, marker = SCREENS[key]
            s, _, _ = logged_in(db, env)
            before = len(s.buffer)
            s.send(KEYS[key])
            if marker:
                s.read_until(marker.encode(), timeout=30, since=before)
            s.settle(QUIET)
            paints[screen] = len(s.buffer) - before
            if screen == "queue":
                queue_idle = s.idle_bytes(args.idle) / args.idle
            s.close()

    key_median = statistics.median(keys)
    print(
        f"desk, intake surname field: {key_median:.0f} B per typed character "
        f"(each: {', '.join(map(str, keys))})"
    )
    lines.append(
        verdict("bytes per typed character / bare Input", key_median / bare_key, KEY_RATIO)
    )
    lines.append(
        verdict("largest Tab between intake fields", max(tabs) / 1024, TAB_BYTES / 1024, " KB")
    )
    for screen, n in paints.items():
        lines.append(
            verdict(f"first paint of {screen} ({n} B) / bare app", n / bare_paint, PAINT_RATIO)
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
