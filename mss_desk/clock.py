"""The one injectable clock.

Every piece of code that needs "now" takes a :class:`Clock`. Production uses
:class:`SystemClock`; tests, demos and training use :class:`FixedClock`, which
``MSS_DESK_NOW=YYYY-MM-DDTHH:MM`` selects (the time is read in the Department's
time zone, default Asia/Almaty). ``MSS_DESK_NOW=YYYY-MM-DDTHH:MM+run`` starts a
:class:`RunningClock` there instead: training on a fixed day whose minutes still pass
(queue waits grow, the 30- and 40-minute marks come).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Almaty"


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware datetime in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move (tests never sleep on wall time)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, **kwargs: float) -> None:
        self._at += timedelta(**kwargs)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)


class RunningClock:
    """Starts at a chosen moment and runs on with real elapsed time (``…+run``).

    ``elapsed`` is a monotonic seconds source (tests inject their own): a wall-clock jump
    on the machine does not move the desk's time.
    """

    def __init__(self, start: datetime, elapsed: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("RunningClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._elapsed = elapsed
        self._t0 = elapsed()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed() - self._t0)


RUN_SUFFIX = "+run"


def parse_local(text: str, tz: tzinfo) -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM`` (or with seconds) as local time in ``tz``; return UTC."""
    naive = datetime.fromisoformat(text)
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=tz).astimezone(UTC)


def clock_from_env(tz_name: str = DEFAULT_TZ) -> Clock:
    """``MSS_DESK_NOW`` fixes the clock (demos, training, tests); otherwise the system clock."""
    fixed = os.environ.get("MSS_DESK_NOW")
    if fixed:
        if fixed.endswith(RUN_SUFFIX):
            return RunningClock(parse_local(fixed[: -len(RUN_SUFFIX)], ZoneInfo(tz_name)))
        return FixedClock(parse_local(fixed, ZoneInfo(tz_name)))
    return SystemClock()


def local(dt: datetime, tz_name: str = DEFAULT_TZ) -> datetime:
    """A stored UTC time shown in the Department's time zone."""
    return dt.astimezone(ZoneInfo(tz_name))
