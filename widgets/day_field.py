"""A date typed into a form: read it, or refuse it in words.

One parser for every screen (:func:`mss_desk.i18n.dates.parse_day`): ``dd.mm.yyyy`` as the
desk shows dates, or ISO ``yyyy-mm-dd``.
"""

from __future__ import annotations

from datetime import date

from mss_desk.errors import ValidationError
from mss_desk.i18n.dates import parse_day


def required_day(text: str) -> date:
    """The day in ``text``; else ``ValidationError`` (``lifecycle.ui.bad_date``).

    Raised inside a form's ``submit`` it is shown on the form, which stays open with what
    the clerk typed.
    """
    day = parse_day(text)
    if day is None:
        raise ValidationError("date", key="lifecycle.ui.bad_date")
    return day


__all__ = ["parse_day", "required_day"]
