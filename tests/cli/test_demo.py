"""``mss-desk demo``: a deterministic, realistic database with cases in every state."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mss_desk.cli import main

NOW = "2026-03-16T11:30"  # a working Monday, office open
STATES = {
    "accepted",
    "returned_incomplete",
    "forwarded",
    "decided",
    "result_ready",
    "delivered",
    "in_safekeeping",
}
KAZAKH_LETTERS = re.compile("[ӘҒҚҢӨҰҮҺІәғқңөұүһі]")


def _run(argv: list[str], capsys: Any = None) -> tuple[int, Any]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv)
    out = buf.getvalue()
    return code, (json.loads(out) if out.strip() else None)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    base = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MSS_DESK_DATA_DIR", str(base / "data"))
        mp.setenv("MSS_DESK_CONFIG_DIR", str(base / "config"))
        mp.delenv("MSS_DESK_DATABASE", raising=False)
        mp.setenv("MSS_DESK_NOW", NOW)
        from mss_desk.services import clerks

        mp.setattr(clerks, "SCRYPT_N", 2**8)  # tests/conftest.py's cheap KDF, module-wide
        path = str(base / "demo.sqlite3")
        code, report = _run(["demo", "--db", path, "--json"])
        assert code == 0, report
        yield path, report


def _cases(path: str) -> list[dict[str, Any]]:
    code, body = _run(["cases", "--db", path, "--json"])
    assert code == 0
    return body  # type: ignore[no-any-return]


def test_every_state_is_there(demo_db: tuple[str, Any], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path, report = demo_db
    assert set(report["cases_by_status"]) == STATES
    assert report["clerks"] >= 3 and report["tickets"] >= 30
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    cases = _cases(path)
    assert {c["status"] for c in cases} == STATES
    assert len(cases) == sum(report["cases_by_status"].values())
    numbered = [c for c in cases if c["status"] != "returned_incomplete"]
    assert all(re.fullmatch(r"01-20\d\d-\d{5}", c["case_no"]) for c in numbered)
    assert all(c["service_due"] for c in numbered)


def test_names_are_kazakh_and_russian(demo_db: tuple[str, Any], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    names = [c["applicant"] for c in _cases(demo_db[0])]
    kazakh = [n for n in names if KAZAKH_LETTERS.search(n)]
    russian = [n for n in names if not KAZAKH_LETTERS.search(n)]
    assert len(kazakh) >= 5 and len(russian) >= 2
    assert all(re.fullmatch(r"[А-ЯЁӘҒҚҢӨҰҮҺІа-яёәғқңөұүһі\- ]+", n) for n in names)


def test_iins_and_details_are_consistent(demo_db: tuple[str, Any], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from mss_desk.catalog import load_catalog
    from mss_desk.clock import FixedClock, parse_local
    from mss_desk.rules.iin import parse_iin
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    engine = open_store(f"sqlite:///{demo_db[0]}")
    try:
        svc = Services(
            engine, FixedClock(parse_local(NOW, ZoneInfo("Asia/Almaty"))), load_catalog()
        )
        rows = svc.cases.list()
        for row in rows:
            info = parse_iin(row.iin)
            if row.case_no:
                detail = svc.cases.get(row.case_no)
                assert detail.birth_date == info.birth_date and detail.sex == info.sex
        assert svc.clerks.authenticate("demo", "kokshe-desk-2026").role == "head"
    finally:
        engine.dispose()


def test_today_has_a_live_queue(demo_db: tuple[str, Any], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    code, today = _run(["ticket", "list", "--db", demo_db[0], "--json"])
    assert code == 0
    assert any(t["status"] == "waiting" for t in today)
    assert any(t["status"] == "called" for t in today)


def test_same_seed_same_database(demo_db: tuple[str, Any], tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    other = str(tmp_path / "again.sqlite3")
    code, report = _run(["demo", "--db", other, "--json"])
    assert code == 0
    assert report["cases_by_status"] == demo_db[1]["cases_by_status"]
    assert _cases(other) == _cases(demo_db[0])
    for day in ("2026-03-13", "2026-02-20"):
        a = _run(["ticket", "list", "--date", day, "--db", other, "--json"])
        b = _run(["ticket", "list", "--date", day, "--db", demo_db[0], "--json"])
        assert a == b and a[1]


def test_demo_refuses_a_database_in_use(demo_db: tuple[str, Any], cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    r = cli("demo", "--db", demo_db[0], "--json")
    assert r.code == 1 and "--db" in r.json["error"]


def test_weekend_other_seed_other_department(
    demo_db: tuple[str, Any], tmp_path: Path, cli, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-14T10:00")  # Saturday: no live queue today
    path = str(tmp_path / "sat.sqlite3")
    r = cli("--lang", "kk", "demo", "--seed", "7", "--department", "19", "--db", path)
    assert r.code == 0 and "kokshe-desk-2026" in r.out and len(r.out.splitlines()) == 1
    cases = cli("cases", "--db", path, "--json").json
    assert {c["status"] for c in cases} == STATES
    assert all(c["case_no"].startswith("19-") for c in cases if c["case_no"])
    assert [c["applicant"] for c in cases] != [c["applicant"] for c in _cases(demo_db[0])]
    r = cli("--lang", "ru", "ticket", "list", "--db", path)
    assert r.code == 0 and "талонов нет" in r.out


def test_talon_reprint(demo_db: tuple[str, Any], tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    case_no = next(c["case_no"] for c in _cases(demo_db[0]) if c["status"] == "accepted")
    out = tmp_path / "talon.pdf"
    r = cli("talon", case_no, "--out", str(out), "--db", demo_db[0], "--json")
    assert r.code == 0, r.out
    assert r.json == {"case_no": case_no, "file": str(out)}
    assert out.read_bytes().startswith(b"%PDF")
    assert (out.stat().st_mode & 0o777) == 0o600
    r = cli(
        "talon", "01-2026-99999", "--out", str(tmp_path / "x.pdf"), "--db", demo_db[0], "--json"
    )
    assert r.code == 1 and "01-2026-99999" in r.json["error"]
    assert cli("talon", case_no, "--db", demo_db[0]).code == 2  # --out is required


def test_forwarded_files_wait_in_the_outbox(demo_db: tuple[str, Any], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: the demo forwards through the services, so every file that went to the
    region left its message in the outbox, not yet acknowledged, as real work would."""
    import sqlite3

    path, _ = demo_db
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    sent = {c["case_no"] for c in _cases(path) if c["status"] not in
            ("accepted", "returned_incomplete")}  # fmt: skip
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT case_no, to_code, acked FROM exchange_outbox").fetchall()
    finally:
        con.close()
    assert sent and sent <= {r[0] for r in rows}
    assert {(r[1], r[2]) for r in rows} == {(0, 0)}


