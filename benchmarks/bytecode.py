"""Bytecode for the benchmarks: measured as a user's install runs (issue 12 points 14, 15).

An installed desk runs from compiled bytecode (pip compiles site-packages on install, and
Python writes the rest on the first start). This machine sets ``PYTHONDONTWRITEBYTECODE``,
so without care every benchmark run compiles the desk, Textual and the standard library
from source on each start: the desk, which imports more, is hurt more than the bare app and
the ratio is not what a clerk gets.

Two modes:

- ``compiled``: bytecode in a cache folder of its own (``PYTHONPYCACHEPREFIX``) in the
  benchmark's temporary directory, so the working tree and the virtualenv are never written
  to and ``__pycache__`` folders that may exist there are ignored: the project is compiled
  with ``python -m compileall`` and one untimed start of each program writes the rest of
  what it imports (stdlib, Textual, …);
- ``source``: no bytecode written (``PYTHONDONTWRITEBYTECODE``, this machine's default): the
  desk, Textual and the other site-packages are compiled on each start; the standard
  library still loads the bytecode Python ships with (the figures quoted before issue 12).

:func:`describe` proves it: it starts a program under ``python -v`` and counts the modules
loaded from ``.pyc`` and from source before the program's marker was on screen.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

from benchmarks.ptyharness import spawn

ROOT = Path(__file__).resolve().parent.parent
MODES = ("compiled", "source")
PROJECT_DIRS = ("mss_desk", "screens", "widgets", "benchmarks")
# python -v: "# code object from '/x/y.pyc'" (from bytecode) or "... from '/x/y.py'"
_CODE_FROM = re.compile(rb"# code object from '?([^'\r\n]+?\.py)(c?)'?\r?\n")


def mode_env(mode: str, tmp: Path) -> dict[str, str]:
    """Environment variables that put a child Python in ``mode`` (see the module doc)."""
    if mode not in MODES:
        raise ValueError(mode)
    if mode == "source":  # an empty value is "not set" for Python
        return {"PYTHONPYCACHEPREFIX": "", "PYTHONDONTWRITEBYTECODE": "1"}
    prefix = tmp / "pycache"
    prefix.mkdir(exist_ok=True)
    return {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": ""}


def compile_project(env: dict[str, str]) -> None:
    """``python -m compileall`` of the desk's own packages into ``env``'s cache folder."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *PROJECT_DIRS],
        cwd=ROOT,
        env=dict(os.environ) | env,
        check=True,
        capture_output=True,
    )


def loaded_from(
    argv: list[str], marker: str, env: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Start ``argv`` (a Python command line) under ``-v`` on a pseudo-terminal until
    ``marker`` is on screen: the ``.pyc`` files loaded, and the source files compiled."""
    session = spawn([argv[0], "-v", *argv[1:]], env=env)
    try:
        session.read_until(marker.encode(), timeout=120)
        head = bytes(session.buffer[: session.buffer.find(marker.encode())])
    finally:
        session.close()
    pyc: list[str] = []
    source: list[str] = []
    for match in _CODE_FROM.finditer(head):
        (pyc if match.group(2) else source).append(match.group(1).decode(errors="replace"))
    return pyc, source


def describe(mode: str, argv: list[str], marker: str, env: dict[str, str]) -> tuple[str, bool]:
    """One line saying where the modules came from, and whether that matches ``mode``."""
    pyc, source = loaded_from(argv, marker, env)
    if mode == "compiled":
        ok = not source and bool(pyc)
        line = f"{mode}: {len(pyc)} modules from .pyc, {len(source)} compiled from source"
        return line + (f" (first: {source[0]})" if source else ""), ok
    stdlib = sysconfig.get_paths()["stdlib"]
    ok = bool(source) and all(path.startswith(stdlib) for path in pyc)
    line = (
        f"{mode}: {len(source)} modules compiled from source, {len(pyc)} from .pyc "
        f"(the standard library's own: {'all' if ok else 'NOT all'})"
    )
    return line, ok
