"""The business calendar: working days, holiday names, office hours (item 10).

Item 10: the service is given every day 09:00-18:00 with a lunch break 13:00-14:00; days off
are Saturday, Sunday and holidays. Public holidays and the decreed transfers of days off come
from the ``holidays`` package (country KZ), which knows transfers only up to 2025; the
catalog's overrides (data/calendar.toml) add later decrees and the Russian names.

Pure: no clock, no files. The ``holidays`` package is imported on first use, not at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from mss_desk.catalog import CalendarOverrides

# item 10: reception hours and lunch break
OPENS = time(9, 0)
CLOSES = time(18, 0)
LUNCH_FROM = time(13, 0)
LUNCH_TO = time(14, 0)

# no run of days off in Kazakhstan is this long; a guard against a broken override file
_MAX_RUN = 60

_PKG_LANG = {"kk": "kk", "en": "en_US", "ru": "kk"}  # Russian: translated from Kazakh below
# An override holiday given without an English name: English stays English (issue 11.14)
_EN_UNNAMED = "Public holiday"
_EN_SUBSTITUTED = "Day off (substituted from {date})"  # the package's words, our date format

_SUBSTITUTED = re.compile(r"^Демалыс күні \((\d{2}\.\d{2}\.\d{4}) бастап ауыстырылды\)$")
_OBSERVED_ESTIMATED = " (қайта белгіленген демалыс, бағаланған)"
_OBSERVED = " (қайта белгіленген демалыс)"
_ESTIMATED = " (бағаланған)"

Reason = Literal["weekend", "holiday", "before_hours", "after_hours", "lunch"]


@dataclass(frozen=True)
class OfficeStatus:
    open: bool
    reason: Reason | None = None
    holiday_name: str | None = None


class BusinessCalendar:
    """Working days per Kazakh law plus the catalog's overrides."""

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        self._extra = {h.day: h for h in overrides.extra_holidays} if overrides else {}
        self._working = frozenset(overrides.working_days) if overrides else frozenset()
        self._ru_names = dict(overrides.ru_names) if overrides else {}
        self._ru_labels = dict(overrides.ru_labels) if overrides else {}
        self._pkg: dict[str, Any] = {}
        self._working_cache: dict[date, bool] = {}  # the package's lookups cost ~1 ms each

    # ---------------------------------------------------------------- the package

    def _holidays(self, lang: str) -> Any:
        pkg_lang = _PKG_LANG.get(lang, "kk")
        found = self._pkg.get(pkg_lang)
        if found is None:
            import holidays  # lazy: ~0.2 s to import

            found = holidays.country_holidays("KZ", language=pkg_lang)
            self._pkg[pkg_lang] = found
        return found

    def _package_holiday(self, d: date, lang: str = "kk") -> str | None:
        return self._holidays(lang).get(d)

    def _package_weekend_workday(self, d: date) -> bool:
        kz = self._holidays("kk")
        _ = d in kz  # populates d's year (and so its weekend working days)
        return d in kz.weekend_workdays

    # ---------------------------------------------------------------- days

    def is_working_day(self, d: date) -> bool:
        found = self._working_cache.get(d)
        if found is None:
            found = self._working_cache[d] = self._is_working_day(d)
        return found

    def _is_working_day(self, d: date) -> bool:
        if d in self._working:  # override: a decreed working day
            return True
        if d in self._extra:  # override: a decreed day off
            return False
        if self._package_holiday(d) is not None:
            return False
        if self._package_weekend_workday(d):  # a Saturday made a working day by decree
            return True
        return d.weekday() < 5  # item 10: Saturday and Sunday are days off

    def holiday_name(self, d: date, lang: str = "kk") -> str | None:
        """The holiday's name in ``lang`` (kk, ru, en), or None on an ordinary day.

        Said in that language, never in Kazakh for another one (issue 11.14): the package
        names KZ holidays in Kazakh and English only, so Russian comes from the override
        file's ``ru_names``/``ru_labels``; English dates are dd.mm.yyyy like everywhere on
        the desk (the package's English gives mm/dd/yyyy).
        """
        if d in self._working:
            return None
        extra = self._extra.get(d)
        if extra is not None:
            if lang == "ru":
                return extra.name_ru
            if lang == "en":
                return extra.name_en or _EN_UNNAMED
            return extra.name_kk
        if lang == "en":
            kk = self._package_holiday(d, "kk")
            if kk is None:
                return None
            en = (self._package_holiday(d, "en") or kk).split("; ")
            parts = kk.split("; ")
            if len(en) != len(parts):  # pragma: no cover - the two lists are built alike
                return "; ".join(en)
            return "; ".join(
                _EN_SUBSTITUTED.format(date=m.group(1)) if (m := _SUBSTITUTED.match(k)) else e
                for k, e in zip(parts, en, strict=True)
            )
        name = self._package_holiday(d, lang)
        if name is None or lang != "ru":
            return name
        return "; ".join(self._to_russian(part) for part in name.split("; "))

    def holiday_names(self, d: date) -> dict[str, str] | None:
        """The holiday's name in each language (kk, ru, en), or None on an ordinary day."""
        kk = self.holiday_name(d, "kk")
        if kk is None:
            return None
        return {lang: self.holiday_name(d, lang) or kk for lang in ("kk", "ru", "en")}

    def _to_russian(self, kk: str) -> str:
        labels = self._ru_labels
        m = _SUBSTITUTED.match(kk)
        if m and "substituted" in labels:
            return labels["substituted"].format(date=m.group(1))
        for suffix, label in (
            (_OBSERVED_ESTIMATED, "observed_estimated"),
            (_OBSERVED, "observed"),
            (_ESTIMATED, "estimated"),
        ):
            if kk.endswith(suffix) and label in labels:
                base = kk[: -len(suffix)]
                return labels[label].format(name=self._ru_names.get(base, base))
        return self._ru_names.get(kk, kk)

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        for _ in range(_MAX_RUN):
            if self.is_working_day(d):
                return d
            d += timedelta(days=1)
        raise ValueError(f"no working day within {_MAX_RUN} days")  # pragma: no cover

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day counted from the day after ``d`` (``d`` for n = 0)."""
        if n < 0:
            raise ValueError("n must not be negative")
        counted = 0
        gap = 0
        while counted < n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                counted += 1
                gap = 0
            else:
                gap += 1
                if gap > _MAX_RUN:  # pragma: no cover
                    raise ValueError(f"no working day within {_MAX_RUN} days")
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
        count = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            count += self.is_working_day(d)
        return count

    # ---------------------------------------------------------------- hours

    def office_status(self, local_dt: datetime, lang: str = "kk") -> OfficeStatus:
        """Is the Department open at this local (Department time zone) moment? Item 10."""
        d = local_dt.date()
        if not self.is_working_day(d):
            name = self.holiday_name(d, lang)
            if name is not None:
                return OfficeStatus(False, "holiday", name)
            return OfficeStatus(False, "weekend")
        now = local_dt.time()
        if now < OPENS:
            return OfficeStatus(False, "before_hours")
        if now >= CLOSES:
            return OfficeStatus(False, "after_hours")
        if LUNCH_FROM <= now < LUNCH_TO:
            return OfficeStatus(False, "lunch")
        return OfficeStatus(True)


def office_status_text(status: OfficeStatus, lang: str = "kk") -> str:
    from mss_desk.i18n import t

    if status.open:
        return t("rules.office.open", lang)
    return t(f"rules.office.{status.reason}", lang, name=status.holiday_name or "")
