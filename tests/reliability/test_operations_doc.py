"""docs/operations.md keeps up with the code: every setting and every reliability command."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from mss_desk.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_every_setting_is_documented_with_its_variable() -> None:
    text = DOC.read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f"| `{f.name}` | `MSS_DESK_{f.name.upper()}` |" in text, f.name


def test_the_reliability_commands_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for needle in (
        "mss-desk backup",
        "mss-desk restore",
        "mss-desk audit verify",
        "--expect-head",
        ".audit.json",
        "mss-desk clerk disable",
        "mss-desk clerk unlock",
        "mss-desk clerk password",
        "--password-stdin",
        "ssh -C",
        "0600",
        "0660",
        "2770",
        "pg_dump",
        "umask 007",
    ):
        assert needle in text, needle
