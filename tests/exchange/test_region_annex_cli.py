"""``mss-desk report --region --month YYYY-MM``: the regional Annex 2 from a script, after a
Department's summary travelled by bundle (``exchange export`` adds it); exit 0 / 1 / 2,
never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.exchange.test_cli import TwoDesks, desks  # noqa: F401 - the fixture


def _accept_in_february(tmp_path: Path, clock: Any, catalog: Any) -> None:
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store
    from tests.lifecycle.conftest import CaseFactory

    engine = open_store(f"sqlite:///{tmp_path / 'dept.sqlite3'}")
    try:
        CaseFactory(Services(engine, clock, catalog)).case("2026-02-16 10:00")
    finally:
        engine.dispose()


def test_report_region_after_a_summary_travelled(
    desks: TwoDesks, tmp_path: Path, clock: Any, catalog: Any  # noqa: F811
) -> None:
    region = desks.at("region", "exchange", "key", "show", "--json").json["public_key"]
    dept = desks.at("dept", "exchange", "key", "show", "--json").json["public_key"]
    assert desks.at("dept", "exchange", "key", "add", "0", region).code == 0
    assert desks.at("region", "exchange", "key", "add", "19", dept).code == 0
    _accept_in_february(tmp_path, clock, catalog)
    out = tmp_path / "up.mssx"
    sent = desks.at("dept", "exchange", "export", "--to", "0", "--out", str(out), "--json")
    assert sent.code == 0 and sent.json["messages"] == 1  # February's summary
    got = desks.at("region", "exchange", "import", str(out), "--json")
    assert got.json == {"applied": 1, "already_had": 0, "problems": []}

    r = desks.at("region", "report", "--region", "--month", "2026-02", "--json")
    assert r.code == 0, r.err
    data = r.json
    assert data["month"] == "2026-02" and data["region"]["3.2"]["value"] == 100.0
    lines = {d["code"]: d for d in data["departments"]}
    assert len(lines) == 19
    assert lines[19]["source"] == "summary" and lines[19]["summarised_on"] == "2026-03-02"
    assert lines[19]["indicators"]["3.2"] == {"value": 100.0, "numerator": 1, "denominator": 1}
    assert lines[7]["source"] == "none" and lines[7]["indicators"] == {}

    human = desks.at("region", "report", "--region", "--month", "2026-02", "--lang", "en")
    assert human.code == 0
    assert "Annex 2 for the region, 2026-02 (01.02.2026 – 28.02.2026)" in human.out
    assert "summary of 02.03.2026" in human.out and "nothing received" in human.out
    kk = desks.at("region", "report", "--region", "--month", "2026-02", "--lang", "kk")
    assert "Облыс бойынша 2-қосымша" in kk.out


@pytest.mark.parametrize(
    ("who", "args", "code"),
    [
        ("region", ("--region",), 2),  # no month
        ("region", ("--month", "2026-02"), 2),  # a month without --region
        ("region", (), 2),  # neither a period nor a month
        ("region", ("--region", "--month", "2026-02", "--from", "2026-02-01"), 2),
        ("region", ("--region", "--month", "2026-13"), 1),  # not a month
        ("region", ("--region", "--month", "Feb"), 1),
        ("dept", ("--region", "--month", "2026-02"), 1),  # a Department's desk
    ],
)
def test_report_region_exit_codes(
    desks: TwoDesks, who: str, args: tuple[str, ...], code: int  # noqa: F811
) -> None:
    r = desks.at(who, "report", *args, "--json")
    assert r.code == code, r.out + r.err
    assert "error" in r.json
    assert "Traceback" not in r.out + r.err


def test_the_department_report_still_needs_its_period(desks: TwoDesks) -> None:  # noqa: F811
    ok = desks.at("dept", "report", "--from", "2026-03-01", "--to", "2026-03-02", "--json")
    assert ok.code == 0 and "1.1" in ok.json["indicators"]
    assert desks.at("dept", "report", "--from", "2026-03-01", "--json").code == 2
