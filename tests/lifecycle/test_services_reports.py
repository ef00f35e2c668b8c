"""The indicators report on a hand-made month with known answers, and on empty periods."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mss_desk.errors import RuleViolation, ValidationError
from mss_desk.rules.indicators import INDICATOR_NOS
from mss_desk.services.reports import format_value, report_csv
from tests.conftest import local_dt

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_empty_database_gives_no_data_everywhere(reports: Any, catalog: Any) -> None:
    rep = reports.indicators(*MARCH)
    assert [r.no for r in rep.rows] == list(INDICATOR_NOS)
    assert all(r.value is None and r.denominator == 0 for r in rep.rows)
    js = rep.as_json()
    assert set(js) == {"indicators"}
    assert js["indicators"]["1.1"] == {
        "value": None, "normative": 100.0, "target": 96.2, "target_year": 2008,
        "direction": "higher", "meets": None,
    }
    assert js["indicators"]["4.1"] == {
        "value": None, "normative": 0.1, "target": 0.1, "target_year": 2008,
        "direction": "lower", "meets": None,
    }
    assert len(js["indicators"]) == 12


def test_period_must_be_in_order(reports: Any) -> None:
    with pytest.raises(ValidationError) as err:
        reports.indicators(date(2026, 3, 2), date(2026, 3, 1))
    assert err.value.key == "lifecycle.error.period"


def test_known_month(reports: Any, march: dict[str, str]) -> None:
    rep = reports.indicators(*MARCH)
    got = {r.no: r.value for r in rep.rows}
    assert got == {
        "1.1": 50.0,  # A ready 12 Mar (due 17), B ready 18 Mar (due 17)
        # 40 min ok, 41 min breach, consult not counted; the collect ticket of 12 March was
        # never called: it waited 10:00-18:00, a breach (issue 11.6: every ticket counts)
        "1.2": 33.33,
        "2.1": 50.0,  # A yes, B no
        "2.2": 50.0,  # A and B first forwarded in March; B returned
        "3.1": 100.0,
        "3.2": 66.67,  # A and C first time; B after a return
        "3.3": 40.0,  # entered by the head
        "4.1": 33.33,  # 1 justified complaint of 3 consumers served (accepted) in March
        "4.2": 100.0,
        "4.3": 0.0,
        "4.4": None,  # nobody answered it
        "5.1": 100.0,
    }
    r11 = rep.row("1.1")
    assert (r11.numerator, r11.denominator, r11.normative, r11.target) == (1, 2, 100.0, 96.2)


def test_a_period_with_no_activity_is_no_data_not_zero(reports: Any, march: dict[str, str]) -> None:
    rep = reports.indicators(date(2026, 1, 1), date(2026, 1, 31))
    got = {r.no: r.value for r in rep.rows}
    assert got == {no: (40.0 if no == "3.3" else None) for no in INDICATOR_NOS}
    rep = reports.indicators(date(2025, 1, 1), date(2025, 12, 31))
    assert rep.row("3.3").value is None  # entered for 2026 only


def test_csv_says_no_data_in_words(reports: Any, march: dict[str, str]) -> None:
    text = report_csv(reports.indicators(*MARCH), "kk")
    lines = text.splitlines()
    assert lines[0].split(",")[:5] == [
        "no",
        "Көрсеткіш",
        "Мәні",
        "Нормативтік мәні",
        "Мақсатты мәні",
    ]
    assert len(lines) == 13
    row44 = next(ln for ln in lines if ln.startswith("4.4,"))
    assert "Деректер жоқ" in row44
    row11 = next(ln for ln in lines if ln.startswith("1.1,"))
    assert row11.endswith(",50,100,96.2,1,2,higher,2008,no")


def test_format_value() -> None:
    assert format_value(None, "ru") == "Нет данных"
    assert format_value(66.67, "kk") == "66,67"
    assert format_value(50.0, "en") == "50"


def test_only_the_head_enters_3_3(reports: Any, clerk: Any, head: Any) -> None:
    with pytest.raises(RuleViolation) as err:
        reports.enter_value("3.3", 2026, 40, clerk.id)
    assert err.value.key == "lifecycle.error.head_only"
    with pytest.raises(ValidationError) as verr:
        reports.enter_value("3.3", 2026, 101, head.id)
    assert verr.value.key == "lifecycle.error.entered_value"
    with pytest.raises(ValidationError) as verr:
        reports.enter_value("1.1", 2026, 50, head.id)
    assert verr.value.key == "lifecycle.error.indicator_not_entered"
    reports.enter_value("3.3", 2026, 30, head.id)
    reports.enter_value("3.3", 2026, 32.5, head.id)  # a correction replaces the value
    assert reports.indicators(*MARCH).row("3.3").value == 32.5


def test_3_2_counts_a_file_completed_later_as_not_first_time(
    reports: Any, make: Any, clock: Any
) -> None:
    make.case("2026-03-02 10:00")  # accepted at the visit
    # returned incomplete on 2 March, the missing paper brought on 3 March: same case row
    make.case("2026-03-03 11:00", submitted="2026-03-02 10:30")
    clock.set(local_dt("2026-03-10 10:00"))
    r = reports.indicators(*MARCH).row("3.2")
    assert (r.numerator, r.denominator, r.value) == (1, 2, 50.0)
