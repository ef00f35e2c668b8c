"""One date parser for every screen: dd.mm.yyyy as the desk shows dates, or ISO."""

from __future__ import annotations

from datetime import date

import pytest

from mss_desk.i18n.dates import format_date, parse_day
from widgets import day_field


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("02.03.2026", date(2026, 3, 2)),
        (" 2.3.2026 ", date(2026, 3, 2)),
        ("2026-03-02", date(2026, 3, 2)),
        ("29.02.2024", date(2024, 2, 29)),
    ],
)
def test_both_formats_are_read(text: str, day: date) -> None:
    assert parse_day(text) == day
    assert day_field.parse_day(text) == day  # the lifecycle forms use the same parser
    assert day_field.required_day(text) == day


@pytest.mark.parametrize(
    "text",
    ["", "   ", "31.02.2026", "02.03.26", "2026-3-2", "20260302", "2026-W10-1", "02/03/2026", "x"],
)
def test_anything_else_is_not_a_day(text: str) -> None:
    assert parse_day(text) is None


def test_a_shown_date_reads_back() -> None:
    day = date(1945, 3, 15)
    assert parse_day(format_date(day)) == day


def test_a_bad_date_on_a_form_is_refused_in_words() -> None:
    from mss_desk.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        day_field.required_day("31.02.2026")
    assert err.value.key == "lifecycle.ui.bad_date"
