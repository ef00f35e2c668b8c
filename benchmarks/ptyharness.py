"""Drive a program on a real pseudo-terminal and count what it writes.

Used by the start-up and terminal-bytes benchmarks: both compare the desk with a bare
Textual app measured in the same run, so the ratios hold on any machine (their PASS/FAIL
lines come from ``benchmarks.figures``).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class PtySession:
    pid: int
    fd: int
    started: float
    buffer: bytearray = field(default_factory=bytearray)

    def _read_for(self, seconds: float) -> int:
        """Read whatever arrives during ``seconds``; return the byte count."""
        end = time.monotonic() + seconds
        got = 0
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return got
            if not chunk:
                return got
            self.buffer.extend(chunk)
            got += len(chunk)

    def read_until(self, marker: bytes, timeout: float = 30.0, since: int = 0) -> float:
        """Wait until ``marker`` appears in the output (at or after byte ``since``, e.g. the
        length of the buffer before a key was sent); return seconds since spawn."""
        end = time.monotonic() + timeout
        while self.buffer.find(marker, since) < 0:
            if time.monotonic() > end:
                tail = bytes(self.buffer[-400:])
                raise TimeoutError(f"marker {marker!r} not seen; tail: {tail!r}")
            self._read_for(0.01)
        return time.monotonic() - self.started

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> int:
        """Read until the program has been quiet for ``quiet`` seconds; return bytes read."""
        total = 0
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self._read_for(quiet)
            total += got
            if got == 0:
                break
        return total

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def bytes_for(self, data: bytes, quiet: float = 0.3) -> int:
        """Bytes the program writes in answer to ``data``."""
        self.settle(quiet)
        self.send(data)
        return self.settle(quiet)

    def idle_bytes(self, seconds: float) -> int:
        self.settle(0.3)
        return self._read_for(seconds)

    def peak_rss_kib(self) -> int:
        with open(f"/proc/{self.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def spawn(
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    cols: int = 80,
    rows: int = 24,
    term: str = "xterm-256color",
) -> PtySession:
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["TERM"] = term
    full_env["COLUMNS"], full_env["LINES"] = str(cols), str(rows)
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], list(argv), full_env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return PtySession(pid=pid, fd=fd, started=started)
