"""Annex 2 for the region (issue 14, point 2) and its monthly summary (point 5).

**At a Department** (offline, a desk of its own): ``exchange export --to 0`` first adds to
the outbox a ``summary.monthly`` message for every finished month not yet summarised, and
again for a month whose figures changed since its last summary (a late complaint answer, a
survey typed in afterwards); both in the one transaction that then reads the outbox for the
bundle (:func:`queue_summaries`). The figures are counted just before, by the Department's
own Annex 2 report (``services.reports``): per indicator the numerator and the denominator
(3.3: the value its head entered). Counts only, never a person. The months are those from
the Department's first record, at most :data:`MONTHS_BACK` finished months back. A
Department on the shared server (``store.roles.connected_as_desk_role``) writes none: the
region counts its rows there itself.

**At the region**: a summary is kept per Department and month in ``region_summaries``, the
newest (by the sender's message number) winning (:func:`apply_summary`).
:meth:`RegionReportService.annex2` gives a month's indicators per Department — from its
latest summary, else counted live from its rows on the shared PostgreSQL (a Department with
a database role there, or with rows there and no exchange key), else "nothing received" —
and the region's total: the numerators and the denominators added up (3.3: the mean of the
values entered).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from mss_desk.errors import ValidationError
from mss_desk.exchange import messages
from mss_desk.rules import indicators as ind
from mss_desk.services.base import ServiceBase
from mss_desk.services.lifecycle_views import IndicatorRow

MONTHS_BACK = 12  # the oldest finished month a Department summarises (then: unchanged)
SOURCES = ("summary", "live", "none")


# --------------------------------------------------------------------------- months


def parse_month(text: str) -> date:
    """``YYYY-MM`` → the month's first day; anything else is invalid input."""
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError
        first = date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise ValidationError(text, key="region_report.bad_month", value=text) from None
    if not 1900 <= first.year <= 2100:
        raise ValidationError(text, key="region_report.bad_month", value=text)
    return first


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def add_months(first: date, n: int) -> date:
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


# --------------------------------------------------------------------------- figures


def figures_of(ratios: dict[str, ind.Ratio]) -> dict[str, dict[str, Any]]:
    """A month's indicators as the message carries them: counts only (3.3: entered)."""
    out: dict[str, dict[str, Any]] = {}
    for no in ind.INDICATOR_NOS:
        r = ratios.get(no, ind.Ratio(0, 0))
        item: dict[str, Any] = {"numerator": int(r.numerator), "denominator": int(r.denominator)}
        if r.entered is not None:
            item["entered"] = float(r.entered)
        out[no] = item
    return out


def ratios_of(figures: dict[str, Any]) -> dict[str, ind.Ratio]:
    """The message's counts back as ratios (unknown indicators ignored; bad ones refused)."""
    out: dict[str, ind.Ratio] = {}
    for no in ind.INDICATOR_NOS:
        item = figures.get(no)
        if item is None:
            continue
        num, den = int(item.get("numerator", 0)), int(item.get("denominator", 0))
        if num < 0 or den < 0 or num > den:
            raise ValueError(no)
        entered = item.get("entered")
        out[no] = ind.Ratio(num, den, None if entered is None else float(entered))
    return out


def department_months(reports: Any, today: date) -> dict[str, dict[str, dict[str, Any]]]:
    """The Department's figures of every finished month worth a summary (read only).

    The records are read once (``ReportService.inputs`` over the whole span) and counted
    per month (``rules.indicators.compute_indicators``); 3.3 is the head's value of the
    month's year (item 20: entered yearly)."""
    from mss_desk.services.reports import ENTERED, _entered_key
    from mss_desk.store.models import Setting

    this_month = today.replace(day=1)
    oldest = add_months(this_month, -MONTHS_BACK)
    last_end = this_month - timedelta(days=1)
    data = reports.inputs(oldest, last_end)
    firsts = [c.accepted_on for c in data.cases if c.accepted_on is not None]
    firsts += [t.day for t in data.tickets] + [s.on for s in data.surveys]
    firsts += [c.registered_on for c in data.complaints]
    firsts = [d for d in firsts if oldest <= d <= last_end]
    if not firsts:
        return {}
    dept = reports.department_code()
    entered: dict[int, dict[str, float]] = {}
    with reports.read_session() as session:
        for year in range(oldest.year, last_end.year + 1):
            for no in ENTERED:
                row = session.get(Setting, _entered_key(no, year, dept))
                if row is not None and row.value:
                    entered.setdefault(year, {})[no] = float(row.value)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    month = min(firsts).replace(day=1)
    while month <= last_end:
        period = ind.Period(month, month_end(month))
        month_data = replace(data, entered=entered.get(month.year, {}))
        ratios = ind.compute_indicators(month_data, period, today, reports.local_date)
        out[month_key(month)] = figures_of(ratios)
        month = add_months(month, 1)
    return out


