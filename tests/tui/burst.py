"""Type in bursts on a real pseudo-terminal (issue 12, point 2).

Over a laggy SSH link, and from a barcode scanner, many keys arrive in one read. Pilot
cannot show what that does (it hands the App one key and waits): these tests run the real
``python -m mss_desk`` on a pty (TERM=linux, 80×24), write a whole burst with one
``write``, and then look at what the desk *stored*.

The screen is read with pyte from everything the desk wrote. Waits poll the screen for text
with a generous timeout (a busy two-core machine can be slow); nothing asserts on timing.
"""

from __future__ import annotations

import codecs
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyte

from benchmarks.ptyharness import PtySession, spawn

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-02T10:00"  # the README's demo clock (Monday, office open)
COLS, ROWS = 80, 24
TIMEOUT = 30.0

# What a Linux console (TERM=linux) sends for these keys.
KEYS = {
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "enter": "\r",
    "escape": "\x1b",
    "space": " ",
    "backspace": "\x7f",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[1~",
    "end": "\x1b[4~",
    "f1": "\x1b[[A",
    "f2": "\x1b[[B",
    "f3": "\x1b[[C",
    "f4": "\x1b[[D",
    "f5": "\x1b[[E",
    "f6": "\x1b[17~",
    "f7": "\x1b[18~",
    "f8": "\x1b[19~",
    "f10": "\x1b[21~",
    "f12": "\x1b[24~",
}


def ctrl(letter: str) -> str:
    """Ctrl+letter as a terminal sends it (one control byte)."""
    return chr(ord(letter.lower()) - ord("a") + 1)


def keys(*parts: str) -> str:
    """A burst: key names from :data:`KEYS`, ``ctrl+x``, or literal text."""
    out = []
    for part in parts:
        if part in KEYS:
            out.append(KEYS[part])
        elif part.startswith("ctrl+") and len(part) == 6:
            out.append(ctrl(part[-1]))
        else:
            out.append(part)
    return "".join(out)


def desk_env(home: Path, lang: str) -> dict[str, str]:
    return {
        "MSS_DESK_DATA_DIR": str(home / "data"),
        "MSS_DESK_CONFIG_DIR": str(home / "config"),
        "MSS_DESK_NOW": NOW,
        "MSS_DESK_LANGUAGE": lang,
        "PYTHONPATH": str(ROOT),
        "TEXTUAL_ANIMATIONS": "none",
    }


def make_demo(db: Path, home: Path) -> None:
    """``mss-desk --db FILE demo`` on the fixed clock the desk then runs with."""
    import subprocess

    env = dict(os.environ) | desk_env(home, "en")
    subprocess.run(
        [sys.executable, "-m", "mss_desk", "--db", str(db), "demo"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=600,
    )


class BurstDesk:
    """The desk running on a pty, with its screen as pyte sees it."""

    def __init__(
        self, db: Path, home: Path, lang: str = "en", command: Sequence[str] = ()
    ) -> None:
        self.db = db
        self._closed = False
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.Stream(self.screen)
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        argv = [sys.executable, "-m", "mss_desk", "--db", str(db), *command]
        self.session: PtySession = spawn(
            argv, env=desk_env(home, lang), cols=COLS, rows=ROWS, term="linux"
        )

    # ------------------------------------------------------------------ screen

    def _pump(self, seconds: float) -> None:
        before = len(self.session.buffer)
        self.session._read_for(seconds)
        data = bytes(self.session.buffer[before:])
        if data:
            self.stream.feed(self._decode(data))

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def lines(self) -> Iterator[str]:
        yield from (line.rstrip() for line in self.screen.display)

    def wait_for(self, *needles: str, timeout: float = TIMEOUT) -> str:
        """Read until every needle is on screen; the screen text. Fails with the screen."""
        end = time.monotonic() + timeout
        while True:
            self._pump(0.05)
            text = self.text()
            if all(needle in text for needle in needles):
                return text
            if time.monotonic() > end:
                raise AssertionError(f"not on screen after {timeout:.0f} s: {needles!r}\n{text}")

    def wait_gone(self, needle: str, timeout: float = TIMEOUT) -> str:
        end = time.monotonic() + timeout
        while True:
            self._pump(0.05)
            text = self.text()
            if needle not in text:
                return text
            if time.monotonic() > end:
                raise AssertionError(f"still on screen after {timeout:.0f} s: {needle!r}\n{text}")

    # ------------------------------------------------------------------ keys

    def burst(self, *parts: str) -> None:
        """Write the whole burst at once (one ``write``: one read for the desk)."""
        self.session.send(keys(*parts).encode("utf-8"))

    def settle(self, quiet: float = 0.5) -> None:
        """Read until the desk has written nothing for ``quiet`` seconds."""
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            before = len(self.session.buffer)
            self._pump(quiet)
            if len(self.session.buffer) == before:
                return

    def close(self) -> None:
        """Stop the desk (it may be closed twice: a test closes it to read the database)."""
        if not self._closed:
            self._closed = True
            self.session.close()
