"""Dates and times in the clerk's language (Babel), with explicit four-digit-year patterns.

Babel's short Kazakh date has a two-digit year ("21.03.25"), so paper and screens use
``dd.MM.yyyy`` explicitly — and :func:`parse_day` reads back what they show.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # dd.mm.yyyy, as shown everywhere
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")  # yyyy-mm-dd, as the CLI and old forms take it

PAPER_DATE = "dd.MM.yyyy"


def format_date(d: date, lang: str = "kk") -> str:
    """dd.mm.yyyy — the same in every language (paper and lists)."""
    return d.strftime("%d.%m.%Y")


def format_long_date(d: date, lang: str = "kk") -> str:
    """A long date with the month's name in the chosen language, e.g. '25 қараша 2026'."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(d, format="d MMMM yyyy", locale=lang)


def format_datetime(dt: datetime, lang: str = "kk") -> str:
    return dt.strftime("%d.%m.%Y %H:%M")


def weekday_name(d: date, lang: str = "kk") -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(d, format="EEEE", locale=lang)


def parse_day(text: str) -> date | None:
    """The day in ``text``: ``dd.mm.yyyy`` (as every screen shows dates) or ISO
    ``yyyy-mm-dd``; spaces around are fine. ``None`` when it is neither, or no such day.

    The one date parser of the screens (intake and lifecycle forms alike), so the clerk is
    never asked for two formats; stdlib only, so the CLI may share it.
    """
    text = text.strip()
    dotted = _DOTTED.fullmatch(text)
    try:
        if dotted is not None:
            day, month, year = (int(part) for part in dotted.groups())
            return date(year, month, day)
        iso = _ISO.fullmatch(text)
        if iso is not None:
            year, month, day = (int(part) for part in iso.groups())
            return date(year, month, day)
    except ValueError:  # 31.02.2026
        return None
    return None