def queue_summaries(
    session: Session,
    sender: int,
    months: dict[str, dict[str, dict[str, Any]]],
    today: date,
    now: datetime,
) -> int:
    """Issue 14.5: a ``summary.monthly`` for each month not yet summarised or whose figures
    changed since its last summary, in the caller's transaction; how many were added."""
    from mss_desk.exchange.outbox import enqueue
    from mss_desk.store.models import ExchangeOutbox
    from mss_desk.store.roles import connected_as_desk_role

    if not months or connected_as_desk_role(session):
        return 0
    sent: dict[str, Any] = {}
    for row in session.exec(
        select(ExchangeOutbox)
        .where(
            ExchangeOutbox.to_code == messages.REGION,
            ExchangeOutbox.kind == messages.MONTHLY_SUMMARY,
        )
        .order_by(col(ExchangeOutbox.seq))
    ).all():
        payload = json.loads(row.payload)
        sent[str(payload.get("month"))] = payload.get("indicators")
    added = 0
    for month, figures in sorted(months.items()):
        if sent.get(month) == figures:
            continue
        first = parse_month(month)
        payload = {
            "department_code": sender,
            "month": month,
            "start": first.isoformat(),
            "end": month_end(first).isoformat(),
            "made_on": today.isoformat(),
            "indicators": figures,
        }
        enqueue(session, sender=sender, to_code=messages.REGION,
                kind=messages.MONTHLY_SUMMARY, payload=payload, now=now)  # fmt: skip
        added += 1
    return added


# --------------------------------------------------------------------------- at the region


@dataclass(frozen=True)
class DepartmentFigures:
    """One Department's line of the regional Annex 2: where its figures come from."""

    code: int
    source: str  # summary (its latest, made at ``summarised_at``) / live / none
    summarised_at: datetime | None
    rows: tuple[IndicatorRow, ...]
    summarised_on: date | None = None  # the same, the region's local day ("summary of …")

    def value(self, no: str) -> float | None:
        for r in self.rows:
            if r.no == no:
                return r.value
        return None


@dataclass(frozen=True)
class RegionAnnex:
    """Annex 2 of one month for the region: per Department and the region's total."""

    month: str
    start: date
    end: date
    today: date
    departments: tuple[DepartmentFigures, ...]
    total: tuple[IndicatorRow, ...]

    def as_json(self) -> dict[str, Any]:
        def values(rows: tuple[IndicatorRow, ...]) -> dict[str, Any]:
            return {r.no: {"value": r.value, "numerator": r.numerator,
                           "denominator": r.denominator} for r in rows}  # fmt: skip

        return {
            "month": self.month,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "region": {
                r.no: {"value": r.value, "numerator": r.numerator, "denominator": r.denominator,
                       "normative": r.normative, "target": r.target,
                       "target_year": r.target_year, "direction": r.direction,
                       "meets": r.meets}
                for r in self.total
            },  # fmt: skip
            "departments": [
                {
                    "code": d.code,
                    "source": d.source,
                    "summarised_at": d.summarised_at.isoformat() if d.summarised_at else None,
                    "summarised_on": d.summarised_on.isoformat() if d.summarised_on else None,
                    "indicators": values(d.rows),
                }
                for d in self.departments
            ],
        }


def region_total(parts: list[dict[str, ind.Ratio]]) -> dict[str, ind.Ratio]:
    """The region's ratios: numerators and denominators added up; 3.3 (a value each head
    entered, not a count) the mean of the values entered."""
    out: dict[str, ind.Ratio] = {}
    for no in ind.INDICATOR_NOS:
        got = [p[no] for p in parts if no in p]
        entered = [r.entered for r in got if r.entered is not None]
        if entered:
            out[no] = ind.Ratio(0, 0, round(sum(entered) / len(entered), 2))
        else:
            out[no] = ind.Ratio(sum(r.numerator for r in got), sum(r.denominator for r in got))
    return out


