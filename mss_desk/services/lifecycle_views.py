"""What the lifecycle, complaints and reports services hand out (plain frozen dataclasses).

No SQLAlchemy here, so screens may import it at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from mss_desk.rules.lifecycle import (
    AlertCounts,
    DeadlineAlert,
    DeadlineCase,
    count_alerts,
    deadline_alerts,
)
from mss_desk.services.views import CaseProgress


@dataclass(frozen=True, kw_only=True)
class LifecycleRow(CaseProgress):
    """One case as the forwarding, decision and delivery screens list it."""

    case_no: str
    applicant_name: str
    accepted_on: date | None


@dataclass(frozen=True)
class RegisterLine:
    """One line of the forwarding register (item 5): one case, for the paper file."""

    no: int
    case_no: str
    applicant_name: str
    institution: str
    accepted_on: date
    priority: bool
    documents: int  # documents received (the file's contents)
    decision_due: date | None
    binding_due: date | None
    # item 6.1: the Council's decision the council-exception path rests on (else None)
    council_decision_no: str | None = None
    council_decision_date: date | None = None


@dataclass(frozen=True)
class ForwardingRegister:
    department_code: int
    sent_on: date
    clerk_id: int
    lines: tuple[RegisterLine, ...]


@dataclass(frozen=True)
class Dashboard:
    """The deadline dashboard: every running deadline at risk, the binding one marked."""

    today: date
    alerts: tuple[DeadlineAlert, ...]
    counts: AlertCounts  # every running deadline
    cases: AlertCounts  # each case once, by its most urgent deadline
    safekeeping_due: int  # results not collected in time (item 18.6)
    complaints_due: int  # complaints open with the answer due within three days or overdue

    @classmethod
    def of(
        cls,
        today: date,
        cases: Iterable[DeadlineCase],
        soon_days: int,
        safekeeping_due: int,
        complaints_due: int,
    ) -> Dashboard:
        """The dashboard of these cases' running deadlines (rules.deadline_alerts)."""
        alerts = deadline_alerts(cases, today, soon_days)
        worst: dict[str, DeadlineAlert] = {}
        for a in alerts:  # sorted most urgent first
            worst.setdefault(a.case_no, a)
        return cls(
            today=today,
            alerts=tuple(alerts),
            counts=count_alerts(alerts),
            cases=count_alerts(worst.values()),
            safekeeping_due=safekeeping_due,
            complaints_due=complaints_due,
        )


@dataclass(frozen=True)
class ComplaintView:
    id: int
    complaint_no: str
    complainant: str
    contact: str
    case_no: str | None
    about_clerk_id: int | None
    text: str
    registered_at: datetime
    registered_on: date
    registered_by: int | None
    answer_due: date
    status: str  # registered / answered
    answered_on: date | None
    answer_text: str
    justified: bool | None
    satisfied: bool | None
    reviewed_by: int | None
    # issue 14.3 / item 22: registered at the Regional Department; the second instance
    at_region: bool = False
    escalated_on: date | None = None
    second_due: date | None = None
    second_answered_on: date | None = None
    second_answer_text: str = ""
    second_justified: bool | None = None
    second_satisfied: bool | None = None
    department_code: int | None = None  # the Department the complaint concerns

    @property
    def second_instance(self) -> str | None:
        """Item 22: ``escalated`` (at the region, not answered), ``answered`` or None."""
        if self.escalated_on is None:
            return None
        return "answered" if self.second_answered_on is not None else "escalated"

    @property
    def on_time(self) -> bool | None:
        """Answered within the answer deadline (item 23); None while open."""
        if self.answered_on is None:
            return None
        return self.answered_on <= self.answer_due


@dataclass(frozen=True)
class IndicatorRow:
    no: str
    group: str
    title_kk: str
    title_ru: str
    title_en: str
    source: str  # computed / survey / entered
    value: float | None  # percent, rounded to 2 places; None = no data
    normative: float
    target: float
    numerator: int
    denominator: int
    direction: str = "higher"  # Annex 2: "lower" when less is better (4.1)
    target_year: int | None = None  # item 20: the year whose target is used
    meets: bool | None = None  # on the good side of the target (None: no data)

    def title(self, lang: str) -> str:
        return {"kk": self.title_kk, "ru": self.title_ru}.get(lang, self.title_en)


@dataclass(frozen=True)
class IndicatorReport:
    department_code: int
    start: date
    end: date
    today: date
    rows: tuple[IndicatorRow, ...] = field(default=())

    def row(self, no: str) -> IndicatorRow:
        for r in self.rows:
            if r.no == no:
                return r
        raise KeyError(no)

    def as_json(self) -> dict[str, dict[str, dict[str, object]]]:
        """``{"indicators": {"1.1": {"value", "normative", "target", "target_year",
        "direction", "meets"}, …}}``."""
        return {
            "indicators": {
                r.no: {
                    "value": r.value,
                    "normative": r.normative,
                    "target": r.target,
                    "target_year": r.target_year,
                    "direction": r.direction,
                    "meets": r.meets,
                }
                for r in self.rows
            }
        }
