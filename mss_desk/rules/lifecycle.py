"""The case lifecycle as a pure transition table (SPEC "Case lifecycle and deadlines").

``draft → accepted → forwarded → decided (referral | refusal) → result_ready →
delivered | in_safekeeping``, plus ``returned_incomplete`` (documents missing, item 17),
which is accepted once the missing documents are brought in.
A file the Regional Department sends back for correction returns to ``accepted`` (the
Department corrects it and forwards it again); the return stays on record (indicator 2.2).

Every service transition asks :func:`next_status` first: an illegal move (for example a
delivery before a decision) raises :class:`RuleViolation` with a message key that says
which step is missing. The deadline dashboard and the referral waiting list are pure too.
No I/O, no clock: ``today`` is always a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from mss_desk.errors import RuleViolation
from mss_desk.vocabulary import CASE_STATUSES, DECISIONS, OWNERSHIP

STATUSES: tuple[str, ...] = CASE_STATUSES

ACTIONS: tuple[str, ...] = (
    "accept",
    "return_incomplete",
    "forward",
    "return_for_correction",
    "decide",
    "result_ready",
    "deliver",
    "safekeep",
)


# (status, action) -> new status. Anything not listed is illegal.
TRANSITIONS: dict[tuple[str, str], str] = {
    # item 15: accepted only with every required document; otherwise the missing list
    ("draft", "accept"): "accepted",
    ("draft", "return_incomplete"): "returned_incomplete",
    # a returned file completed later (the missing documents brought in) is accepted then;
    # it does not count as accepted at the first visit (indicator 3.2)
    ("returned_incomplete", "accept"): "accepted",
    # item 5: the Department passes the file to the Regional Department
    ("accepted", "forward"): "forwarded",
    # the Regional Department sends the file back for correction (indicator 2.2)
    ("forwarded", "return_for_correction"): "accepted",
    # item 5: referral or refusal (item 17) by the Regional Department
    ("forwarded", "decide"): "decided",
    # the decision's paper reaches the Department: ready to hand over
    ("decided", "result_ready"): "result_ready",
    # item 16: in person (collect ticket) or by postal notice
    ("result_ready", "deliver"): "delivered",
    # item 18.6: not collected in time -> safekeeping, never deleted
    ("result_ready", "safekeep"): "in_safekeeping",
    # a result in safekeeping is still handed over when the applicant comes
    ("in_safekeeping", "deliver"): "delivered",
}

# Statuses in which a deadline still runs (the result is not yet with the Department).
OPEN_STATUSES: frozenset[str] = frozenset({"accepted", "forwarded", "decided"})


def allowed_actions(status: str) -> tuple[str, ...]:
    """The actions legal from ``status``, in the lifecycle's order."""
    return tuple(a for a in ACTIONS if (status, a) in TRANSITIONS)