class RegionReportService(ServiceBase):
    """The regional desk's Annex 2 (issue 14.2): reads every Department's summaries."""

    def annex2(self, month: str | date) -> RegionAnnex:
        from mss_desk.services.reports import indicator_rows
        from mss_desk.store.models import Department, DeskRole, ExchangePeer, RegionSummary

        if self.department_code() != messages.REGION:
            raise ValidationError("not the regional desk", key="region_report.not_regional")
        first = parse_month(month) if isinstance(month, str) else month.replace(day=1)
        key, end = month_key(first), month_end(first)
        with self.read_session() as session:
            summaries = {
                s.department_code: s
                for s in session.exec(
                    select(RegionSummary).where(RegionSummary.month == key)
                ).all()
            }
            keyed = set(session.exec(select(ExchangePeer.code)).all())
            here = set(session.exec(select(Department.code)).all())
            roles = set(session.exec(select(DeskRole.department_code)).all())
        # on the shared server: a database role of its own, or rows here and no key to
        # send bundles with (issue 14.4: the region sees its files at once)
        shared = {c for c in here if c != messages.REGION and (c in roles or c not in keyed)}
        year = end.year
        lines: list[DepartmentFigures] = []
        parts: list[dict[str, ind.Ratio]] = []
        for code in sorted(self.catalog.departments):
            summary = summaries.get(code)
            if summary is not None:
                ratios = ratios_of(json.loads(summary.indicators))
                source, at = "summary", summary.summarised_at
            elif code in shared:
                ratios, source, at = self._live(code, first, end), "live", None
            else:
                ratios, source, at = {}, "none", None
            if source != "none":
                parts.append(ratios)
            rows = indicator_rows(self.catalog, ratios, year) if source != "none" else []
            on = self.local_date(at) if at is not None else None
            lines.append(DepartmentFigures(code, source, at, tuple(rows), on))
        total = indicator_rows(self.catalog, region_total(parts), year)
        return RegionAnnex(key, first, end, self.today(), tuple(lines), tuple(total))

    def months_received(self) -> dict[int, int]:
        """How many months' summaries the region holds, per Department."""
        from sqlmodel import func

        from mss_desk.store.models import RegionSummary

        with self.read_session() as session:
            rows = session.exec(
                select(RegionSummary.department_code, func.count())
                .group_by(RegionSummary.department_code)  # type: ignore[arg-type]
                .order_by(RegionSummary.department_code)  # type: ignore[arg-type]
            ).all()
        return {int(code): int(n) for code, n in rows}

    def _live(self, code: int, start: date, end: date) -> dict[str, ind.Ratio]:
        """A Department on the shared server, counted from its rows here (read only)."""
        from mss_desk.services import Services

        hub = Services(self.engine, self.clock, self.catalog, department=code)
        reports = hub.reports
        data = reports.inputs(start, end, close_day=False)
        period = ind.Period(start, end)
        return ind.compute_indicators(data, period, self.today(), reports.local_date)


# --------------------------------------------------------------------------- as text


def cell(value: float | None, lang: str) -> str:
    """A percentage in at most four characters (a column of the regional table): "100",
    "96,2", "0,05"; "-" when there is no data (ASCII: an em dash is of ambiguous width and
    some terminals draw it double, which would shift the columns)."""
    if value is None:
        return "-"
    if value >= 99.95:
        text = "100"
    elif 0 < value < 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang in ("kk", "ru") else text


def department_name(catalog: Any, code: int, lang: str) -> str:
    """The Department by its district (Annex 1), in the clerk's language."""
    dept = catalog.departments.get(code)
    if dept is None:
        return str(code)
    return str(getattr(dept, f"district_{lang}", None) or dept.district_kk)


def annex_text(annex: RegionAnnex, catalog: Any, lang: str = "kk") -> str:
    """The regional Annex 2 as plain text (the CLI): a line per Department and the region."""
    from mss_desk.i18n import t

    nos = [r.no for r in annex.total]
    lines = [
        t("region_report.cli_title", lang, month=annex.month,
          start=annex.start.strftime("%d.%m.%Y"), end=annex.end.strftime("%d.%m.%Y")),
        "",
        " " * 26 + "".join(f"{no:>6}" for no in nos),
        f"{t('region_report.region', lang)[:25]:<26}"
        + "".join(f"{cell(r.value, lang):>6}" for r in annex.total),
    ]  # fmt: skip
    for d in annex.departments:
        name = f"{d.code:>2} {department_name(catalog, d.code, lang)}"[:25]
        values = "".join(f"{cell(d.value(no), lang):>6}" for no in nos) if d.rows else ""
        if d.source == "summary" and d.summarised_on is not None:
            when = d.summarised_on.strftime("%d.%m.%Y")
            source = t("region_report.cli_source_summary", lang, date=when)
        else:
            source = t(f"region_report.cli_source_{d.source}", lang)
        lines.append(f"{name:<26}{values or ' ' * 6 * len(nos)}  {source}".rstrip())
    return "\n".join(lines)
