"""``mss-desk complaint add|list|escalate|answer`` (item 22; issue 14.3, 14.5) from a
script, on a Department desk and the regional desk, with the bundles between them: one JSON
value, exit 0 / 1 / 2, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from tests.conftest import CLERK_PASSWORD
from tests.exchange.conftest import proc  # noqa: F401
from tests.exchange.test_cli import TwoDesks, desks  # noqa: F401


def _staff(d: TwoDesks, who: str, username: str, role: str) -> None:
    r = d.at(who, "clerk", "add", "--username", username, "--surname", "Қасымова", "--name",
             "Гүлмира", "--role", role, "--password-stdin", "--json")  # fmt: skip
    assert r.code == 0, r.out + r.err


def _trust(d: TwoDesks) -> None:
    keys = {w: d.at(w, "exchange", "key", "show", "--json").json for w in ("region", "dept")}
    assert d.at("region", "exchange", "key", "add", "19", keys["dept"]["public_key"]).code == 0
    assert d.at("dept", "exchange", "key", "add", "0", keys["region"]["public_key"]).code == 0


def _move(d: TwoDesks, src: str, dst: str, to: str, tmp: Path) -> dict[str, object]:
    path = tmp / f"{src}-to-{dst}.mssx"
    assert d.at(src, "exchange", "export", "--to", to, "--out", str(path), "--json").code == 0
    r = d.at(dst, "exchange", "import", str(path), "--json")
    assert r.code == 0, r.out + r.err
    return dict(r.json)


def test_region_registers_escalation_and_head_answers_through_bundles(
    desks: TwoDesks, tmp_path: Path  # noqa: F811
) -> None:
    d = desks
    for who, user, role in (("region", "oblclerk", "clerk"), ("region", "oblhead", "head"),
                            ("dept", "aigul", "clerk"), ("dept", "bastyk", "head")):
        d.mp.setattr("sys.stdin", io.StringIO(CLERK_PASSWORD + "\n"))
        _staff(d, who, user, role)
    _trust(d)

    # at the region: a complaint about Department 19, its talon written on request
    talon = tmp_path / "talon.pdf"
    r = d.at("region", "complaint", "add", "--department", "19", "--complainant",
             "Әлиев Марат", "--text", "Жауап жоқ", "--clerk", "oblclerk", "--talon",
             str(talon), "--json")  # fmt: skip
    assert r.code == 0, r.out + r.err
    got = r.json
    assert (got["complaint_no"], got["department_code"], got["at_region"]) == (
        "00-2026-C0001", 19, True)  # fmt: skip
    assert talon.read_bytes()[:4] == b"%PDF"
    # the regional desk needs the Department; a Department desk refuses one: usage (2)
    r = d.at("region", "complaint", "add", "--complainant", "X", "--text", "y", "--json")
    assert r.code == 2 and "Traceback" not in r.err
    r = d.at("dept", "complaint", "add", "--department", "7", "--complainant", "X", "--text",
             "y", "--json")  # fmt: skip
    assert r.code == 2

    # at the Department: its own complaint, answered, escalated
    own_talon = tmp_path / "own-talon.pdf"
    no = d.at("dept", "complaint", "add", "--complainant", "Серіков Асқар", "--text",
              "Кезек", "--clerk", "aigul", "--talon", str(own_talon),
              "--json").json["complaint_no"]  # fmt: skip
    assert no == "19-2026-C0001" and own_talon.read_bytes()[:4] == b"%PDF"
    r = d.at("dept", "complaint", "escalate", no, "--json")
    assert r.code == 1 and "error" in r.json  # not answered yet
    assert d.at("dept", "complaint", "answer", no, "--clerk", "bastyk", "--answer", "Жоқ",
                "--json").code == 0  # fmt: skip
    r = d.at("dept", "complaint", "escalate", no, "--clerk", "aigul", "--json")
    assert r.code == 0 and r.json["second_instance"] == "escalated"
    assert r.json["second_due"] == "2026-03-17"

    assert _move(d, "dept", "region", "0", tmp_path)["applied"] == 1
    rows = {x["complaint_no"]: x for x in d.at("region", "complaint", "list", "--json").json}
    assert rows[no]["instance"] == 2 and rows[no]["days_left"] == 15
    assert rows["00-2026-C0001"]["instance"] == 1
    # only the regional head answers: the clerk is refused (1), the head is not
    r = d.at("region", "complaint", "answer", no, "--clerk", "oblclerk", "--json")
    assert r.code == 1 and "error" in r.json
    r = d.at("region", "complaint", "answer", no, "--clerk", "oblhead", "--justified",
             "--satisfied", "--answer", "Қайта қаралады", "--json")  # fmt: skip
    assert r.code == 0 and r.json["second_instance"] == "answered"
    assert d.at("region", "complaint", "answer", "00-2026-C0001", "--clerk", "oblhead",
                "--json").code == 0  # fmt: skip

    assert _move(d, "region", "dept", "19", tmp_path)["applied"] == 3
    mine = {x["complaint_no"]: x for x in d.at("dept", "complaint", "list", "--json").json}
    assert mine[no]["second_instance"] == "answered" and mine[no]["second_satisfied"] is True
    assert mine["00-2026-C0001"]["at_region"] is True
    assert mine["00-2026-C0001"]["status"] == "answered"
    human = d.at("dept", "complaint", "list")
    assert human.code == 0 and "[region]" in human.out


def test_answer_needs_its_head_and_bad_input_is_one_line(desks: TwoDesks) -> None:  # noqa: F811
    d = desks
    r = d.at("region", "complaint", "answer", "00-2026-C0009", "--json")
    assert r.code == 2 and "Traceback" not in r.err  # --clerk is required
    r = d.at("region", "complaint", "answer", "00-2026-C0009", "--clerk", "nobody", "--json")
    assert r.code == 1 and "error" in r.json
    r = d.at("region", "complaint", "add", "--department", "42", "--complainant", "X",
             "--text", "y", "--json")  # fmt: skip
    assert r.code == 1 and "error" in r.json
    r = d.at("dept", "complaint", "escalate", "19-2026-C0404", "--json")
    assert r.code == 1 and "error" in r.json


def test_complaint_commands_in_a_real_process_never_a_traceback(
    proc: Any, tmp_path: Path  # noqa: F811
) -> None:
    """Exit 1 with one JSON value for refused input, 2 for usage, in Kazakh by default."""
    env = {"MSS_DESK_DATA_DIR": str(tmp_path / "data"), "MSS_DESK_NOW": "2026-03-02T10:00+05:00"}
    db = str(tmp_path / "region.sqlite3")
    assert proc("--db", db, "init", "--regional", "--json", env=env).code == 0
    r = proc("--db", db, "complaint", "answer", "00-2026-C0001", "--clerk", "nobody", "--json",
             env=env)  # fmt: skip
    assert r.code == 1 and set(r.json) == {"error"}
    r = proc("--db", db, "complaint", "add", "--complainant", "X", "--text", "y", env=env)
    assert r.code == 2 and "--department" in r.err
    r = proc("--db", db, "complaint", env=env)
    assert r.code == 2
    r = proc("--db", db, "complaint", "list", "--json", env=env)
    assert r.code == 0 and r.json == []