def test_the_demo_desk_has_its_keys_and_exports_its_outbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: the demo makes the desk's exchange keys as init does, so its forwarded
    files leave the outbox by a real bundle once the desk trusts the region."""
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    monkeypatch.setenv("MSS_DESK_DATA_DIR", str(tmp_path / "region-data"))
    region = str(tmp_path / "region.sqlite3")
    assert _run(["init", "--regional", "--db", region, "--json"])[0] == 0
    region_key = _run(["exchange", "key", "show", "--db", region, "--json"])[1]
    monkeypatch.setenv("MSS_DESK_DATA_DIR", str(tmp_path / "dept-data"))
    dept = str(tmp_path / "dept.sqlite3")
    assert _run(["demo", "--department", "19", "--db", dept, "--json"])[0] == 0
    code, key = _run(["exchange", "key", "show", "--db", dept, "--json"])
    assert code == 0 and key["code"] == 19
    code, _ = _run(
        ["exchange", "key", "add", "0", region_key["public_key"], "--db", dept, "--json"]
    )
    assert code == 0
    status = _run(["exchange", "status", "--db", dept, "--json"])[1]
    out = tmp_path / "b.mssx"
    code, sent = _run(["exchange", "export", "--to", "0", "--out", str(out), "--db", dept,
                       "--json"])  # fmt: skip
    # the forwarded files, and the finished months' Annex 2 summaries the export adds
    # (issue 14.5): all of it still unacknowledged afterwards
    after = _run(["exchange", "status", "--db", dept, "--json"])[1]
    assert code == 0 and sent["messages"] == after["unacknowledged"] > status["unacknowledged"] > 0


def test_regional_demo_brings_three_departments_by_real_bundles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: ``demo --regional``: the files of three Departments, moved by the real
    export/import; decided, returned, re-sent, and answers still in transit."""
    monkeypatch.setenv("MSS_DESK_NOW", NOW)
    path = str(tmp_path / "region.sqlite3")
    code, report = _run(["demo", "--regional", "--db", path, "--json"])
    assert code == 0, report
    assert report["departments"] == [19, 1, 7]
    assert set(report["cases_by_department"]) == {"19", "1", "7"}
    # forwarded (awaiting the region), decided, returned for correction (status accepted)
    assert {"forwarded", "decided", "accepted"} <= set(report["cases_by_status"])
    # what the region decided (demo_region.PLAN); only the files still waiting at their
    # Department travelled (the demo Departments decided the rest from paper)
    assert report["decided"] == {"referral": 2, "refusal": 1, "return": 2}
    assert report["freed_places"] == 1  # item 6.1: a place came free, first in line referred
    # Department 7 has not imported the region's answers (a receipt per file, issue 14
    # point 1, and its return): in transit; 19 and 1 acknowledged, but for the receipt of
    # 19's re-sent file
    seven = report["cases_by_department"]["7"]
    assert report["unacknowledged"] == {"1": 0, "7": seven + 1, "19": 1}
    # Department 19 corrected its returned file and sent it again: one message more; and
    # each Department's finished months came as Annex 2 summaries (issue 14.5)
    assert set(report["summaries"]) == {"19", "1", "7"} and report["summaries"]["19"] >= 1
    # (a month whose figures changed with the correction is sent again: latest wins)
    assert report["received"]["19"] >= (
        report["cases_by_department"]["19"] + 1 + report["summaries"]["19"]
    )
    cases = _cases(path)
    assert {c["department_code"] for c in cases} == {19, 1, 7}
    # the listing is what the report counted: forwarded, decided, returned (accepted)
    listed: dict[str, int] = {}
    for c in cases:
        listed[c["status"]] = listed.get(c["status"], 0) + 1
    assert listed == report["cases_by_status"]
    assert {"forwarded", "decided", "accepted"} <= set(listed)
    code, status = _run(["exchange", "status", "--db", path, "--json"])
    assert code == 0 and status["unacknowledged"] == seven + 2 and status["problems"] == 0
    # the desk's own keys were made (the regional desk can export at once)
    code, key = _run(["exchange", "key", "show", "--db", path, "--json"])
    assert code == 0 and key["code"] == 0
    # a second run refuses: the database already holds data
    assert _run(["demo", "--regional", "--db", path, "--json"])[0] == 1
