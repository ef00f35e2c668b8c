"""Indicator 1.2 counts every ticket (issue 11.6, SPEC "Queue", items 7.2, 7.3, 10): one never
called by closing time waited until closing and is closed as ``not_served``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from mss_desk.cli import main
from tests.conftest import local_dt

DAY = date(2026, 3, 2)


def _half_went_home(services: Any, clerk: Any, clock: Any) -> None:
    """Four submit tickets at 10:00; two called within 10 minutes, two never called."""
    clock.set(local_dt("2026-03-02 10:00"))
    for _ in range(4):
        services.queue.issue("submit")
    clock.set(local_dt("2026-03-02 10:10"))
    for _ in range(2):
        called = services.queue.call_next("submit", clerk.id)
        assert called is not None
        services.queue.serve(called.id)


def test_item_7_2_half_went_home_unserved_is_not_100_percent(
    services: Any, clerk: Any, clock: Any, reports: Any
) -> None:
    _half_went_home(services, clerk, clock)
    clock.set(local_dt("2026-03-03 11:00"))  # the next day; nobody ran the desk at 18:00
    row = reports.indicators(DAY, DAY).row("1.2")
    assert (row.numerator, row.denominator, row.value) == (2, 4, 50.0)
    statuses = [t.status for t in services.queue.day(DAY)]
    assert statuses == ["served", "served", "not_served", "not_served"]


def test_item_7_2_report_after_closing_the_same_day_counts_them(
    services: Any, clerk: Any, clock: Any, reports: Any
) -> None:
    _half_went_home(services, clerk, clock)
    clock.set(local_dt("2026-03-02 17:00"))  # still open: the two may yet be called
    row = reports.indicators(DAY, DAY).row("1.2")
    assert (row.numerator, row.denominator) == (2, 2)
    clock.set(local_dt("2026-03-02 18:00"))  # closed: they waited 8 hours
    row = reports.indicators(DAY, DAY).row("1.2")
    assert (row.numerator, row.denominator, row.value) == (2, 4, 50.0)
    # idempotent: reporting again changes nothing
    assert reports.indicators(DAY, DAY).row("1.2").denominator == 4


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_item_10_ticket_list_shows_not_served_after_that_day(
    services: Any,
    clerk: Any,
    clock: Any,
    db_arg: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _half_went_home(services, clerk, clock)
    monkeypatch.setenv("MSS_DESK_NOW", "2026-03-03T09:30")
    code, out = _run(capsys, "ticket", "list", "--date", "2026-03-02", "--db", db_arg, "--json")
    assert code == 0, out
    rows = json.loads(out)
    assert [(r["number"], r["status"]) for r in rows] == [
        ("A-001", "served"),
        ("A-002", "served"),
        ("A-003", "not_served"),
        ("A-004", "not_served"),
    ]
    assert rows[2]["called_at"] is None
    for lang, word in (("en", "not served"), ("ru", "не обслужен"), ("kk", "қызмет көрсетілмеді")):
        code, out = _run(
            capsys, "--lang", lang, "ticket", "list", "--date", "2026-03-02", "--db", db_arg
        )
        assert code == 0 and word in out, out
    code, out = _run(
        capsys, "report", "--db", db_arg, "--from", "2026-03-02", "--to", "2026-03-02", "--json"
    )
    assert code == 0
    assert json.loads(out)["indicators"]["1.2"]["value"] == 50.0


def test_item_7_2_counted_even_when_the_close_could_not_be_written(
    services: Any, clerk: Any, clock: Any, reports: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mss_desk.errors import StorageError

    _half_went_home(services, clerk, clock)
    clock.set(local_dt("2026-03-03 11:00"))

    def busy() -> int:
        raise StorageError("not saved", key="error.not_saved")

    monkeypatch.setattr(services.queue, "close_unserved", busy)
    row = reports.indicators(DAY, DAY).row("1.2")  # the report still says the truth
    assert (row.numerator, row.denominator, row.value) == (2, 4, 50.0)
