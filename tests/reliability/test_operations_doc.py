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


def test_the_desk_runs_as_its_own_user() -> None:
    """Issue 15, item 10: the recommended setup for several clerks is the desk's own user
    (ForceCommand + sudo -u), tested by tests/reliability/test_dedicated_user.py."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## 3.") : text.index("## 5.")]
    for needle in (
        "useradd --system",
        "ForceCommand sudo -u mssdesk /opt/mss-desk/bin/mss-desk",
        '%mssclerks ALL=(mssdesk) NOPASSWD: /opt/mss-desk/bin/mss-desk ""',
        "DisableForwarding yes",
        "sudo -u mssdesk -H mss-desk restore",
        "Not recommended: the group setup",
        "tests/reliability/test_dedicated_user.py",
    ):
        assert needle in section, needle
    assert "Match Group mssdesk" not in text  # the old advice: clerks in the files' group
    assert (DOC.parents[1] / "tests" / "reliability" / "test_dedicated_user.py").is_file()
