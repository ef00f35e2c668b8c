"""Deadlines of a case (items 5, 7.1; SPEC "Case lifecycle and deadlines").

- service: acceptance + 15 calendar days (item 7.1);
- forward: acceptance + 10 calendar days (item 5; Decision: calendar days);
- decision: forwarding + 10 working days, counted from the day after forwarding (item 5;
  Decision: the file arrives the day it is sent);
- a calendar-day deadline on a Saturday, Sunday or holiday moves to the next working day
  (Decision: the general rule for time limits in Kazakh civil law);
- binding: the earlier of service and decision; until forwarded, the service deadline.

The numbers come from :class:`mss_desk.catalog.Terms` — those in force on the acceptance
date (a case keeps them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from mss_desk.errors import ValidationError

if TYPE_CHECKING:
    from mss_desk.catalog import Terms
    from mss_desk.rules.calendar import BusinessCalendar


@dataclass(frozen=True)
class Deadlines:
    service_due: date
    forward_due: date
    decision_due: date | None
    binding_due: date
    binding: Literal["service", "decision"]


def calendar_days_due(start: date, days: int, calendar: BusinessCalendar) -> date:
    """``start`` + ``days`` calendar days, moved to the next working day if needed."""
    return calendar.next_working_day(start + timedelta(days=days))


def compute_deadlines(
    accepted_on: date,
    forwarded_on: date | None,
    calendar: BusinessCalendar,
    terms: Terms,
) -> Deadlines:
    if forwarded_on is not None and forwarded_on < accepted_on:
        raise ValidationError(key="rules.deadline.forwarded_before_accepted")
    # item 7.1: within 15 calendar days of submitting the documents
    service_due = calendar_days_due(accepted_on, terms.service_days, calendar)
    # item 5: forwarded to the Regional Department within 10 days of acceptance
    forward_due = calendar_days_due(accepted_on, terms.forward_days, calendar)
    decision_due: date | None = None
    binding: Literal["service", "decision"] = "service"
    binding_due = service_due
    if forwarded_on is not None:
        # item 5: the Regional Department decides within 10 working days of receiving
        decision_due = calendar.add_working_days(forwarded_on, terms.decision_working_days)
        if decision_due < service_due:
            binding, binding_due = "decision", decision_due
    return Deadlines(service_due, forward_due, decision_due, binding_due, binding)
