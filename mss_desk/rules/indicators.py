"""Annex 2 quality indicators computed from plain records (items 19-20).

Pure: the reports service reads the rows of one Department, turns them into the records
below and calls :func:`compute_indicators`. Every indicator is a :class:`Ratio`; an empty
population gives ``percent is None`` ("no data"), never a division by zero.

How each computed indicator is counted (SPEC "Quality indicators", decisions noted):

- 1.1 cases whose service deadline (item 7.1) falls in the period; on time when the result
  was ready at the Department on or before that day. Cases due in the period but not yet
  due on ``today`` and not yet ready are still pending and left out.
- 1.2 queue tickets for ``submit`` and ``collect`` (items 7.2, 7.3) of days in the period:
  wait = called - issued, good when wait <= the limit (40 minutes). Every ticket counts
  (SPEC "Queue", issue 11.6): one never called by closing time (18:00, item 10) waited
  until closing (``closed_at``), a breach when that is longer than the limit. Only a
  ticket still waiting before closing today is left out (not yet known).
- 2.2 cases first forwarded in the period: correct when the Regional Department never
  returned the file for correction.
- 3.2 acceptances in the period: "first time" when the file was accepted at the visit it
  was handed in (not completed later) and no earlier submission of the same applicant for
  the same institution type was returned incomplete since that applicant's previous
  acceptance.
- 3.3 entered by the head of Department (a percentage), ``None`` when not entered.
- 4.1 justified complaints registered in the period, of the consumers served in the period
  (Decision: consumers served = cases accepted in the period).
- 4.2 justified complaints registered in the period: good when satisfied and answered on
  or before the answer deadline.
- 2.1, 3.1, 4.3, 4.4, 5.1 survey answers at delivery in the period: share of "yes" among
  those who answered that question (a skipped question counts nowhere).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

INDICATOR_NOS: tuple[str, ...] = (
    "1.1",
    "1.2",
    "2.1",
    "2.2",
    "3.1",
    "3.2",
    "3.3",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "5.1",
)
SURVEY_INDICATORS: tuple[str, ...] = ("2.1", "3.1", "4.3", "4.4", "5.1")
QUEUE_LIMITED_PURPOSES: frozenset[str] = frozenset({"submit", "collect"})  # items 7.2, 7.3


def meets_target(value: float | None, target: float, direction: str = "higher") -> bool | None:
    """Is ``value`` on the good side of ``target``? None when there is no data.

    Annex 2: most indicators are better higher; 4.1 (justified complaints) is better lower,
    so 0.2 against a target of 0.1 misses it and 0.0 meets it.
    """
    if value is None:
        return None
    if direction == "lower":
        return value <= target
    return value >= target


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int
    entered: float | None = None  # a value typed by the head (3.3), not a count

    @property
    def percent(self) -> float | None:
        if self.entered is not None:
            return self.entered
        if self.denominator == 0:
            return None
        return 100.0 * self.numerator / self.denominator

    @property
    def has_data(self) -> bool:
        return self.percent is not None


# --- records --------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRecord:
    accepted_on: date | None
    service_due: date | None
    result_ready_on: date | None
    first_forwarded_on: date | None = None
    returned_by_region_on: date | None = None


@dataclass(frozen=True)
class TicketRecord:
    day: date
    purpose: str
    issued_at: datetime
    called_at: datetime | None
    max_minutes: int = 40
    closed_at: datetime | None = None  # never called: closing time of its day (item 10)


@dataclass(frozen=True)
class SubmissionRecord:
    """One handing-in of documents: accepted, or returned incomplete (item 17).

    ``first_visit`` is False for a file returned incomplete and completed later on the same
    case (accepted after it was submitted): not accepted at the first visit.
    """

    applicant_id: int
    institution: str
    submitted_at: datetime
    accepted: bool
    first_visit: bool = True


@dataclass(frozen=True)
class ComplaintRecord:
    registered_on: date
    justified: bool | None
    satisfied: bool | None
    answered_on: date | None
    answer_due: date | None


@dataclass(frozen=True)
class SurveyRecord:
    on: date
    answers: Mapping[str, bool | None] = field(default_factory=dict)  # indicator no -> yes/no


@dataclass(frozen=True)
class IndicatorInputs:
    cases: tuple[CaseRecord, ...] = ()
    tickets: tuple[TicketRecord, ...] = ()
    submissions: tuple[SubmissionRecord, ...] = ()
    complaints: tuple[ComplaintRecord, ...] = ()
    surveys: tuple[SurveyRecord, ...] = ()
    entered: Mapping[str, float] = field(default_factory=dict)  # 3.3


def _utc_date(dt: datetime) -> date:
    return dt.date()


# --- the indicators -----------------------------------------------------------------------


def served_on_time(cases: Iterable[CaseRecord], period: Period, today: date) -> Ratio:
    """1.1 (item 7.1)."""
    num = den = 0
    for c in cases:
        if c.service_due is None or c.service_due not in period:
            continue
        ready_in_time = c.result_ready_on is not None and c.result_ready_on <= c.service_due
        if not ready_in_time and c.result_ready_on is None and c.service_due >= today:
            continue  # still running: neither on time nor late yet
        den += 1
        num += ready_in_time
    return Ratio(num, den)


def queue_waits(tickets: Iterable[TicketRecord], period: Period) -> Ratio:
    """1.2 (items 7.2, 7.3): waited no longer than the limit."""
    num = den = 0
    for tk in tickets:
        if tk.purpose not in QUEUE_LIMITED_PURPOSES or tk.day not in period:
            continue
        end = tk.called_at if tk.called_at is not None else tk.closed_at
        if end is None:
            continue  # still waiting today, before closing: its wait is not known yet
        den += 1
        num += end - tk.issued_at <= timedelta(minutes=tk.max_minutes)
    return Ratio(num, den)


def processed_correctly(cases: Iterable[CaseRecord], period: Period) -> Ratio:
    """2.2: forwarded and not returned by the Regional Department."""
    num = den = 0
    for c in cases:
        if c.first_forwarded_on is None or c.first_forwarded_on not in period:
            continue
        den += 1
        num += c.returned_by_region_on is None
    return Ratio(num, den)


def first_time(
    submissions: Iterable[SubmissionRecord],
    period: Period,
    tz_date: Callable[[datetime], date] = _utc_date,
) -> Ratio:
    """3.2: accepted at the first visit. ``tz_date`` turns a UTC time into the local date."""
    series: dict[tuple[int, str], list[SubmissionRecord]] = defaultdict(list)
    for s in submissions:
        series[(s.applicant_id, s.institution)].append(s)
    num = den = 0
    for subs in series.values():
        subs.sort(key=lambda s: s.submitted_at)
        returned_before = False
        for s in subs:
            if not s.accepted:
                returned_before = True
                continue
            if tz_date(s.submitted_at) in period:
                den += 1
                num += not returned_before and s.first_visit
            returned_before = False  # a new application starts after an acceptance
    return Ratio(num, den)


def justified_share(complaints: Iterable[ComplaintRecord], served: int, period: Period) -> Ratio:
    """4.1: justified complaints of all consumers served."""
    num = sum(1 for c in complaints if c.registered_on in period and c.justified is True)
    return Ratio(num, served)


def justified_satisfied_on_time(complaints: Iterable[ComplaintRecord], period: Period) -> Ratio:
    """4.2: justified complaints considered and satisfied within the time limit (item 23)."""
    num = den = 0
    for c in complaints:
        if c.registered_on not in period or c.justified is not True:
            continue
        den += 1
        on_time = (
            c.answered_on is not None and c.answer_due is not None and c.answered_on <= c.answer_due
        )
        num += bool(c.satisfied) and on_time
    return Ratio(num, den)


def survey_share(surveys: Iterable[SurveyRecord], no: str, period: Period) -> Ratio:
    """2.1, 3.1, 4.3, 4.4, 5.1: share of "yes" among those who answered the question."""
    num = den = 0
    for s in surveys:
        if s.on not in period:
            continue
        answer = s.answers.get(no)
        if answer is None:
            continue
        den += 1
        num += answer is True
    return Ratio(num, den)


def compute_indicators(
    data: IndicatorInputs,
    period: Period,
    today: date,
    tz_date: Callable[[datetime], date] = _utc_date,
) -> dict[str, Ratio]:
    """All twelve Annex 2 indicators for one Department and period."""
    served = sum(1 for c in data.cases if c.accepted_on is not None and c.accepted_on in period)
    out: dict[str, Ratio] = {
        "1.1": served_on_time(data.cases, period, today),
        "1.2": queue_waits(data.tickets, period),
        "2.2": processed_correctly(data.cases, period),
        "3.2": first_time(data.submissions, period, tz_date),
        "3.3": Ratio(0, 0, entered=data.entered.get("3.3")),
        "4.1": justified_share(data.complaints, served, period),
        "4.2": justified_satisfied_on_time(data.complaints, period),
    }
    for no in SURVEY_INDICATORS:
        out[no] = survey_share(data.surveys, no, period)
    return {no: out[no] for no in INDICATOR_NOS}
