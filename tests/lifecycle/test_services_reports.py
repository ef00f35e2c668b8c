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
    assert js["indicators"]["1.1"] == {"value": None, "normative": 100.0, "target": 96.2}
    assert js["indicators"]["4.1"] == {"value": None, "normative": 0.1, "target": 0.1}
    assert len(js["indicators"]) == 12


def test_period_must_be_in_order(reports: Any) -> None:
    with pytest.raises(ValidationError) as err:
        reports.indicators(date(2026, 3, 2), date(2026, 3, 1))
    assert err.value.key == "lifecycle.error.period"


@pytest.fixture
def march(
    services: Any,
    make: Any,
    lifecycle: Any,
    complaints: Any,
    reports: Any,
    clerk: Any,
    head: Any,
    clock: Any,
) -> dict[str, str]:
    """A March with known answers (see each indicator's test below)."""
    at = clock.set

    # Mon 2 March: two submit tickets waiting exactly 40 and 41 minutes; one consult 90
    at(local_dt("2026-03-02 09:00"))
    services.queue.issue("submit")
    services.queue.issue("submit")
    services.queue.issue("consult")
    at(local_dt("2026-03-02 09:40"))
    services.queue.call_next("submit", clerk.id)
    at(local_dt("2026-03-02 09:41"))
    services.queue.call_next("submit", clerk.id)
    at(local_dt("2026-03-02 10:30"))
    services.queue.call_next("consult", clerk.id)

    # B's applicant was first sent home for a missing document, then accepted
    x = make.applicant("Сәрсенов")
    make.case(None, applicant_id=x, submitted="2026-03-02 09:50")
    a = make.case("2026-03-02 10:00")
    b = make.case("2026-03-02 11:00", applicant_id=x)
    c = make.case("2026-03-20 10:00")  # due in April: not in 1.1 nor 2.2 for March
    make.case("2026-02-10 10:00")  # February: outside everything

    at(local_dt("2026-03-03 10:00"))
    lifecycle.forward([a, b], clerk.id)
    at(local_dt("2026-03-05 10:00"))
    lifecycle.return_for_correction(b, clerk.id, "medical card unsigned")
    complaints.register("Әлиев", "Дөрекілік", clerk.id, case_no=a)  # justified, on time
    complaints.register("Петров", "Очередь", clerk.id)  # not justified
    at(local_dt("2026-03-06 10:00"))
    lifecycle.forward([b], clerk.id)
    at(local_dt("2026-03-10 10:00"))
    lifecycle.decide(
        a, clerk.id, "referral", referral_no="1", institution_name="МӘМ", ownership="state"
    )
    n1, n2 = (x.complaint_no for x in complaints.list()[::-1])
    complaints.review(n1, head.id, justified=True, satisfied=True)
    complaints.review(n2, head.id, justified=False, satisfied=False)
    at(local_dt("2026-03-12 10:00"))
    lifecycle.result_ready(a, clerk.id)  # service due 17 March: on time
    t = services.queue.issue("collect")  # never called: not in 1.2
    lifecycle.deliver(
        a,
        clerk.id,
        "in_person",
        ticket_id=t.id,
        survey={"2.1": True, "3.1": True, "4.3": False, "5.1": True},
    )
    at(local_dt("2026-03-18 10:00"))
    lifecycle.decide(b, clerk.id, "refusal", reason="item 17")
    lifecycle.result_ready(b, clerk.id)  # service due 17 March: a day late
    lifecycle.deliver(b, clerk.id, "post", postal_address="Көкшетау", survey={"2.1": False})
    at(local_dt("2026-04-10 10:00"))
    reports.enter_value("3.3", 2026, 40, head.id)
    return {"a": a, "b": b, "c": c}


def test_known_month(reports: Any, march: dict[str, str]) -> None:
    rep = reports.indicators(*MARCH)
    got = {r.no: r.value for r in rep.rows}
    assert got == {
        "1.1": 50.0,  # A ready 12 Mar (due 17), B ready 18 Mar (due 17)
        "1.2": 50.0,  # 40 min ok, 41 min breach; consult and never-called not counted
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
    assert row11.endswith(",50,100,96.2,1,2")


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
