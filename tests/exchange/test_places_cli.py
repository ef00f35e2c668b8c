"""``mss-desk place-free`` (issue 14.2, item 6.1) from a script: the regional head issues
the referral to the first in line; one JSON value, exit 0 / 1 / 2, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import CLERK_PASSWORD
from tests.exchange.test_cli import TwoDesks, _forward_one, desks  # noqa: F401 - fixture

ARGS = ("--type", "elderly_general", "--institution", "Көкшетау МӘМ", "--referral", "R-9")


def _one_file_at_the_region(d: TwoDesks, tmp_path: Path, clock: Any, catalog: Any) -> str:
    region = d.at("region", "exchange", "key", "show", "--json").json["public_key"]
    dept = d.at("dept", "exchange", "key", "show", "--json").json["public_key"]
    d.at("dept", "exchange", "key", "add", "0", region)
    d.at("region", "exchange", "key", "add", "19", dept)
    case_no = _forward_one(tmp_path, clock, catalog)
    b = str(tmp_path / "up.mssx")
    assert d.at("dept", "exchange", "export", "--to", "0", "--out", b).code == 0
    assert d.at("region", "exchange", "import", b, "--json").json["applied"] == 1
    return case_no


def test_place_free_refers_the_first_in_line_and_the_department_gets_it(
    desks: TwoDesks,  # noqa: F811 - the fixture imported above
    tmp_path: Path, clock: Any, catalog: Any, monkeypatch: Any,
) -> None:
    _staff_via_stdin(desks, monkeypatch)
    case_no = _one_file_at_the_region(desks, tmp_path, clock, catalog)
    r = desks.at("region", "place-free", *ARGS, "--head", "bastyk", "--json")
    assert r.code == 0, r.out
    assert r.json == {"case_no": case_no, "department_code": 19, "referral": "R-9"}
    listed = desks.at("region", "cases", "--json").json
    assert [(c["case_no"], c["status"]) for c in listed] == [(case_no, "decided")]
    # the line is empty now: exit 1, one JSON error, nothing written
    empty = desks.at("region", "place-free", *ARGS, "--head", "bastyk", "--json")
    assert empty.code == 1 and set(empty.json) == {"error"}
    assert "No file waits" in empty.json["error"]
    human = desks.at("region", "place-free", *ARGS, "--head", "bastyk", "--lang", "kk")
    assert human.code == 1 and "кезекте" in human.err.lower() and "Traceback" not in human.err
    # the referral travels to the Department
    b = str(tmp_path / "down.mssx")
    assert desks.at("region", "exchange", "export", "--to", "19", "--out", b).code == 0
    got = desks.at("dept", "exchange", "import", b, "--json").json
    assert got == {"applied": 2, "already_had": 0, "problems": []}  # the receipt, the referral
    mine = desks.at("dept", "cases", "--json").json
    assert [(c["case_no"], c["status"]) for c in mine] == [(case_no, "decided")]


def _staff_via_stdin(d: TwoDesks, monkeypatch: Any) -> None:
    import io

    for user, role in (("bastyk", "head"), ("region", "clerk")):
        monkeypatch.setattr("sys.stdin", io.StringIO(CLERK_PASSWORD + "\n"))
        r = d.at("region", "clerk", "add", "--username", user, "--surname", "Оспанова",
                 "--name", "Гүлнар", "--role", role, "--password-stdin", "--json")
        assert r.code == 0, r.out + r.err


def test_place_free_is_refused_for_a_clerk_another_desk_and_bad_usage(
    desks: TwoDesks,  # noqa: F811 - the fixture imported above
    tmp_path: Path, clock: Any, catalog: Any, monkeypatch: Any,
) -> None:
    _staff_via_stdin(desks, monkeypatch)
    case_no = _one_file_at_the_region(desks, tmp_path, clock, catalog)
    clerk = desks.at("region", "place-free", *ARGS, "--head", "region", "--json")
    assert clerk.code == 1 and "head of the Regional Department" in clerk.json["error"]
    nobody = desks.at("region", "place-free", *ARGS, "--head", "nobody", "--json")
    assert nobody.code == 1 and "error" in nobody.json
    dept = desks.at("dept", "place-free", *ARGS, "--head", "bastyk", "--json")
    assert dept.code == 1 and "Regional" in dept.json["error"]
    listed = desks.at("region", "cases", "--json").json
    assert [(c["case_no"], c["status"]) for c in listed] == [(case_no, "forwarded")]
    assert desks.at("region", "place-free", "--type", "elderly_general", "--json").code == 2
    bad = desks.at("region", "place-free", "--type", "prison", "--institution", "X",
                   "--referral", "1", "--head", "bastyk", "--json")  # fmt: skip
    assert bad.code == 2 and "error" in bad.json
