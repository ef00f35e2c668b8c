"""Complaints that travel between a Department and the region (item 22; issue 14, 3 and 5).

Three messages:

- ``complaint.escalated`` (Department → region): the applicant disagrees with the
  Department's answer; the complaint, its first answer and the escalation date go to the
  Regional Department, the second instance.
- ``complaint.registered`` (region → Department): a complaint about the Department was
  registered at the region; the Department lists it (read-only, "registered at the region").
- ``complaint.answered`` (region → Department): the region's answer — to a complaint it
  registered (instance 1) or to an escalated one (instance 2).

The payload is the complaint as a JSON value, without local ids (clerks, cases: the
receiver links its own case by number). Audit details name numbers and desks only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any

from sqlmodel import Session, select

from mss_desk.exchange import messages
from mss_desk.services import audit
from mss_desk.store.models import Case, Complaint

# the complaint's columns a message carries (not the local ids)
FIELDS = (
    "complaint_no", "department_code", "complainant", "contact", "text", "registered_at",
    "answer_due", "status", "answered_on", "answer_text", "justified", "satisfied",
    "at_region", "escalated_on", "second_due",
)  # fmt: skip
_ANSWER = ("answered_on", "answer_text", "justified", "satisfied")
Apply = Callable[..., None]


class Refused(Exception):
    """A message not applied; its key says why (``exchange.problem.*``). Raised before the
    message's first write; ``exchange.apply`` turns the returned key into its problem."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _problem_key(apply: Apply) -> Callable[..., str | None]:
    """``apply`` returning None (applied) or the key of the problem it refused with."""

    @wraps(apply)
    def run(*args: Any, **kw: Any) -> str | None:
        try:
            apply(*args, **kw)
        except Refused as refused:
            return refused.key
        return None

    return run
_SECOND = ("second_answered_on", "second_answer_text", "second_justified", "second_satisfied")


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def complaint_payload(session: Session, c: Complaint) -> dict[str, Any]:
    """The complaint as it travels: its facts, its first answer, its case number."""
    out = {name: _json(getattr(c, name)) for name in FIELDS}
    case_no = c.case_no
    if c.case_id is not None:
        case = session.get(Case, c.case_id)
        case_no = case.case_no if case is not None else case_no
    out["case_no"] = case_no
    return out


def answer_payload(c: Complaint, instance: int) -> dict[str, Any]:
    """The region's answer: instance 1 (registered at the region) or 2 (escalated)."""
    names = _ANSWER if instance == 1 else _SECOND
    return {
        "complaint_no": c.complaint_no,
        "instance": instance,
        **{name.removeprefix("second_"): _json(getattr(c, name)) for name in names},
    }


def _values(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload's known columns, typed back; ``Refused`` on a malformed one."""
    try:
        values = messages.row_values(Complaint, payload, {"id", "case_id"})
        for name in ("complaint_no", "complainant", "text", "registered_at"):
            if not values.get(name):
                raise ValueError(name)
    except (TypeError, ValueError, KeyError):
        raise Refused("exchange.problem.bad_payload") from None
    return values


def _case_id(session: Session, case_no: str | None, code: int) -> int | None:
    if not case_no:
        return None
    return session.exec(
        select(Case.id).where(Case.case_no == case_no, Case.department_code == code)
    ).first()


def _find(session: Session, complaint_no: Any) -> Complaint | None:
    return session.exec(
        select(Complaint).where(Complaint.complaint_no == complaint_no).with_for_update()
    ).first()


@_problem_key
def escalated_at_region(
    session: Session, svc: Any, from_code: int, message: dict[str, Any], department_row: Apply
) -> None:
    """Item 22 at the region: the Department's complaint, for the second instance.
    ``department_row``: ``exchange.apply``'s (the sending Department's row at the region)."""

    values = _values(message.get("payload") or {})
    if values.get("department_code") != from_code or values.get("escalated_on") is None:
        raise Refused("exchange.problem.not_senders_file")
    row = _find(session, values["complaint_no"])
    if row is not None and row.department_code != from_code:
        raise Refused("exchange.problem.not_senders_file")
    if row is not None and row.second_answered_on is not None:
        raise Refused("exchange.problem.complaint_answered")  # the region owns its answer
    # -- no Refused below this line: the writes begin
    department_row(session, session.connection(), svc, from_code)
    values["at_region"] = False
    case_no = (message.get("payload") or {}).get("case_no") or None
    if row is None:
        row = Complaint(**values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    row.case_no = case_no
    row.case_id = _case_id(session, case_no, from_code)
    session.add(row)
    session.flush()
    audit.record(
        session, svc.now(), None, "complaint.escalated", "complaint", row.complaint_no,
        f"from={from_code} message={message['id']}",
    )  # fmt: skip


@_problem_key
def registered_at_department(
    session: Session, svc: Any, own_code: int, message: dict[str, Any]
) -> None:
    """Issue 14.3: a complaint about this Department, registered at the region."""
    payload = message.get("payload") or {}
    values = _values(payload)
    if values.get("department_code") != own_code or not values.get("at_region"):
        raise Refused("exchange.problem.not_senders_file")
    row = _find(session, values["complaint_no"])
    if row is not None and row.department_code != own_code:
        raise Refused("exchange.problem.not_senders_file")
    if row is None:
        row = Complaint(**values)
    else:  # sent again: the region's facts (the region owns this complaint)
        for name, value in values.items():
            setattr(row, name, value)
    row.case_no = payload.get("case_no") or None
    row.case_id = _case_id(session, row.case_no, own_code)
    session.add(row)
    session.flush()
    audit.record(
        session, svc.now(), None, "complaint.registered_at_region", "complaint",
        row.complaint_no, f"from=region message={message['id']}",
    )  # fmt: skip


@_problem_key
def answered_at_department(
    session: Session, svc: Any, own_code: int, message: dict[str, Any]
) -> None:
    """The region's answer, on the Department's copy of the complaint."""
    p = message.get("payload") or {}
    instance = p.get("instance")
    row = session.exec(
        select(Complaint)
        .where(Complaint.complaint_no == p.get("complaint_no"),
               Complaint.department_code == own_code)
        .with_for_update()
    ).first()  # fmt: skip
    if row is None:
        raise Refused("exchange.problem.unknown_complaint")
    if instance not in (1, 2) or (instance == 1 and not row.at_region):
        raise Refused("exchange.problem.bad_payload")
    try:
        on = date.fromisoformat(p["answered_on"])
    except (KeyError, TypeError, ValueError):
        raise Refused("exchange.problem.bad_payload") from None
    # -- no Refused below this line: the writes begin
    text = str(p.get("answer_text") or "")
    justified, satisfied = p.get("justified"), p.get("satisfied")
    if instance == 1:
        row.answered_on, row.answer_text = on, text
        row.justified, row.satisfied, row.status = justified, satisfied, "answered"
    else:
        row.second_answered_on, row.second_answer_text = on, text
        row.second_justified, row.second_satisfied = justified, satisfied
        if row.escalated_on is None:  # escalated on the shared server before: keep the date
            row.escalated_on = on
    session.add(row)
    session.flush()
    audit.record(
        session, svc.now(), None, "complaint.answered_at_region", "complaint",
        row.complaint_no, f"instance={instance} from=region message={message['id']}",
    )  # fmt: skip
