"""``mss-desk deadlines``: items 5 and 7.1 with the non-working-day decision (SPEC)."""

from __future__ import annotations

import pytest

KEYS = {"service_due", "forward_due", "decision_due", "binding_due"}


def test_not_forwarded_exact_shape(cli) -> None:  # type: ignore[no-untyped-def]
    # Monday 2 March 2026: +15 calendar days = Tuesday 17 March; +10 = Thursday 12 March
    r = cli("deadlines", "--accepted", "2026-03-02T10:00", "--json")
    assert r.code == 0
    assert r.json == {
        "service_due": "2026-03-17",
        "forward_due": "2026-03-12",
        "decision_due": None,
        "binding_due": "2026-03-17",
    }


def test_forwarded_decision_counts_working_days(cli) -> None:  # type: ignore[no-untyped-def]
    # forwarded Thu 5 March; 8 March (Sunday) moves the day off to Monday 9 March:
    # 6, 10, 11, 12, 13, 16, 17, 18, 19, 20 -> Friday 20 March; the service deadline bites first
    body = cli(
        "deadlines", "--accepted", "2026-03-02T10:00", "--forwarded", "2026-03-05", "--json"
    ).json
    assert set(body) == KEYS
    assert body["decision_due"] == "2026-03-20"
    assert body["binding_due"] == body["service_due"] == "2026-03-17"


def test_decision_deadline_binds_when_earlier(cli) -> None:  # type: ignore[no-untyped-def]
    body = cli(
        "deadlines", "--accepted", "2026-04-01T09:30", "--forwarded", "2026-04-01", "--json"
    ).json
    assert body["decision_due"] < body["service_due"]
    assert body["binding_due"] == body["decision_due"]


def test_calendar_day_deadline_on_a_weekend_moves_to_monday(cli) -> None:  # type: ignore[no-untyped-def]
    # Wednesday 4 March 2026 + 10 = Saturday 14 March -> Monday 16 March
    body = cli("deadlines", "--accepted", "2026-03-04T15:00", "--json").json
    assert body["forward_due"] == "2026-03-16"


def test_human_output_in_russian(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--lang", "ru", "deadlines", "--accepted", "2026-03-02T10:00")
    assert r.code == 0
    assert "17.03.2026" in r.out and "п. 7.1" in r.out
    assert len(r.out.splitlines()) == 4


@pytest.mark.parametrize(
    "argv",
    [
        ["--accepted", "2026-02-30T10:00"],
        ["--accepted", "2026-03-02"],
        ["--accepted", "02.03.2026 10:00"],
        ["--accepted", "2026-03-02T25:00"],
        ["--accepted", "2026-03-02T10:00", "--forwarded", "2026-13-01"],
        ["--accepted", "2026-03-02T10:00", "--forwarded", "5 March"],
    ],
)
def test_invalid_dates_exit_1(cli, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = cli("deadlines", *argv, "--json")
    assert r.code == 1
    assert set(r.json) == {"error"}
    assert "YYYY-MM-DD" in r.json["error"]


def test_forwarded_before_accepted_exit_1(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("deadlines", "--accepted", "2026-03-02T10:00", "--forwarded", "2026-03-01", "--json")
    assert r.code == 1 and "before" in r.json["error"]


def test_missing_accepted_is_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("deadlines", "--json").code == 2


def test_real_process(proc) -> None:  # type: ignore[no-untyped-def]
    r = proc("deadlines", "--accepted", "2026-03-02T10:00", "--json")
    assert r.code == 0 and r.json["service_due"] == "2026-03-17"
    r = proc("deadlines", "--accepted", "2026-02-30T10:00", "--json")
    assert r.code == 1 and set(r.json) == {"error"}
