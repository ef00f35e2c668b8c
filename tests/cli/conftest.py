"""Helpers for the command-line tests: run ``main([...])`` in-process or as a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        lines = self.out.splitlines()
        assert len(lines) == 1, f"expected one line of JSON, got {self.out!r}"
        return json.loads(lines[0])


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """``cli("iin", "...", "--json", stdin="...")`` → Result (in-process, fast)."""
    from mss_desk.cli import main

    def run(*args: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def proc() -> Callable[..., Result]:
    """A real ``python -m mss_desk`` process (exit codes, no traceback, real stdout)."""

    def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
        full_env = dict(os.environ)
        full_env.pop("MSS_DESK_DEBUG", None)
        if env:
            full_env.update(env)
        done = subprocess.run(
            [sys.executable, "-m", "mss_desk", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=full_env,
            timeout=60,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert "Traceback" not in done.stdout, done.stdout
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def facts_file(tmp_path: Path) -> Callable[[dict[str, Any]], str]:
    def write(facts: dict[str, Any]) -> str:
        path = tmp_path / "facts.json"
        path.write_text(json.dumps(facts), encoding="utf-8")
        return str(path)

    return write
