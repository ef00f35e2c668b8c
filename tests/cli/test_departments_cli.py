"""Issue 15, item 2 on the command line: two Departments in one database do not mix.

``init --department 19``, then ``init --department 5`` on the same database: Department 5
is added and no desk is switched. A command acts in the desk's own Department —
``--department``, ``MSS_DESK_DEPARTMENT`` or ``department`` in config.toml — and a
database of several refuses a command that has not said which. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mss_desk.clock import FixedClock
from tests.conftest import CLERK_PASSWORD, ELDERLY_DOCS, local_dt
from tests.services.test_intake import make_form

MONDAY = "2026-03-02T10:00"  # a working Monday in Kokshetau (Asia/Almaty)
PASSWORD5 = "another horse 5"


def _add_clerk(cli: Any, db: str, username: str, password: str, *dept: str) -> Any:
    return cli(
        "clerk", "add", "--username", username, "--surname", "Сейітова", "--name", "Әйгерім",
        "--password-stdin", "--db", db, "--json", *dept, stdin=password + "\n",
    )  # fmt: skip


@pytest.fixture
def two(db_url: str, cli: Any, monkeypatch: pytest.MonkeyPatch, catalog: Any) -> Any:
    """Department 19 with clerk19 and a registered case, then ``init --department 5``."""
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    monkeypatch.setenv("MSS_DESK_NOW", MONDAY)
    assert cli("init", "--department", "19", "--db", db_url, "--json").code == 0
    r = _add_clerk(cli, db_url, "clerk19", CLERK_PASSWORD)  # one Department: no setting needed
    assert r.code == 0, r.out + r.err
    engine = open_store(db_url)
    try:
        desk19 = Services(engine, FixedClock(local_dt("2026-03-02 10:00")), catalog, 19)
        form = make_form(serial=3)
        case = desk19.intake.submit(form, set(ELDERLY_DOCS), r.json["id"])
        assert case.case_no == "19-2026-00001"
    finally:
        engine.dispose()
    second = cli("init", "--department", "5", "--db", db_url, "--json")
    assert second.code == 0, second.out + second.err
    assert second.json["department"] == 5 and second.json["departments"] == [5, 19]
    return {"db": db_url, "iin": form.iin, "case_no": case.case_no}


def test_second_init_says_every_desk_must_name_its_department(
    two: Any, cli: Any
) -> None:
    r = cli("--lang", "en", "init", "--department", "5", "--db", two["db"])
    assert r.code == 0
    assert "5, 19" in r.out and "MSS_DESK_DEPARTMENT" in r.out and "none was switched" in r.out


def test_a_command_that_names_no_department_is_refused(two: Any, cli: Any) -> None:
    for argv in (["cases"], ["ticket", "list"], ["clerk", "disable", "clerk19"]):
        r = cli(*argv, "--db", two["db"], "--json")
        assert r.code == 1, argv
        assert "several Departments (5, 19)" in r.json["error"]
        assert "--department" in r.json["error"]
    r = cli("--lang", "kk", "cases", "--db", two["db"])
    assert r.code == 1 and "бірнеше бөлім" in r.err


def test_department_5_cannot_list_find_or_print_department_19s_case(
    two: Any, cli: Any, tmp_path: Path
) -> None:
    db, no19 = two["db"], two["case_no"]
    r = _add_clerk(cli, db, "clerk5", PASSWORD5, "--department", "5")
    assert r.code == 0, r.out + r.err
    for argv in (["cases"], ["cases", "--find", no19], ["cases", "--find", two["iin"]],
                 ["cases", "--find", "Әли"], ["cases", "--status", "accepted"]):  # fmt: skip
        r = cli(*argv, "--department", "5", "--db", db, "--json")
        assert r.code == 0 and r.json == [], argv
    out = tmp_path / "talon.pdf"
    r = cli("talon", no19, "--out", str(out), "--department", "5", "--db", db, "--json")
    assert r.code == 1 and not out.exists()
    assert no19 in r.json["error"]  # "not found", nothing of the applicant
    # Department 19's desk sees and prints its own case
    r = cli("cases", "--department", "19", "--db", db, "--json")
    assert [c["case_no"] for c in r.json] == [no19]
    r = cli("talon", no19, "--out", str(out), "--department", "19", "--db", db, "--json")
    assert r.code == 0 and out.exists()


def test_accounts_and_tickets_stay_in_their_department(two: Any, cli: Any) -> None:
    db = two["db"]
    assert _add_clerk(cli, db, "clerk5", PASSWORD5, "--department", "5").code == 0
    # Department 5's desk neither finds nor manages clerk19, nor calls a ticket as them
    r = cli("clerk", "disable", "clerk19", "--department", "5", "--db", db, "--json")
    assert r.code == 1 and "clerk19" in r.json["error"]
    r = cli("ticket", "issue", "--purpose", "submit", "--department", "19", "--db", db, "--json")
    assert r.code == 0 and r.json["number"] == "A-001"
    r = cli("ticket", "list", "--department", "5", "--db", db, "--json")
    assert r.code == 0 and r.json == []
    r = cli("ticket", "call", "--purpose", "submit", "--clerk", "clerk19", "--department", "5",
            "--db", db, "--json")  # fmt: skip
    assert r.code == 1
    r = cli("ticket", "issue", "--purpose", "submit", "--department", "5", "--db", db, "--json")
    assert r.code == 0 and r.json["number"] == "A-001"  # Department 5's own series
    r = cli("ticket", "call", "--purpose", "submit", "--clerk", "clerk5", "--department", "5",
            "--db", db, "--json")  # fmt: skip
    assert r.code == 0 and r.json["number"] == "A-001"


def test_the_setting_comes_from_the_environment_or_the_config_file(
    two: Any, cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = two["db"]
    monkeypatch.setenv("MSS_DESK_DEPARTMENT", "19")
    r = cli("cases", "--db", db, "--json")
    assert r.code == 0 and [c["case_no"] for c in r.json] == [two["case_no"]]
    r = cli("cases", "--department", "5", "--db", db, "--json")  # the option wins
    assert r.code == 0 and r.json == []
    monkeypatch.delenv("MSS_DESK_DEPARTMENT")
    config = tmp_path / "config.toml"
    config.write_text("department = 5\n", encoding="utf-8")
    monkeypatch.setenv("MSS_DESK_CONFIG", str(config))
    r = cli("cases", "--db", db, "--json")
    assert r.code == 0 and r.json == []
    r = cli("info", "--db", db, "--json")  # the desk's Department's contacts
    assert r.code == 0 and r.json["department"]["code"] == 5


@pytest.mark.parametrize("value", ["abc", "0", "-3"])
def test_a_bad_department_setting_is_named(
    two: Any, cli: Any, monkeypatch: Any, value: str
) -> None:
    r = cli("cases", "--department", value, "--db", two["db"], "--json")
    assert r.code == 1 and "--department" in r.json["error"]
    monkeypatch.setenv("MSS_DESK_DEPARTMENT", value)
    r = cli("cases", "--db", two["db"], "--json")
    assert r.code == 1 and "MSS_DESK_DEPARTMENT" in r.json["error"]


def test_a_department_the_database_lacks(two: Any, cli: Any) -> None:
    r = cli("cases", "--department", "7", "--db", two["db"], "--json")
    assert r.code == 1 and "init --department 7" in r.json["error"]
    r = cli("cases", "--department", "42", "--db", two["db"], "--json")
    assert r.code == 1 and "42" in r.json["error"]