def can(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS


def next_status(status: str, action: str) -> str:
    """The status after ``action``; :class:`RuleViolation` if the rules forbid the move."""
    if status not in STATUSES:
        raise RuleViolation(
            f"unknown status {status!r}", key="lifecycle.error.unknown_status", status=status
        )
    if action not in ACTIONS:
        raise RuleViolation(
            f"unknown action {action!r}", key="lifecycle.error.unknown_action", action=action
        )
    new = TRANSITIONS.get((status, action))
    if new is None:
        raise RuleViolation(
            f"{action} not allowed from {status}",
            key=f"lifecycle.error.{action}",
            status=status,
            action=action,
        )
    return new


# --- decisions and delivery: the facts each step needs ------------------------------------


def check_decision(
    decision: str,
    *,
    referral_no: str = "",
    institution_name: str = "",
    ownership: str = "",
    reason: str = "",
) -> None:
    """Item 5: a referral names its number, the institution and state/non-state (item 3);
    item 17: a refusal states its reason."""
    if decision not in DECISIONS:
        raise RuleViolation(
            "unknown decision", key="lifecycle.error.decision_kind", decision=decision
        )
    if decision == "referral":
        if not referral_no.strip():
            raise RuleViolation("referral number", key="lifecycle.error.referral_no")
        if not institution_name.strip():
            raise RuleViolation("institution", key="lifecycle.error.referral_institution")
        if ownership not in OWNERSHIP:
            raise RuleViolation(
                "ownership", key="lifecycle.error.referral_ownership", ownership=ownership
            )
    elif not reason.strip():
        raise RuleViolation("refusal reason", key="lifecycle.error.refusal_reason")


def check_not_before(when: date, earlier: date | None, what: str) -> None:
    """A step cannot be dated before the step it follows (e.g. a decision before forwarding)."""
    if earlier is not None and when < earlier:
        raise RuleViolation(
            f"{what} before {earlier}",
            key="lifecycle.error.date_order",
            what=what,
            earlier=earlier.isoformat(),
        )


def check_not_future(when: date, today: date, what: str) -> None:
    if when > today:
        raise RuleViolation(f"{what} in the future", key="lifecycle.error.future_date", what=what)


# --- safekeeping (item 18.6) --------------------------------------------------------------


def safekeeping_from(result_ready_on: date, safekeeping_days: int) -> date:
    """The first day a result not collected may go to safekeeping.

    "Not collected within N days": the N days after the result is ready are the applicant's;
    on day N + 1 the result moves to safekeeping.
    """
    return result_ready_on + timedelta(days=safekeeping_days + 1)


def due_for_safekeeping(result_ready_on: date | None, today: date, safekeeping_days: int) -> bool:
    if result_ready_on is None:
        return False
    return today >= safekeeping_from(result_ready_on, safekeeping_days)


# --- the referral waiting list (item 6.1: WWII first priority) ---------------------------


@dataclass(frozen=True)
class WaitingEntry:
    case_no: str
    priority: bool
    forwarded_on: date | None
    accepted_at: datetime | None


def waiting_order(entries: Iterable[WaitingEntry]) -> list[WaitingEntry]:
    """Item 6.1: WWII-priority cases first; then in order of forwarding and acceptance.

    Decision (SPEC): the flag orders the Regional Department's waiting list, never the
    front-desk queue (item 10).
    """

    def key(e: WaitingEntry) -> tuple[int, date, datetime | str, str]:
        return (
            0 if e.priority else 1,
            e.forwarded_on or date.max,
            e.accepted_at.isoformat() if e.accepted_at else "~",
            e.case_no,
        )

    return sorted(entries, key=key)


# --- the deadline dashboard ---------------------------------------------------------------

DeadlineKind = Literal["forward", "decision", "service"]
AlertState = Literal["overdue", "today", "soon"]
SOON_DAYS = 3  # issue 5: "due within three days"


@dataclass(frozen=True)
class DeadlineCase:
    """The deadline facts of one case, as the dashboard needs them."""

    case_no: str
    status: str
    service_due: date | None
    forward_due: date | None
    decision_due: date | None
    binding: str | None  # "service" | "decision"
    priority: bool = False


@dataclass(frozen=True)
class DeadlineAlert:
    case_no: str
    kind: DeadlineKind
    due: date
    state: AlertState
    days: int  # due - today: negative when overdue
    binding: bool  # the deadline that bites (SPEC: binding_due)
    status: str
    priority: bool = False


def running_deadlines(case: DeadlineCase) -> list[tuple[DeadlineKind, date]]:
    """The deadlines still running for a case in its status.

    forwarding (item 5) runs until the file is forwarded; the decision deadline (item 5)
    while the Regional Department holds the file; the service deadline (item 7.1) until the
    result is ready at the Department.
    """
    out: list[tuple[DeadlineKind, date]] = []
    if case.status == "accepted" and case.forward_due is not None:
        out.append(("forward", case.forward_due))
    if case.status == "forwarded" and case.decision_due is not None:
        out.append(("decision", case.decision_due))
    if case.status in OPEN_STATUSES and case.service_due is not None:
        out.append(("service", case.service_due))
    return out


def classify(due: date, today: date, soon_days: int = SOON_DAYS) -> AlertState | None:
    days = (due - today).days
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    if days <= soon_days:
        return "soon"
    return None


def deadline_alerts(
    cases: Iterable[DeadlineCase], today: date, soon_days: int = SOON_DAYS
) -> list[DeadlineAlert]:
    """Every running deadline that is overdue, due today or due within ``soon_days``.

    Sorted most urgent first (overdue, today, soon; earlier due first), then priority.
    """
    order = {"overdue": 0, "today": 1, "soon": 2}
    alerts: list[DeadlineAlert] = []
    for case in cases:
        for kind, due in running_deadlines(case):
            state = classify(due, today, soon_days)
            if state is None:
                continue
            binding = case.binding == kind or (kind == "service" and case.binding is None)
            alerts.append(
                DeadlineAlert(
                    case_no=case.case_no,
                    kind=kind,
                    due=due,
                    state=state,
                    days=(due - today).days,
                    binding=binding,
                    status=case.status,
                    priority=case.priority,
                )
            )
    alerts.sort(key=lambda a: (order[a.state], a.due, 0 if a.priority else 1, a.case_no, a.kind))
    return alerts


@dataclass(frozen=True)
class AlertCounts:
    overdue: int = 0
    today: int = 0
    soon: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.soon


def count_alerts(alerts: Iterable[DeadlineAlert], binding_only: bool = False) -> AlertCounts:
    """Counts per state; ``binding_only`` counts each case once, by its binding deadline."""
    n = {"overdue": 0, "today": 0, "soon": 0}
    for a in alerts:
        if binding_only and not a.binding:
            continue
        n[a.state] += 1
    return AlertCounts(**n)
