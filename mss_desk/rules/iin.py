"""The IIN (individual identification number): parse, validate, derive birth date and sex.

12 digits: YYMMDD, a century-and-sex digit (1/2: 1800s man/woman, 3/4: 1900s, 5/6: 2000s),
four serial digits, a control digit. Control: weights 1..11 over the first 11 digits, sum
mod 11; if that is 10, weights 3,4,5,6,7,8,9,10,11,1,2; if it is 10 again the number is
invalid. Otherwise the result must equal the 12th digit. (SPEC.md, "The IIN".)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from mss_desk.errors import InvalidIIN

WEIGHTS_1: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_2: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# century-and-sex digit -> (century base, sex)
_CENTURY: dict[int, tuple[int, Literal["male", "female"]]] = {
    1: (1800, "male"),
    2: (1800, "female"),
    3: (1900, "male"),
    4: (1900, "female"),
    5: (2000, "male"),
    6: (2000, "female"),
}


@dataclass(frozen=True)
class IinInfo:
    iin: str
    birth_date: date
    sex: Literal["male", "female"]


def control_digit(first11: str) -> int | None:
    """The control digit for 11 digits, or None when both weight sequences give 10."""
    digits = [int(c) for c in first11]
    check = sum(w * d for w, d in zip(WEIGHTS_1, digits, strict=True)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(WEIGHTS_2, digits, strict=True)) % 11
        if check == 10:
            return None
    return check


def parse_iin(text: str) -> IinInfo:
    """Validate an IIN and derive birth date and sex; raise InvalidIIN saying why.

    Surrounding spaces are forgiven (a clerk's paste); anything else is not.
    """
    iin = (text or "").strip()
    if not iin.isascii() or not iin.isdigit():
        # isdigit() alone accepts other scripts' digits ("١٢٣"): ASCII only
        if len(iin) != 12:
            raise InvalidIIN(key="rules.iin.length", length=len(iin))
        raise InvalidIIN(key="rules.iin.digits")
    if len(iin) != 12:
        raise InvalidIIN(key="rules.iin.length", length=len(iin))
    century_digit = int(iin[6])
    if century_digit not in _CENTURY:
        raise InvalidIIN(key="rules.iin.century", digit=century_digit)
    base, sex = _CENTURY[century_digit]
    try:
        born = date(base + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise InvalidIIN(key="rules.iin.date", date=iin[0:6]) from None
    expected = control_digit(iin[:11])
    if expected is None or expected != int(iin[11]):
        raise InvalidIIN(key="rules.iin.checksum")
    return IinInfo(iin=iin, birth_date=born, sex=sex)


def is_valid_iin(text: str) -> bool:
    try:
        parse_iin(text)
    except InvalidIIN:
        return False
    return True


def make_iin(born: date, sex: Literal["male", "female"], serial: int = 1) -> str:
    """Build a valid IIN (tests, demos, training data): picks the next serial whose
    control digit exists. Never used to invent an applicant's number."""
    century = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + (sex == "female")
    for s in range(serial, 10000):
        first11 = f"{born:%y%m%d}{century}{s:04d}"
        check = control_digit(first11)
        if check is not None:
            return first11 + str(check)
    raise ValueError("no valid serial")  # pragma: no cover — never happens for 4 digits
