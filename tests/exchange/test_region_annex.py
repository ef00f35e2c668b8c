"""Annex 2 for the region (issue 14, point 2) and the monthly summary (point 5): a
Department's export adds its finished months' counts, the region keeps the latest per
Department and month (applied once), and the regional Annex 2 says where each Department's
figures come from: its summary, live from its rows on the shared server, or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.conftest import DEPT
from tests.exchange.conftest import OTHER, Desk
from tests.lifecycle.conftest import CaseFactory

FEB = "2026-02"


def _summaries_out(desk: Desk) -> list[dict[str, Any]]:
    from mss_desk.store.models import ExchangeOutbox

    with Session(desk.services.engine) as s:
        rows = s.exec(
            select(ExchangeOutbox)
            .where(ExchangeOutbox.kind == "summary.monthly")
            .order_by(ExchangeOutbox.seq)
        ).all()
        return [json.loads(r.payload) for r in rows]


def _kept(region: Desk) -> list[Any]:
    from mss_desk.store.models import RegionSummary

    with Session(region.services.engine) as s:
        return list(s.exec(select(RegionSummary)).all())


def _annex(region: Desk, month: str = FEB) -> Any:
    from mss_desk.exchange.summary import RegionReportService

    return RegionReportService(region.services).annex2(month)


def _line(annex: Any, code: int) -> Any:
    return next(d for d in annex.departments if d.code == code)


def _carry(a: Desk, b: Desk, path: Path) -> Any:
    a.exchange.export(b.code, path)
    return b.exchange.import_bundle(path)


def test_export_adds_a_summary_of_each_finished_month_counts_only(dept: Desk) -> None:
    assert dept.make is not None
    dept.make.case("2026-02-16 10:00")
    dept.make.case("2026-03-02 09:00")  # this month: not finished, not summarised
    assert _summaries_out(dept) == []  # nothing until an export to the region
    dept.exchange.export(0, dept.folder / "b1.mssx")
    [summary] = _summaries_out(dept)
    assert summary["month"] == FEB and summary["department_code"] == DEPT
    assert (summary["start"], summary["end"]) == ("2026-02-01", "2026-02-28")
    assert set(summary["indicators"]) == {
        "1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4", "5.1",
    }  # fmt: skip
    assert summary["indicators"]["3.2"] == {"numerator": 1, "denominator": 1}
    # no personal data: counts only
    text = json.dumps(summary, ensure_ascii=False)
    assert "Әлиев" not in text and "iin" not in text
    # exported again, unchanged: no second summary
    dept.exchange.export(0, dept.folder / "b2.mssx")
    assert len(_summaries_out(dept)) == 1


def test_summary_round_trip_and_the_regional_annex(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    assert dept.make is not None
    dept.make.case("2026-02-16 10:00")
    got = _carry(dept, region, tmp_path / "up.mssx")
    assert (got.applied, got.problems) == (1, [])
    [kept] = _kept(region)
    assert (kept.department_code, kept.month) == (DEPT, FEB)
    annex = _annex(region)
    mine = _line(annex, DEPT)
    assert mine.source == "summary" and mine.summarised_at is not None
    assert mine.value("3.2") == 100.0
    assert _line(annex, OTHER).source == "none" and _line(annex, OTHER).rows == ()
    assert len(annex.departments) == 19
    total = {r.no: r for r in annex.total}
    assert (total["3.2"].numerator, total["3.2"].denominator, total["3.2"].value) == (1, 1, 100.0)
    assert total["1.2"].value is None  # no data: "no data", not zero
    # another month: nothing received from anybody
    assert {d.source for d in _annex(region, "2026-01").departments} == {"none"}
    out = annex.as_json()
    assert out["month"] == FEB and out["departments"][0]["code"] == 1


def test_a_changed_month_is_sent_again_and_replaces_the_old_figures(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    assert dept.make is not None
    dept.make.case("2026-02-16 10:00")
    _carry(dept, region, tmp_path / "first.mssx")
    # a file accepted in February typed in later: February's figures changed
    dept.make.case("2026-02-20 10:00", submitted="2026-02-19 10:00")
    dept.exchange.export(0, tmp_path / "second.mssx")
    sent = _summaries_out(dept)
    assert [s["month"] for s in sent] == [FEB, FEB]
    assert sent[1]["indicators"]["3.2"] == {"numerator": 1, "denominator": 2}
    got = region.exchange.import_bundle(tmp_path / "second.mssx")
    assert got.applied == 1 and got.already_had == 1  # the first summary: applied once
    [kept] = _kept(region)
    assert json.loads(kept.indicators)["3.2"] == {"numerator": 1, "denominator": 2}
    assert _line(_annex(region), DEPT).value("3.2") == 50.0
    # the older bundle again: nothing changes twice, the newer figures stay
    again = region.exchange.import_bundle(tmp_path / "first.mssx")
    assert (again.applied, again.already_had) == (0, 1)
    [kept] = _kept(region)
    assert json.loads(kept.indicators)["3.2"]["denominator"] == 2


def test_an_older_summary_arriving_late_does_not_win(region: Desk) -> None:
    """Latest wins by the sender's number, whatever order the messages are applied in."""
    from mss_desk.exchange.apply import apply_summary

    figures = {"3.2": {"numerator": 1, "denominator": 2}}
    old = {"numerator": 1, "denominator": 1}
    with Session(region.services.engine) as s, s.begin():
        for seq, fig in ((5, figures), (3, {"3.2": old})):
            apply_summary(s, region.services.reports, DEPT, {
                "id": f"m{seq}", "seq": seq, "created_at": "2026-03-01T10:00:00+00:00",
                "payload": {"month": FEB, "department_code": DEPT, "indicators": fig},
            })  # fmt: skip
    [kept] = _kept(region)
    assert (kept.seq, kept.message_id) == (5, "m5")


