"""IIN: both weight sequences, century digits, dates, birth date and sex (SPEC "The IIN")."""

from datetime import date

import pytest

from mss_desk.errors import InvalidIIN
from mss_desk.rules.iin import control_digit, is_valid_iin, make_iin, parse_iin

# Worked by hand (digits 9 0 0 3 1 5 3 ...):
# 90031530000: weights 1..11 -> 9+12+5+30+21 = 77, 77 % 11 = 0           -> control 0
VALID_FIRST = "900315300000"
# 90031530011: weights 1..11 -> 98 % 11 = 10; weights 3..11,1,2 -> 122 % 11 = 1 -> control 1
VALID_SECOND = "900315300111"
# 90031530010: weights 1..11 -> 87 % 11 = 10; second sequence -> 120 % 11 = 10 -> invalid
INVALID_BOTH = "90031530010"


def test_valid_with_first_weights() -> None:
    info = parse_iin(VALID_FIRST)
    assert info.birth_date == date(1990, 3, 15)
    assert info.sex == "male"
    assert info.iin == VALID_FIRST


def test_valid_only_with_second_weights() -> None:
    assert control_digit(VALID_SECOND[:11]) == 1
    assert parse_iin(VALID_SECOND).birth_date == date(1990, 3, 15)


def test_first_sequence_result_is_not_accepted_when_it_is_10() -> None:
    # "10" is not a digit: a number ending in 0 (or any digit but 1) is wrong here
    for last in "02345678 9".replace(" ", ""):
        with pytest.raises(InvalidIIN) as exc:
            parse_iin(VALID_SECOND[:11] + last)
        assert exc.value.key == "rules.iin.checksum"


def test_invalid_when_both_sequences_give_10() -> None:
    assert control_digit(INVALID_BOTH) is None
    for last in "0123456789":
        with pytest.raises(InvalidIIN) as exc:
            parse_iin(INVALID_BOTH + last)
        assert exc.value.key == "rules.iin.checksum"


def test_wrong_control_digit() -> None:
    with pytest.raises(InvalidIIN) as exc:
        parse_iin(VALID_FIRST[:11] + "1")
    assert exc.value.key == "rules.iin.checksum"


@pytest.mark.parametrize(
    ("digit", "year", "sex"),
    [
        (1, 1890, "male"),
        (2, 1890, "female"),
        (3, 1990, "male"),
        (4, 1990, "female"),
        (5, 2090, "male"),
        (6, 2090, "female"),
    ],
)
def test_century_and_sex_digits(digit: int, year: int, sex: str) -> None:
    for serial in range(100):
        first11 = f"900315{digit}{serial:04d}"
        check = control_digit(first11)
        if check is not None:
            break
    info = parse_iin(first11 + str(check))
    assert info.birth_date == date(year, 3, 15)
    assert info.sex == sex


@pytest.mark.parametrize("digit", [0, 7, 8, 9])
def test_bad_century_digits(digit: int) -> None:
    # a correct control digit, so only the century can be the reason
    for serial in range(100):
        first11 = f"900315{digit}{serial:04d}"
        check = control_digit(first11)
        if check is not None:
            break
    with pytest.raises(InvalidIIN) as exc:
        parse_iin(first11 + str(check))
    assert exc.value.key == "rules.iin.century"
    assert exc.value.params["digit"] == digit


@pytest.mark.parametrize("yymmdd", ["990230", "010229", "901301", "900001", "900100", "900431"])
def test_impossible_birth_dates(yymmdd: str) -> None:
    for serial in range(100):
        first11 = f"{yymmdd}3{serial:04d}"
        check = control_digit(first11)
        if check is not None:
            break
    with pytest.raises(InvalidIIN) as exc:
        parse_iin(first11 + str(check))
    assert exc.value.key == "rules.iin.date"


def test_leap_day_of_a_leap_year_is_a_real_date() -> None:
    iin = make_iin(date(2000, 2, 29), "female")
    assert iin[6] == "6"
    assert parse_iin(iin).birth_date == date(2000, 2, 29)
    # 1900 was not a leap year: 000229 with century digit 3/4 is no date
    for serial in range(100):
        first11 = f"0002294{serial:04d}"
        check = control_digit(first11)
        if check is not None:
            break
    with pytest.raises(InvalidIIN) as exc:
        parse_iin(first11 + str(check))
    assert exc.value.key == "rules.iin.date"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "rules.iin.length"),
        ("90031530000", "rules.iin.length"),
        ("9003153000000", "rules.iin.length"),
        ("90031530000a", "rules.iin.digits"),
        ("9003 1530000", "rules.iin.digits"),
        ("٩٠٠٣١٥٣٠٠٠٠٠", "rules.iin.digits"),  # Arabic-Indic digits: isdigit() but not ASCII
    ],
)
def test_shape_errors(text: str, key: str) -> None:
    with pytest.raises(InvalidIIN) as exc:
        parse_iin(text)
    assert exc.value.key == key


def test_surrounding_spaces_forgiven() -> None:
    assert parse_iin(f"  {VALID_FIRST}\n").iin == VALID_FIRST


def test_make_iin_round_trip() -> None:
    for born, sex in [
        (date(1945, 5, 9), "male"),
        (date(1958, 12, 31), "female"),
        (date(2015, 1, 1), "male"),
        (date(1899, 7, 1), "female"),
    ]:
        info = parse_iin(make_iin(born, sex))
        assert (info.birth_date, info.sex) == (born, sex)
    assert is_valid_iin(VALID_FIRST) and not is_valid_iin(INVALID_BOTH + "0")


def test_messages_exist_in_all_languages() -> None:
    from mss_desk.i18n import t

    for key in ("length", "digits", "century", "date", "checksum"):
        for lang in ("kk", "ru", "en"):
            assert t(f"rules.iin.{key}", lang) != f"rules.iin.{key}"
