"""The words and formats of the command line: the choices argparse offers, the dates it reads
and how values are written back (JSON ISO strings, dates in the clerk's format).

Stdlib only at import (start-up stays light).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mss_desk.errors import ValidationError
from mss_desk.vocabulary import CASE_STATUSES as CASE_STATUSES  # the choices argparse offers
from mss_desk.vocabulary import PURPOSES as PURPOSES
from mss_desk.vocabulary import ROLES as ROLES

if TYPE_CHECKING:
    from mss_desk.cli.context import Context

# Issue 15 item 13: the desk works with dates from 1900 to 2100. A year such as 9999 is a
# typing slip, and counting deadlines from it overflowed into "internal error" (and an
# evaluation "on 9999-12-31" answered "age 8054").
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2100, 12, 31)


def check_date_range(value: date, what: str) -> date:
    """A date the desk can work with (1900-2100), else invalid input naming ``what``."""
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            key="cli.date_out_of_range",
            what=what,
            value=value.isoformat(),
            first=FIRST_DATE.year,
            last=LAST_DATE.year,
        )
    return value


def _bad_date(text: str, what: str, expected: str) -> ValidationError:
    """A date argument in the wrong shape is invalid input (exit 1), not a usage error."""
    return ValidationError(key="cli.bad_date", what=what, value=text, format=expected)


def parse_date_arg(text: str, what: str) -> date:
    """``YYYY-MM-DD`` exactly; anything else is invalid input (exit 1)."""
    try:
        if len(text) != 10:
            raise ValueError
        value = date.fromisoformat(text)
    except ValueError:
        raise _bad_date(text, what, "YYYY-MM-DD") from None
    return check_date_range(value, what)


def parse_local_arg(text: str, what: str, tz: Any) -> datetime:
    """``YYYY-MM-DDTHH:MM`` in the Department's zone → aware local datetime."""
    try:
        if len(text) != 16 or text[10] not in "T ":
            raise ValueError
        naive = datetime.fromisoformat(text)
    except ValueError:
        raise _bad_date(text, what, "YYYY-MM-DDTHH:MM") from None
    check_date_range(naive.date(), what)
    return naive.replace(tzinfo=tz)


def department_code(ctx: Context, text: str) -> int:
    """``--department N``: an Annex 1 code the catalog knows (else invalid input)."""
    try:
        code = int(text)
    except ValueError:
        code = -1
    known = ctx.catalog().departments
    if code not in known:
        raise ValidationError(
            key="cli.unknown_department", code=text, known=f"{min(known)}-{max(known)}"
        )
    return code


def local_iso(dt: datetime | None, ctx: Context) -> str | None:
    """Stored UTC → the Department's local time, ISO 8601 with offset, to the minute."""
    if dt is None:
        return None
    return ctx.local(dt).isoformat(timespec="minutes")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def fmt_date(value: date | None) -> str:
    from mss_desk.i18n.dates import format_date

    return format_date(value) if value is not None else "—"


def first_attr(obj: Any, *names: str, default: Any = None) -> Any:
    """Read the first attribute (or mapping key) that exists: views may grow or rename."""
    for name in names:
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return default