@pytest.mark.parametrize(
    "payload",
    [
        {"month": "2026-13", "indicators": {}},
        {"month": FEB, "indicators": {"3.2": {"numerator": 3, "denominator": 2}}},
        {"month": FEB, "department_code": OTHER, "indicators": {}},
        {"indicators": {}},
    ],
)
def test_a_damaged_summary_is_a_problem_not_applied(region: Desk, payload: Any) -> None:
    from mss_desk.exchange.apply import apply_message

    with Session(region.services.engine) as s, s.begin():
        message = {"id": "x", "seq": 1, "kind": "summary.monthly", "payload": payload,
                   "created_at": "2026-03-01T10:00:00+00:00"}  # fmt: skip
        problem = apply_message(s, region.services.reports, 0, DEPT, message)
    assert problem in ("exchange.problem.bad_payload", "exchange.problem.not_senders_file")
    assert _kept(region) == []


def test_a_department_on_the_shared_server_is_counted_live(
    region: Desk, clock: Any, catalog: Any
) -> None:
    """A Department whose rows are in the regional database and that has no exchange key
    (it works on the shared server): its figures are counted from its rows there."""
    from mss_desk.services import Services

    hub = Services(region.services.engine, clock, catalog, department=OTHER)
    hub.setup.init_department(OTHER)
    make = CaseFactory(hub)
    make.case("2026-02-16 10:00")
    make.case("2026-02-17 10:00", submitted="2026-02-16 10:00")
    annex = _annex(region)
    live = _line(annex, OTHER)
    assert live.source == "live" and live.summarised_at is None
    assert live.value("3.2") == 50.0
    assert _line(annex, DEPT).source == "none"
    assert {r.no: r.denominator for r in annex.total}["3.2"] == 2


def test_only_the_regional_desk_has_the_regional_annex(dept: Desk) -> None:
    from mss_desk.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        _annex(dept)
    assert err.value.key == "region_report.not_regional"


def test_a_bad_month_is_invalid_input(region: Desk) -> None:
    from mss_desk.errors import ValidationError

    for bad in ("2026-2", "26-02", "2026/02", "2026-00"):
        with pytest.raises(ValidationError):
            _annex(region, bad)


def test_no_summary_from_a_desk_with_nothing_yet(
    desk_factory: Callable[..., Desk], region: Desk, tmp_path: Path
) -> None:
    from tests.exchange.conftest import introduce

    fresh = desk_factory(OTHER)
    introduce(fresh, region)
    assert fresh.exchange.export(0, tmp_path / "empty.mssx").messages == 0


def test_the_region_sees_what_the_departments_own_report_says(
    dept: Desk, region: Desk, tmp_path: Path, clock: Any
) -> None:
    """The summary is the Department's own Annex 2 of the month (``reports.indicators``),
    value for value, counted on the day it was made."""
    from datetime import date, timedelta

    assert dept.make is not None
    dept.make.case("2026-01-12 10:00")  # due long ago: 1.1 has data
    dept.make.case("2026-02-16 10:00", submitted="2026-02-13 10:00")
    dept.make.case("2026-02-18 10:00", status="ready", result_ready_on=date(2026, 2, 27))
    dept.services.queue.issue("submit")  # today's ticket: not in a finished month
    _carry(dept, region, tmp_path / "up.mssx")
    for month, start, end in ((FEB, date(2026, 2, 1), date(2026, 2, 28)),
                              ("2026-01", date(2026, 1, 1), date(2026, 1, 31))):  # fmt: skip
        own = dept.services.reports.indicators(start, end)
        seen = _line(_annex(region, month), DEPT)
        assert seen.source == "summary"
        assert [(r.no, r.value, r.numerator, r.denominator) for r in seen.rows] == [
            (r.no, r.value, r.numerator, r.denominator) for r in own.rows
        ]
    clock.set(clock.now() + timedelta(days=40))  # April: March is finished too
    dept.exchange.export(0, tmp_path / "april.mssx")
    assert [s["month"] for s in _summaries_out(dept)][-1] == "2026-03"
