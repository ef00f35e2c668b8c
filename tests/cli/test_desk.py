"""Commands on a database: init, clerk add, ticket issue/call/list, cases, --db and
MSS_DESK_DATABASE, office hours (item 10) through MSS_DESK_NOW."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

TICKET_KEYS = {"number", "purpose", "status", "issued_at", "called_at", "wait_minutes"}
LIST_KEYS = {"number", "purpose", "status", "issued_at", "called_at"}
CASE_KEYS = {"case_no", "status", "applicant", "service_due"}
MONDAY = "2026-03-02T10:00"  # a working Monday in Kokshetau (Asia/Almaty)


@pytest.fixture
def db(tmp_path: Path, cli, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "desk.sqlite3")
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    r = cli("init", "--department", "19", "--db", path, "--json")
    assert r.code == 0, r.out + r.err
    return path


def test_init_creates_a_private_database(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sub" / "desk.sqlite3"
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    r = cli("init", "--department", "19", "--db", str(path), "--json")
    assert r.code == 0
    body = r.json
    assert body["department"] == 19 and body["name"]
    assert str(path) in body["database"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    r = cli("--lang", "ru", "init", "--department", "19", "--db", str(path))
    assert r.code == 0 and "19" in r.out  # idempotent


@pytest.mark.parametrize("code", ["0", "20", "99", "abc", "-1"])
def test_init_unknown_department_exit_1(tmp_path: Path, cli, code: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "desk.sqlite3"
    r = cli("init", "--department", code, "--db", str(path), "--json")
    assert r.code == 1 and code in r.json["error"]
    assert not path.exists()


def test_commands_do_not_create_a_missing_database(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nope.sqlite3"
    for argv in (["cases"], ["ticket", "list"], ["ticket", "issue", "--purpose", "submit"]):
        r = cli(*argv, "--db", str(path), "--json")
        assert r.code == 1 and "mss-desk init" in r.json["error"]
    assert not path.exists()


def test_clerk_add_reads_the_password_from_stdin(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "clerk",
        "add",
        "--username",
        "Aigerim",
        "--surname",
        "Сейітова",
        "--name",
        "Әйгерім",
        "--role",
        "head",
        "--password-stdin",
        "--db",
        db,
        "--json",
        stdin="correct horse 7\n",
    )
    assert r.code == 0, r.out
    assert r.json["username"] == "aigerim" and r.json["role"] == "head"
    assert isinstance(r.json["id"], int)
    again = cli(
        "clerk",
        "add",
        "--username",
        "aigerim",
        "--surname",
        "С",
        "--name",
        "Ә",
        "--password-stdin",
        "--db",
        db,
        "--json",
        stdin="correct horse 7\n",
    )
    assert again.code == 1 and set(again.json) == {"error"}


def test_clerk_add_rejects_a_short_or_empty_password(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    base = ["clerk", "add", "--username", "u1", "--surname", "S", "--name", "N", "--db", db]
    assert cli(*base, "--password-stdin", "--json", stdin="short\n").code == 1
    assert cli(*base, "--password-stdin", "--json", stdin="\n").code == 1


def test_clerk_add_without_a_terminal_needs_password_stdin(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "clerk",
        "add",
        "--username",
        "u1",
        "--surname",
        "S",
        "--name",
        "N",
        "--db",
        db,
        "--json",
        stdin="",
    )
    assert r.code == 2 and "--password-stdin" in r.json["error"]


def test_clerk_add_has_no_password_option(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "clerk",
        "add",
        "--username",
        "u1",
        "--surname",
        "S",
        "--name",
        "N",
        "--db",
        db,
        "--password",
        "secret123",
    )
    assert r.code == 2


def test_clerk_add_before_init(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a database that exists but serves no Department yet
    from mss_desk.store.engine import open_store

    path = tmp_path / "empty.sqlite3"
    open_store(f"sqlite:///{path}").dispose()
    r = cli(
        "clerk",
        "add",
        "--username",
        "u1",
        "--surname",
        "S",
        "--name",
        "N",
        "--password-stdin",
        "--db",
        str(path),
        "--json",
        stdin="long enough 1\n",
    )
    assert r.code == 1 and "init" in r.json["error"]


def test_ticket_issue_call_list(db: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a1 = cli("ticket", "issue", "--purpose", "submit", "--db", db, "--json").json
    assert set(a1) == TICKET_KEYS
    assert a1["number"] == "A-001" and a1["status"] == "waiting"
    assert a1["issued_at"] == "2026-03-02T10:00+05:00"  # shown in the Department's zone
    assert a1["called_at"] is None
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:05")
    assert cli("ticket", "issue", "--purpose", "submit", "--db", db, "--json").json["number"] == (
        "A-002"
    )
    assert cli("ticket", "issue", "--purpose", "collect", "--db", db, "--json").json["number"] == (
        "B-001"
    )
    assert cli("ticket", "issue", "--purpose", "consult", "--db", db, "--json").json["number"] == (
        "C-001"
    )
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:41")
    called = cli("ticket", "call", "--purpose", "submit", "--db", db, "--json")
    assert called.code == 0
    assert set(called.json) == TICKET_KEYS
    assert called.json["number"] == "A-001"  # the oldest waiting
    assert called.json["wait_minutes"] == 41
    assert called.json["called_at"] == "2026-03-02T10:41+05:00"
    assert cli("ticket", "call", "--purpose", "submit", "--db", db, "--json").json["number"] == (
        "A-002"
    )
    none = cli("ticket", "call", "--purpose", "submit", "--db", db, "--json")
    assert none.code == 1 and "submit" in none.json["error"]

    listed = cli("ticket", "list", "--db", db, "--json")
    assert listed.code == 0
    rows = listed.json
    assert [r["number"] for r in rows] == ["A-001", "A-002", "B-001", "C-001"] or sorted(
        r["number"] for r in rows
    ) == ["A-001", "A-002", "B-001", "C-001"]
    assert all(set(r) == LIST_KEYS for r in rows)
    by_no = {r["number"]: r for r in rows}
    assert by_no["A-001"]["status"] == "called" and by_no["B-001"]["status"] == "waiting"
    assert cli("ticket", "list", "--date", "2026-03-02", "--db", db, "--json").json == rows
    assert cli("ticket", "list", "--date", "2026-03-03", "--db", db, "--json").json == []
    bad = cli("ticket", "list", "--date", "2026-03-32", "--db", db, "--json")
    assert bad.code == 1


def test_ticket_call_by_a_named_clerk(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli(
        "clerk",
        "add",
        "--username",
        "nurlan",
        "--surname",
        "Оспанов",
        "--name",
        "Нұрлан",
        "--password-stdin",
        "--db",
        db,
        stdin="long enough 1\n",
    )
    cli("ticket", "issue", "--purpose", "collect", "--db", db)
    r = cli("ticket", "call", "--purpose", "collect", "--clerk", "NURLAN", "--db", db, "--json")
    assert r.code == 0 and r.json["number"] == "B-001"
    r = cli("ticket", "call", "--purpose", "collect", "--clerk", "ghost", "--db", db, "--json")
    assert r.code == 1 and "ghost" in r.json["error"]


def test_ticket_human_output(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--lang", "kk", "ticket", "issue", "--purpose", "submit", "--db", db)
    assert r.code == 0 and "A-001" in r.out and "10:00" in r.out
    r = cli("--lang", "ru", "ticket", "list", "--db", db)
    assert "A-001" in r.out and "ожидает" in r.out


@pytest.mark.parametrize(
    ("now", "why"),
    [
        ("2026-03-07T10:00", "weekend"),  # Saturday
        ("2026-03-01T10:00", "weekend"),  # Sunday
        ("2026-03-02T08:59", "09:00"),  # before hours
        ("2026-03-02T18:00", "18:00"),  # closed at 18:00
        ("2026-03-02T13:00", "lunch"),  # lunch begins
        ("2026-03-02T13:59", "lunch"),
        ("2026-03-23T11:00", "holiday"),  # Nauryz (23 March 2026, Monday)
    ],
)
def test_no_tickets_outside_office_hours(db: str, cli, monkeypatch, now: str, why: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", now)
    r = cli("ticket", "issue", "--purpose", "submit", "--db", db, "--json")
    assert r.code == 1
    assert set(r.json) == {"error"}
    assert why in r.json["error"].lower() and "item 10" in r.json["error"].lower()
    assert cli("ticket", "list", "--db", db, "--json").json == []


@pytest.mark.parametrize(
    "now", ["2026-03-02T09:00", "2026-03-02T12:59", "2026-03-02T14:00", "2026-03-02T17:59"]
)
def test_tickets_at_the_edges_of_office_hours(db: str, cli, monkeypatch, now: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", now)
    assert cli("ticket", "issue", "--purpose", "submit", "--db", db, "--json").code == 0


def test_outside_hours_in_kazakh(db: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-07T10:00")
    r = cli("--lang", "kk", "ticket", "issue", "--purpose", "submit", "--db", db)
    assert r.code == 1 and "талон берілмейді" in r.err and len(r.err.splitlines()) == 1


def test_bad_mss_desk_now_is_exit_1(db: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", "tomorrow")
    r = cli("ticket", "issue", "--purpose", "submit", "--db", db, "--json")
    assert r.code == 1 and "MSS_DESK_NOW" in r.json["error"]


def test_mss_desk_database_and_db_option(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    env_db, arg_db = tmp_path / "env.sqlite3", tmp_path / "arg.sqlite3"
    monkeypatch.setenv("MSS_DESK_DATABASE", str(env_db))
    assert cli("init", "--department", "5", "--json").code == 0
    assert env_db.exists() and not arg_db.exists()
    assert cli("ticket", "issue", "--purpose", "consult", "--json").json["number"] == "C-001"
    assert cli("init", "--department", "7", "--db", str(arg_db), "--json").code == 0
    # --db wins over MSS_DESK_DATABASE: the second database has its own numbering
    assert (
        cli("ticket", "issue", "--purpose", "consult", "--db", str(arg_db), "--json").json["number"]
        == "C-001"
    )
    assert cli("ticket", "issue", "--purpose", "consult", "--json").json["number"] == "C-002"
    # a URL works as well as a path
    assert cli("ticket", "list", "--db", f"sqlite:///{arg_db}", "--json").code == 0


def test_config_file_database(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    cfg_dir = Path(os.environ["MSS_DESK_CONFIG_DIR"])
    cfg_dir.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "from-config.sqlite3"
    (cfg_dir / "config.toml").write_text(f'database = "{db}"\n', encoding="utf-8")
    assert cli("init", "--department", "3", "--json").code == 0
    assert db.exists()


def test_cases_empty_and_status_filter(db: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("cases", "--db", db, "--json").json == []
    assert cli("cases", "--status", "accepted", "--db", db, "--json").json == []
    assert cli("cases", "--status", "lost", "--db", db, "--json").code == 2


def test_case_statuses_match_the_rules() -> None:
    from mss_desk.cli.values import CASE_STATUSES
    from mss_desk.rules.lifecycle import STATUSES

    assert CASE_STATUSES == STATUSES


def test_real_process_refuses_a_ticket_on_saturday(tmp_path: Path, cli, proc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "desk.sqlite3")
    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    assert cli("init", "--department", "19", "--db", path).code == 0
    env = {"MSS_DESK_NOW": "2026-03-07T10:00", "MSS_DESK_DATABASE": path}
    r = proc("ticket", "issue", "--purpose", "submit", "--json", env=env)
    assert r.code == 1 and "weekend" in r.json["error"].lower()


class _Tty:
    def isatty(self) -> bool:
        return True

    def readline(self) -> str:  # pragma: no cover - the prompt path never reads stdin
        raise AssertionError("the password must come from getpass")


def test_clerk_add_prompts_twice_on_a_terminal(db: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import getpass
    import sys

    answers = iter(["long enough 1", "long enough 1", "long enough 1", "different 22"])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", _Tty())
    base = ["clerk", "add", "--surname", "Оспанов", "--name", "Нұрлан", "--db", db, "--json"]
    r = cli(*base, "--username", "nurlan")
    assert r.code == 0 and r.json["username"] == "nurlan"
    assert len(prompts) == 2
    r = cli(*base, "--username", "nurlan2")
    assert r.code == 1 and "differ" in r.json["error"]
