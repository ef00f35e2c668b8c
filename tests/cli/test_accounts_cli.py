"""Issue 15, item 11 (CLI part): ``mss-desk clerk disable|enable|unlock|password USER``.

The command line acts as the desk's administrator, through the clerk service (its password
rules, its audit events); the password comes from stdin or the terminal, never from an
argument.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

MONDAY = "2026-03-02T10:00"
OLD = "first secret 19"
NEW = "second secret 42"


@pytest.fixture
def db(tmp_path: Path, cli, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "desk.sqlite3")
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    assert cli("init", "--department", "19", "--db", path, "--json").code == 0
    r = cli(
        "clerk", "add", "--username", "aigerim", "--surname", "Сейітова", "--name", "Әйгерім",
        "--password-stdin", "--db", path, "--json", stdin=f"{OLD}\n",
    )
    assert r.code == 0, r.out
    return path


def _login(db: str, password: str) -> str:
    """What a login says now: "ok" or the error key (the services, as the desk sees them)."""
    from mss_desk.catalog import load_catalog
    from mss_desk.clock import SystemClock
    from mss_desk.errors import AuthError
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    engine = open_store(f"sqlite:///{db}")
    try:
        services = Services(engine, SystemClock(), load_catalog())
        try:
            services.clerks.authenticate("aigerim", password)
        except AuthError as exc:
            return exc.key
        return "ok"
    finally:
        engine.dispose()


def _audit(db: str) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT action, actor FROM audit_events WHERE entity = 'clerk' ORDER BY id"
        )
        return [(a, b) for a, b in rows]


def test_disable_and_enable(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("clerk", "disable", "aigerim", "--db", db, "--json")
    assert r.code == 0, r.out + r.err
    assert r.json == {
        "id": r.json["id"], "username": "aigerim", "role": "clerk", "active": False,
        "locked": False, "action": "disabled",
    }
    assert _login(db, OLD) == "clerks.disabled"
    r = cli("clerk", "enable", "aigerim", "--db", db, "--lang", "kk")
    assert r.code == 0 and "aigerim" in r.out and "қайта қосылды" in r.out
    assert _login(db, OLD) == "ok"
    actions = [a for a, _ in _audit(db)]
    assert actions[-3:-1] == ["clerk.disable", "clerk.enable"]  # then the login
    assert ("clerk.disable", "system") in _audit(db)  # the CLI: the machine's owner


def test_unlock_after_too_many_wrong_passwords(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        _login(db, "wrong password 1")
    assert _login(db, OLD) == "clerks.locked"
    r = cli("clerk", "unlock", "aigerim", "--db", db, "--json")
    assert r.code == 0 and r.json["locked"] is False and r.json["action"] == "unlocked"
    assert _login(db, OLD) == "ok"
    assert "clerk.unlock" in [a for a, _ in _audit(db)]


def test_password_from_stdin(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("clerk", "password", "aigerim", "--password-stdin", "--db", db, "--json",
            stdin=f"{NEW}\n")
    assert r.code == 0, r.out + r.err
    assert r.json["action"] == "password_set" and NEW not in r.out
    assert _login(db, OLD) == "error.auth" and _login(db, NEW) == "ok"
    assert "clerk.password" in [a for a, _ in _audit(db)]


def test_password_follows_the_rules(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    base = ["clerk", "password", "aigerim", "--password-stdin", "--db", db, "--json"]
    for bad in ("short 1", "aigerim 2026 x", "password123"):
        r = cli(*base, stdin=f"{bad}\n")
        assert r.code == 1 and set(r.json) == {"error"}, bad
    r = cli(*base, stdin="\n")
    assert r.code == 1 and "empty" in r.json["error"]
    assert _login(db, OLD) == "ok"


def test_password_is_never_an_argument(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("clerk", "password", "aigerim", NEW, "--db", db, "--json")
    assert r.code == 2
    r = cli("clerk", "password", "aigerim", "--password", NEW, "--db", db, "--json")
    assert r.code == 2
    assert _login(db, OLD) == "ok"


def test_password_without_a_terminal_needs_password_stdin(db: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{NEW}\n"))  # not a terminal
    r = cli("clerk", "password", "aigerim", "--db", db)
    assert r.code == 2 and "--password-stdin" in r.err and "clerk password" in r.err


def test_password_asked_twice_on_a_terminal(db: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import getpass

    class Tty:
        def isatty(self) -> bool:
            return True

    answers = iter([NEW, NEW])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", Tty())
    r = cli("clerk", "password", "aigerim", "--db", db, "--lang", "ru")
    assert r.code == 0 and "aigerim" in r.out and "новый пароль" in r.out
    assert _login(db, NEW) == "ok"


@pytest.mark.parametrize("action", ["disable", "enable", "unlock"])
def test_an_unknown_clerk_is_exit_1(db: str, cli, action: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("clerk", action, "ghost", "--db", db, "--json")
    assert r.code == 1 and "ghost" in r.json["error"]


def test_user_is_required(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("clerk", "disable", "--db", db).code == 2


def test_messages_in_three_languages() -> None:
    from mss_desk.i18n import t

    for action in ("disabled", "enabled", "unlocked", "password_set"):
        said = {lang: t(f"cli.clerk.{action}", lang, username="u") for lang in ("kk", "ru", "en")}
        assert len(set(said.values())) == 3 and all("u" in s for s in said.values()), said
    assert any(ch in t("cli.clerk.disabled", "kk", username="u") for ch in "ӘҒҚҢӨҰҮҺІәғқңөұүһі")
