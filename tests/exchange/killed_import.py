"""``python -m mss_desk ARGS``, stopped inside the import's transaction (test-only helper).

Usage: ``python tests/exchange/killed_import.py FD N mss-desk-args...``. It runs the desk's
real entry point (``runpy`` of ``mss_desk``, as ``python -m mss_desk`` does), with one
change: after the N-th message of the bundle has been applied (its rows written inside the
import's one transaction, not yet committed), it writes ``N`` to the inherited file
descriptor FD and waits for a line on its stdin (a pipe the test holds). The test then
SIGKILLs it — a real power cut in the middle of an import — or, to race a second import
against it, writes the line and lets it commit (tests/exchange/test_end_to_end.py).
Nothing in the product knows of it: it wraps ``ExchangeService._apply``, the seam the
service keeps for tests.
"""

from __future__ import annotations

import os
import runpy
import sys
from typing import Any


def main() -> None:
    fd, stop_after = int(sys.argv[1]), int(sys.argv[2])
    from mss_desk.exchange.service import ExchangeService

    real = ExchangeService._apply
    applied = 0

    def apply_then_wait(self: Any, session: Any, own: int, sender: int, m: Any) -> Any:
        nonlocal applied
        problem = real(self, session, own, sender, m)
        applied += 1
        if applied == stop_after:
            session.flush()
            os.write(fd, f"{applied}\n".encode())
            sys.stdin.readline()  # until SIGKILL, or the test lets it go on
        return problem

    ExchangeService._apply = apply_then_wait  # type: ignore[method-assign]
    sys.argv = ["mss-desk", *sys.argv[3:]]
    runpy.run_module("mss_desk", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
