"""Dates and times in the clerk's language (Babel), with explicit four-digit-year patterns.

Babel's short Kazakh date has a two-digit year ("21.03.25"), so paper and screens use
``dd.MM.yyyy`` explicitly.
"""

from __future__ import annotations

from datetime import date, datetime

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
