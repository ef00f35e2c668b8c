"""Properties over many inputs (hypothesis): IIN round trip, checksum, calendar arithmetic."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mss_desk.catalog import load_catalog
from mss_desk.errors import InvalidIIN
from mss_desk.rules.calendar import BusinessCalendar
from mss_desk.rules.eligibility import age_on
from mss_desk.rules.iin import control_digit, make_iin, parse_iin

CAL = BusinessCalendar(load_catalog().calendar_overrides)


def _reference_control(first11: str) -> int | None:
    """The SPEC's wording, written out independently of the module."""
    d = [int(c) for c in first11]
    s = sum((i + 1) * d[i] for i in range(11)) % 11
    if s != 10:
        return s
    w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    s = sum(w[i] * d[i] for i in range(11)) % 11
    return None if s == 10 else s


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_control_digit_matches_the_spec(first11: str) -> None:
    assert control_digit(first11) == _reference_control(first11)


@given(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["male", "female"]),
    st.integers(0, 9990),
)
def test_iin_round_trip(born: date, sex: str, serial: int) -> None:
    iin = make_iin(born, sex, serial)  # type: ignore[arg-type]
    info = parse_iin(iin)
    assert (info.birth_date, info.sex) == (born, sex)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_twelve_digits_parse_or_raise_invalid_iin(text: str) -> None:
    try:
        info = parse_iin(text)
    except InvalidIIN as exc:
        assert exc.key.startswith("rules.iin.")
    else:
        assert info.iin == text and 1800 <= info.birth_date.year <= 2099


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 120))
def test_age_grows_by_one_on_each_birthday(born: date, years: int) -> None:
    try:
        birthday = born.replace(year=born.year + years)
    except ValueError:  # 29 February: the birthday is 28 February
        birthday = date(born.year + years, 2, 28)
    assert age_on(born, birthday) == years
    if years:
        assert age_on(born, birthday - timedelta(days=1)) == years - 1


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 1)), st.integers(0, 25))
def test_add_working_days_counts_exactly_n_working_days(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    if n:
        assert CAL.is_working_day(end)
    assert CAL.next_working_day(end) == end or n == 0


def test_start_up_imports_stay_light() -> None:
    """Loading the catalog and the pure rules must not drag in heavy packages."""
    code = (
        "import sys, mss_desk.catalog as c, mss_desk.rules.eligibility, mss_desk.rules.iin, "
        "mss_desk.rules.deadlines, mss_desk.rules.calendar; c.load_catalog(); "
        "heavy = [m for m in ('holidays', 'sqlalchemy', 'sqlmodel', 'reportlab', 'textual') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
