"""Business calendar (item 10, KZ holidays + overrides) and case deadlines (items 5, 7.1)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mss_desk.catalog import CalendarOverrides, ExtraHoliday, clear_cache, load_catalog
from mss_desk.errors import ValidationError
from mss_desk.locations import reference_data_dir
from mss_desk.rules.calendar import BusinessCalendar, office_status_text
from mss_desk.rules.deadlines import compute_deadlines

CAT = load_catalog()
TERMS = CAT.terms(date(2026, 1, 1))
CAL = BusinessCalendar(CAT.calendar_overrides)
ALMATY = ZoneInfo("Asia/Almaty")


# ---------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("d", "working"),
    [
        (date(2026, 11, 25), True),  # Wednesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 16), False),  # Independence Day
        (date(2026, 12, 17), True),  # 17 December is no longer a holiday since 2022
        (date(2021, 12, 17), False),
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), False),
        (date(2026, 1, 5), True),
        (date(2026, 1, 7), False),  # Orthodox Christmas
        (date(2026, 3, 23), False),
        (date(2026, 3, 24), False),
        (date(2026, 3, 25), False),  # Nauryz
        (date(2026, 3, 26), True),
        (date(2026, 5, 1), False),
        (date(2026, 5, 7), False),
        (date(2026, 5, 11), False),
        (date(2024, 5, 4), True),  # Saturday made a working day by decree (package, <= 2025)
        (date(2024, 5, 8), False),  # the weekday given off in exchange
        (date(2025, 1, 3), False),
    ],
)
def test_is_working_day(d: date, working: bool) -> None:
    assert CAL.is_working_day(d) is working


def test_holiday_names_in_three_languages() -> None:
    d = date(2026, 12, 16)
    assert CAL.holiday_name(d, "kk") == "Тәуелсіздік күні"
    assert CAL.holiday_name(d, "ru") == "День Независимости"
    assert CAL.holiday_name(d, "en") == "Independence Day"
    assert CAL.holiday_name(date(2026, 11, 25), "ru") is None
    assert CAL.holiday_name(date(2025, 3, 24), "ru") == "Наурыз мейрамы (перенесённый выходной)"
    assert CAL.holiday_name(date(2025, 1, 3), "ru") == "Выходной день (перенесён с 05.01.2025)"


def test_every_package_holiday_has_a_russian_name() -> None:
    for year in (2024, 2025, 2026, 2027):
        d = date(year, 1, 1)
        while d.year == year:
            kk = CAL.holiday_name(d, "kk")
            if kk is not None:
                ru = CAL.holiday_name(d, "ru")
                assert ru and ru != kk or kk.startswith("Наурыз"), (d, kk, ru)
            d = d.fromordinal(d.toordinal() + 1)


KAZAKH_ONLY = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


@pytest.mark.parametrize("year", [2020, 2024, 2025, 2026, 2027, 2028])
def test_item_10_every_holiday_of_a_year_named_in_kk_ru_en(year: int) -> None:
    """Issue 11.14: a Russian or English message names the holiday in its own language."""
    import re

    d, seen = date(year, 1, 1), 0
    while d.year == year:
        kk = CAL.holiday_name(d, "kk")
        if kk is not None:
            seen += 1
            ru, en = CAL.holiday_name(d, "ru"), CAL.holiday_name(d, "en")
            assert ru and en, (d, kk, ru, en)
            assert not KAZAKH_ONLY & set(ru), (d, ru)  # no Kazakh-only letter in Russian
            assert re.fullmatch(r"[A-Za-z0-9 '.,;()-]+", en), (d, en)  # English is English
            assert not re.search(r"\d{2}/\d{2}/\d{4}", en), (d, en)  # dd.mm.yyyy, not US
            assert CAL.holiday_names(d) == {"kk": kk, "ru": ru, "en": en}
            for lang, name in (("ru", ru), ("en", en)):
                text = office_status_text(
                    CAL.office_status(datetime.combine(d, datetime.min.time(), ALMATY), lang),
                    lang,
                )
                assert name in text and not KAZAKH_ONLY & set(text), (d, lang, text)
        else:
            assert CAL.holiday_names(d) is None
        d = d.fromordinal(d.toordinal() + 1)
    assert seen >= 12


def test_item_10_holiday_names_a_substituted_day_off_in_each_language() -> None:
    d = date(2025, 1, 3)
    assert CAL.holiday_names(d) == {
        "kk": "Демалыс күні (05.01.2025 бастап ауыстырылды)",
        "ru": "Выходной день (перенесён с 05.01.2025)",
        "en": "Day off (substituted from 05.01.2025)",
    }


def test_every_kz_holiday_the_package_knows_has_a_russian_name_in_the_data() -> None:
    import re

    import holidays

    names = CAT.calendar_overrides.ru_names
    known: set[str] = set()
    for year in range(1991, 2051):
        for name in holidays.country_holidays("KZ", years=year, language="kk").values():
            for part in name.split("; "):
                known.add(re.sub(r" \((қайта белгіленген демалыс|бағаланған)[^)]*\)$", "", part))
    known = {k for k in known if not k.startswith("Демалыс күні (")}  # ru_labels say these
    assert len(known) >= 14 and known <= set(names), sorted(known - set(names))
    for kk, ru in names.items():
        assert not KAZAKH_ONLY & set(ru), (kk, ru)


def test_next_and_add_working_days() -> None:
    assert CAL.next_working_day(date(2026, 11, 25)) == date(2026, 11, 25)
    assert CAL.next_working_day(date(2026, 11, 28)) == date(2026, 11, 30)
    assert CAL.add_working_days(date(2026, 11, 25), 0) == date(2026, 11, 25)
    assert CAL.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri -> Mon
    assert CAL.add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)  # working Saturday
    assert CAL.add_working_days(date(2024, 5, 6), 1) == date(2024, 5, 10)  # 7, 8, 9 off
    assert CAL.add_working_days(date(2024, 5, 6), 2) == date(2024, 5, 13)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 11, 25), -1)


# ---------------------------------------------------------------- overrides


def test_synthetic_transfer_override() -> None:
    ov = CalendarOverrides(
        extra_holidays=(
            ExtraHoliday(
                date(2026, 1, 9),
                "Демалыс күні (03.01.2026 бастап ауыстырылды)",
                "Выходной день (перенесён с 03.01.2026)",
            ),
        ),
        working_days=(date(2026, 1, 3),),
        ru_names=CAT.calendar_overrides.ru_names,
        ru_labels=CAT.calendar_overrides.ru_labels,
    )
    cal = BusinessCalendar(ov)
    assert CAL.is_working_day(date(2026, 1, 9)) and not CAL.is_working_day(date(2026, 1, 3))
    assert not cal.is_working_day(date(2026, 1, 9)) and cal.is_working_day(date(2026, 1, 3))
    assert cal.holiday_name(date(2026, 1, 9), "ru") == "Выходной день (перенесён с 03.01.2026)"
    # no English name given: English stays English, never the Kazakh name (issue 11.14)
    assert cal.holiday_name(date(2026, 1, 9), "en") == "Public holiday"
    assert cal.office_status(datetime(2026, 1, 3, 10, 0, tzinfo=ALMATY)).open
    # a deadline that would fall on the new day off moves on: 25 Dec + 15 = 9 Jan -> 12 Jan
    assert compute_deadlines(date(2025, 12, 25), None, CAL, TERMS).service_due == date(2026, 1, 9)
    assert compute_deadlines(date(2025, 12, 25), None, cal, TERMS).service_due == date(2026, 1, 12)


def test_override_working_day_beats_a_package_holiday() -> None:
    cal = BusinessCalendar(CalendarOverrides(working_days=(date(2026, 12, 16),)))
    assert cal.is_working_day(date(2026, 12, 16))
    assert cal.holiday_name(date(2026, 12, 16), "kk") is None


def test_transfer_in_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(reference_data_dir(), data)
    text = (data / "calendar.toml").read_text(encoding="utf-8").replace("transfers = []\n", "")
    text += (
        "\n[[transfers]]\nday_off = 2026-01-09\nworking_day = 2026-01-03\n"
        'decree = "synthetic, for the test"\n'
    )
    (data / "calendar.toml").write_text(text, encoding="utf-8")
    clear_cache()
    try:
        cal = BusinessCalendar(load_catalog(data).calendar_overrides)
    finally:
        clear_cache()
    assert not cal.is_working_day(date(2026, 1, 9)) and cal.is_working_day(date(2026, 1, 3))
    assert cal.holiday_name(date(2026, 1, 9), "en") == "Day off (substituted from 03.01.2026)"


# ---------------------------------------------------------------- office hours (item 10)


@pytest.mark.parametrize(
    ("hh", "mm", "open_", "reason"),
    [
        (8, 59, False, "before_hours"),
        (9, 0, True, None),
        (12, 59, True, None),
        (13, 0, False, "lunch"),
        (13, 59, False, "lunch"),
        (14, 0, True, None),
        (17, 59, True, None),
        (18, 0, False, "after_hours"),
    ],
)
def test_office_hours(hh: int, mm: int, open_: bool, reason: str | None) -> None:
    status = CAL.office_status(datetime(2026, 11, 25, hh, mm, tzinfo=ALMATY))
    assert (status.open, status.reason) == (open_, reason)


def test_office_closed_weekend_and_holiday() -> None:
    sat = CAL.office_status(datetime(2026, 11, 28, 10, 0, tzinfo=ALMATY))
    assert (sat.open, sat.reason, sat.holiday_name) == (False, "weekend", None)
    hol = CAL.office_status(datetime(2026, 12, 16, 10, 0, tzinfo=ALMATY), "ru")
    assert (hol.open, hol.reason, hol.holiday_name) == (False, "holiday", "День Независимости")
    assert "День Независимости" in office_status_text(hol, "ru")
    assert CAL.office_status(datetime(2024, 5, 4, 10, 0, tzinfo=ALMATY)).open  # working Saturday
    for lang in ("kk", "ru", "en"):
        assert not office_status_text(sat, lang).startswith("rules.")


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("accepted", "service_due"),
    [
        (date(2026, 11, 2), date(2026, 11, 17)),  # plain weekday
        (date(2026, 11, 6), date(2026, 11, 23)),  # +15 = Saturday 21 -> Monday 23
        (date(2026, 12, 1), date(2026, 12, 17)),  # +15 = 16 December -> 17
        (date(2025, 12, 17), date(2026, 1, 5)),  # +15 = 1 January; 2 Jan, weekend -> 5 Jan
        (date(2026, 3, 6), date(2026, 3, 26)),  # +15 = 21 March (Nauryz), 22-25 off -> 26
        (date(2026, 4, 16), date(2026, 5, 4)),  # +15 = 1 May (Friday) -> Monday 4 May
        (date(2026, 4, 22), date(2026, 5, 8)),  # +15 = 7 May (Defender's Day) -> 8 May
    ],
)
def test_service_deadline(accepted: date, service_due: date) -> None:
    dl = compute_deadlines(accepted, None, CAL, TERMS)
    assert dl.service_due == service_due
    assert (dl.binding, dl.binding_due, dl.decision_due) == ("service", service_due, None)


@pytest.mark.parametrize(
    ("accepted", "forward_due"),
    [
        (date(2026, 11, 2), date(2026, 11, 12)),
        (date(2026, 3, 13), date(2026, 3, 26)),  # +10 = 23 March (Nauryz) -> 26
        (date(2026, 12, 4), date(2026, 12, 14)),  # +10 = Monday 14
        (date(2026, 12, 6), date(2026, 12, 17)),  # +10 = 16 December -> 17
    ],
)
def test_forward_deadline(accepted: date, forward_due: date) -> None:
    assert compute_deadlines(accepted, None, CAL, TERMS).forward_due == forward_due


def test_decision_deadline_counts_working_days_from_the_day_after() -> None:
    # forwarded Thu 10 Dec: 11, 14, 15, (16 holiday), 17, 18, 21, 22, 23, 24, 25
    dl = compute_deadlines(date(2026, 12, 4), date(2026, 12, 10), CAL, TERMS)
    assert dl.decision_due == date(2026, 12, 25)
    assert dl.service_due == date(2026, 12, 21)  # 19 Dec is a Saturday
    assert (dl.binding, dl.binding_due) == ("service", date(2026, 12, 21))


def test_decision_binds_when_earlier() -> None:
    # accepted and forwarded 1 Dec: 2,3,4,7,8,9,10,11,14,15 -> 15 Dec < 17 Dec
    dl = compute_deadlines(date(2026, 12, 1), date(2026, 12, 1), CAL, TERMS)
    assert dl.decision_due == date(2026, 12, 15)
    assert (dl.binding, dl.binding_due) == ("decision", date(2026, 12, 15))


def test_tie_binds_service() -> None:
    # forwarded 2 Dec: 3,4,7,8,9,10,11,14,15,(16),17 -> 17 Dec == service deadline
    dl = compute_deadlines(date(2026, 12, 1), date(2026, 12, 2), CAL, TERMS)
    assert dl.decision_due == dl.service_due == date(2026, 12, 17)
    assert dl.binding == "service"


def test_decision_across_new_year() -> None:
    # forwarded 24 Dec 2026: 25, 28, 29, 30, 31, (1, 2 Jan, weekend, 4 Jan: the observed
    # New Year as 2 Jan is a Saturday), 5, 6, (7 Christmas), 8, 11, 12
    dl = compute_deadlines(date(2026, 12, 22), date(2026, 12, 24), CAL, TERMS)
    assert not CAL.is_working_day(date(2027, 1, 4))
    assert dl.decision_due == date(2027, 1, 12)
    assert dl.service_due == date(2027, 1, 6)  # 22 Dec + 15 = 6 Jan


def test_forwarded_before_accepted_rejected() -> None:
    with pytest.raises(ValidationError) as exc:
        compute_deadlines(date(2026, 12, 2), date(2026, 12, 1), CAL, TERMS)
    assert exc.value.key == "rules.deadline.forwarded_before_accepted"


def test_terms_are_data() -> None:
    from dataclasses import replace

    longer = replace(TERMS, service_days=17, decision_working_days=17)
    dl = compute_deadlines(date(2026, 11, 2), date(2026, 11, 2), CAL, longer)
    assert dl.service_due == date(2026, 11, 19)
    assert dl.decision_due == date(2026, 11, 25)
