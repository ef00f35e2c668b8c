"""``mss-desk init --regional``, ``exchange key show|make|add``, ``exchange export|import``
and ``decide`` from a script: one JSON value, exit 0 / 1 / 2, never a traceback, never a
private key on the screen."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.exchange.conftest import Result

Cli = Callable[..., Result]


class TwoDesks:
    """A Department desk (19) and the regional desk, each with its own data dir."""

    def __init__(self, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cli, self.tmp, self.mp = cli, tmp_path, monkeypatch
        monkeypatch.setenv("MSS_DESK_NOW", "2026-03-02T10:00+05:00")

    def at(self, who: str, *args: str) -> Result:
        self.mp.setenv("MSS_DESK_DATA_DIR", str(self.tmp / who))
        return self.cli("--db", str(self.tmp / f"{who}.sqlite3"), *args)


@pytest.fixture
def desks(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TwoDesks:
    d = TwoDesks(cli, tmp_path, monkeypatch)
    assert d.at("region", "init", "--regional", "--json").json["department"] == 0
    assert d.at("dept", "init", "--department", "19", "--json").code == 0
    return d


def test_init_makes_the_keys_private_and_key_show_prints_only_the_public_half(
    desks: TwoDesks, tmp_path: Path
) -> None:
    keys = tmp_path / "region" / "keys"
    assert stat.S_IMODE(os.stat(keys).st_mode) == 0o700
    for f in keys.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    shown = desks.at("region", "exchange", "key", "show", "--json")
    assert shown.code == 0
    data = shown.json
    assert set(data) == {"code", "public_key", "fingerprint"} and data["code"] == 0
    assert data["public_key"].startswith("mss1:age1")
    assert len(data["fingerprint"]) == 19  # ABCD-EFGH-IJKL-MNOP
    secrets = "".join(f.read_text() for f in keys.iterdir())
    assert "AGE-SECRET-KEY" in secrets and "PRIVATE KEY" in secrets
    human = desks.at("region", "exchange", "key", "show")
    assert "AGE-SECRET-KEY" not in human.out + shown.out
    assert "PRIVATE" not in human.out + shown.out


def test_key_make_keeps_existing_keys(desks: TwoDesks) -> None:
    before = desks.at("dept", "exchange", "key", "show", "--json").json
    again = desks.at("dept", "exchange", "key", "make", "--json").json
    assert again == {"code": 19, "fingerprint": before["fingerprint"], "made": False}


def test_key_add_trusts_a_desk_and_refuses_a_bad_key(desks: TwoDesks) -> None:
    region = desks.at("region", "exchange", "key", "show", "--json").json
    added = desks.at("dept", "exchange", "key", "add", "0", region["public_key"], "--json")
    assert added.json == {"code": 0, "fingerprint": region["fingerprint"]}
    bad = desks.at("dept", "exchange", "key", "add", "0", "age1nonsense", "--json")
    assert bad.code == 1 and "public key" in bad.json["error"]
    own = desks.at("dept", "exchange", "key", "add", "19", region["public_key"], "--json")
    assert own.code == 1


def test_usage_errors_exit_2(desks: TwoDesks) -> None:
    assert desks.at("dept", "exchange", "export", "--json").code == 2
    assert desks.at("dept", "exchange", "--json").code == 2
    assert desks.at("dept", "exchange", "key", "--json").code == 2
    r = desks.at("region", "decide", "19-2026-00001", "--referral", "7", "--json")
    assert r.code == 2 and "error" in r.json
    assert desks.at("x", "init", "--regional", "--department", "5", "--json").code == 2
    assert desks.at("x", "init", "--json").code == 2
    r = desks.at("region", "decide", "19-2026-00001", "--return", "x", "--reason", "y", "--json")
    assert r.code == 2


def test_export_to_an_untrusted_desk_is_refused(desks: TwoDesks, tmp_path: Path) -> None:
    r = desks.at("dept", "exchange", "export", "--to", "0", "--out", str(tmp_path / "b"), "--json")
    assert r.code == 1 and "key add" in r.json["error"]
    assert not (tmp_path / "b").exists()


def test_empty_bundles_travel_both_ways(desks: TwoDesks, tmp_path: Path) -> None:
    region = desks.at("region", "exchange", "key", "show", "--json").json["public_key"]
    dept = desks.at("dept", "exchange", "key", "show", "--json").json["public_key"]
    assert desks.at("dept", "exchange", "key", "add", "0", region).code == 0
    assert desks.at("region", "exchange", "key", "add", "19", dept).code == 0
    out = tmp_path / "to-region.mssx"
    r = desks.at("dept", "exchange", "export", "--to", "0", "--out", str(out), "--json")
    assert r.code == 0 and r.json == {"messages": 0, "bytes": out.stat().st_size}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    got = desks.at("region", "exchange", "import", str(out), "--json")
    assert got.json == {"applied": 0, "already_had": 0, "problems": []}
    assert desks.at("region", "cases", "--json").json == []
    # the Department cannot open what was sealed for the region
    wrong = desks.at("dept", "exchange", "import", str(out), "--json")
    assert wrong.code == 1 and "Nothing was applied" in wrong.json["error"]
    assert "Traceback" not in wrong.out + wrong.err
    missing = desks.at("region", "exchange", "import", str(tmp_path / "nope"), "--json")
    assert missing.code == 1 and "error" in missing.json
    # decide is the region's alone
    r = desks.at("dept", "decide", "19-2026-00001", "--refusal", "untrue", "--json")
    assert r.code == 1 and "Regional" in r.json["error"]


def _forward_one(tmp_path: Path, clock: Any, catalog: Any) -> str:
    """A file accepted and forwarded at the Department desk (the clerk's screens do this)."""
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store
    from tests.conftest import CLERK_PASSWORD
    from tests.lifecycle.conftest import CaseFactory

    engine = open_store(f"sqlite:///{tmp_path / 'dept.sqlite3'}")
    try:
        services = Services(engine, clock, catalog)
        clerk = services.clerks.create(19, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD)
        case_no = str(CaseFactory(services).case("2026-03-02 09:00"))
        services.lifecycle.forward([case_no], clerk.id)
    finally:
        engine.dispose()
    return case_no


def test_a_file_goes_to_the_region_and_its_decision_comes_back(
    desks: TwoDesks, tmp_path: Path, clock: Any, catalog: Any
) -> None:
    region = desks.at("region", "exchange", "key", "show", "--json").json["public_key"]
    dept = desks.at("dept", "exchange", "key", "show", "--json").json["public_key"]
    desks.at("dept", "exchange", "key", "add", "0", region)
    desks.at("region", "exchange", "key", "add", "19", dept)
    case_no = _forward_one(tmp_path, clock, catalog)
    b1, b2 = str(tmp_path / "1.mssx"), str(tmp_path / "2.mssx")
    assert desks.at("dept", "exchange", "export", "--to", "0", "--out", b1, "--json").json[
        "messages"
    ] == 1
    assert desks.at("region", "exchange", "import", b1, "--json").json["applied"] == 1
    listed = desks.at("region", "cases", "--json").json
    assert listed == [{"department_code": 19, "case_no": case_no, "status": "forwarded"}]
    r = desks.at(
        "region", "decide", case_no, "--referral", "R-5", "--institution", "Көкшетау МӘМ",
        "--json",
    )  # fmt: skip
    assert r.code == 0 and r.json["status"] == "decided" and r.json["department_code"] == 19
    again = desks.at("region", "decide", case_no, "--refusal", "untrue", "--json")
    assert again.code == 1 and "error" in again.json  # decided once
    assert desks.at("region", "exchange", "export", "--to", "19", "--out", b2).code == 0
    got = desks.at("dept", "exchange", "import", b2, "--json").json
    assert got == {"applied": 2, "already_had": 0, "problems": []}  # the receipt, the decision
    mine = desks.at("dept", "cases", "--json").json
    assert [(c["case_no"], c["status"]) for c in mine] == [(case_no, "decided")]
    status = desks.at("dept", "exchange", "status", "--json").json
    assert status == {
        "unacknowledged": 0, "received": 2, "problems": 0,
        "desks": [{"code": 0, "unacknowledged": 0, "received": 2, "problems": 0,
                   "trusted": True}],
        "problem_list": [],
    }  # fmt: skip
    human = desks.at("dept", "exchange", "import", b2, "--lang", "ru")
    assert human.code == 0 and "уже было 2" in human.out


def test_a_refused_bundle_in_a_real_process_is_one_line_and_exit_1(
    proc: Callable[..., Result], tmp_path: Path
) -> None:
    """No traceback, one JSON value, exit 1 (the ``proc`` fixture fails on a traceback)."""
    env = {"MSS_DESK_DATA_DIR": str(tmp_path / "data"), "MSS_DESK_NOW": "2026-03-02T10:00+05:00"}
    db = str(tmp_path / "region.sqlite3")
    assert proc("--db", db, "init", "--regional", "--json", env=env).code == 0
    junk = tmp_path / "junk.mssx"
    junk.write_bytes(b"age-encryption.org/v1\n-> X25519 garbage\n")
    r = proc("--db", db, "exchange", "import", str(junk), "--json", env=env)
    assert r.code == 1 and set(r.json) == {"error"}
    r = proc("--db", db, "exchange", "import", str(junk), "--lang", "kk", env=env)
    assert r.code == 1 and r.out == ""
    assert r.err.startswith("mss-desk: Бұл пакет") and "Ештеңе қолданылмады" in r.err
    r = proc("--db", db, "exchange", "export", "--json", env=env)
    assert r.code == 2


def test_status_lists_a_problem_on_both_desks_and_resolve_empties_it(
    desks: TwoDesks, tmp_path: Path, clock: Any, catalog: Any
) -> None:
    """Point 6 from a script: the region's decision meets a file the Department decided
    from paper; ``status --json`` lists the problem at the Department, and at the region
    once the Department's next bundle told it; ``exchange resolve ID`` empties each list."""
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    region = desks.at("region", "exchange", "key", "show", "--json").json["public_key"]
    dept = desks.at("dept", "exchange", "key", "show", "--json").json["public_key"]
    desks.at("dept", "exchange", "key", "add", "0", region)
    desks.at("region", "exchange", "key", "add", "19", dept)
    case_no = _forward_one(tmp_path, clock, catalog)
    b = [str(tmp_path / f"{i}.mssx") for i in range(3)]
    desks.at("dept", "exchange", "export", "--to", "0", "--out", b[0])
    desks.at("region", "exchange", "import", b[0])
    desks.at("region", "decide", case_no, "--refusal", "untrue")
    engine = open_store(f"sqlite:///{tmp_path / 'dept.sqlite3'}")
    try:  # the paper decision typed in at the Department before the bundle came
        Services(engine, clock, catalog).lifecycle.decide(case_no, None, "refusal", reason="x")
    finally:
        engine.dispose()
    desks.at("region", "exchange", "export", "--to", "19", "--out", b[1])
    got = desks.at("dept", "exchange", "import", b[1], "--json").json
    assert [p["problem"] for p in got["problems"]] == ["exchange.problem.case_changed"]
    [here] = desks.at("dept", "exchange", "status", "--json").json["problem_list"]
    assert (here["case_no"], here["desk"], here["reported"], here["kind"]) == (
        case_no, 0, False, "case.decided",
    )  # fmt: skip
    assert "decision was not applied" in here["text"]
    desks.at("dept", "exchange", "export", "--to", "0", "--out", b[2])
    desks.at("region", "exchange", "import", b[2])
    status = desks.at("region", "exchange", "status", "--json").json
    [there] = status["problem_list"]
    assert (there["case_no"], there["desk"], there["reported"], there["kind"]) == (
        case_no, 19, True, "case.decided",
    )  # fmt: skip
    assert "Phone the Department" in there["text"] and status["problems"] == 1
    human = desks.at("region", "exchange", "status", "--lang", "ru")
    assert human.code == 0 and "Позвоните в отдел" in human.out
    done = desks.at("region", "exchange", "resolve", there["id"], "--json")
    assert done.code == 0 and done.json["case_no"] == case_no
    assert desks.at("region", "exchange", "status", "--json").json["problem_list"] == []
    again = desks.at("region", "exchange", "resolve", there["id"], "--json")
    assert again.code == 1 and "error" in again.json
    assert desks.at("dept", "exchange", "resolve", here["id"], "--json").code == 0
    assert desks.at("dept", "exchange", "status", "--json").json["problems"] == 0
