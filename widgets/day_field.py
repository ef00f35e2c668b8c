"""A date typed into a lifecycle form (``YYYY-MM-DD``): read it, or refuse it in words."""

from __future__ import annotations

from datetime import date

from mss_desk.errors import ValidationError


def parse_day(text: str) -> date | None:
    """The ISO date in ``text`` (spaces around are fine), or ``None`` if it is not one."""
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def required_day(text: str) -> date:
    """The ISO date in ``text``; else ``ValidationError`` (``lifecycle.ui.bad_date``).

    Raised inside a form's ``submit`` it is shown on the form, which stays open with what
    the clerk typed.
    """
    day = parse_day(text)
    if day is None:
        raise ValidationError("date", key="lifecycle.ui.bad_date")
    return day
