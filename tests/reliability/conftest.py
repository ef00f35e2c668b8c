"""Fixtures of the reliability tests: the command line run in-process on a fixed clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mss_desk.cli import main

NOW = "2026-03-02T10:00"


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, Any]]:
    """``run(*args) -> (exit code, parsed JSON or the text)`` of ``mss-desk args``."""
    monkeypatch.setenv("MSS_DESK_NOW", NOW)

    def go(*args: str) -> tuple[int, Any]:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        out = captured.out or captured.err
        try:
            return code, json.loads(out)
        except json.JSONDecodeError:
            return code, out

    return go
