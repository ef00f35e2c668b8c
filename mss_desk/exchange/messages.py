"""The kinds of message between desks and their payloads (plain JSON values).

A Department owns its file's facts; the Regional Department owns its decisions (issue 14,
point 6). The payload of a file carries what the Department registered: the case, the
applicant, the item 12 checklist and the forwarding register's line.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mss_desk.store.models import Applicant, Case, CaseDocument, UTCDateTime

REGION = 0  # item 24.2: the Regional Department's code in Annex 1 (data/departments.toml)

# Department → region
FORWARDED = "case.forwarded"  # item 5: a file forwarded (wired: lifecycle.forward)
RESENT = "case.resent"  # a file forwarded again after a return for correction (wired)
COMPLAINT_ESCALATED = "complaint.escalated"  # item 22: the second instance (wired:
# services.complaints.escalate; applied in exchange.complaints)
MONTHLY_SUMMARY = "summary.monthly"  # Annex 2 counts of a month (wired: exchange.summary)
# region → Department
RECEIVED = "case.received"  # point 1: the region recorded receipt (wired: apply, import)
DECIDED = "case.decided"  # item 5/17: referral or refusal (wired: exchange.region.decide)
REFERRAL = "case.referral"  # a place came free: referral to the first in line (wired:
# exchange.places.free_place; applied at the Department like a referral decision)
RETURNED = "case.returned"  # returned for correction (wired: exchange.region.decide)

# item 22 / issue 14.3, region → Department (wired: exchange.region_complaints)
COMPLAINT_REGISTERED = "complaint.registered"  # a complaint about it, registered at the region
COMPLAINT_ANSWERED = "complaint.answered"  # the region's answer (registered there or escalated)

FROM_DEPARTMENT = (FORWARDED, RESENT, COMPLAINT_ESCALATED, MONTHLY_SUMMARY)
FROM_REGION = (RECEIVED, DECIDED, REFERRAL, RETURNED, COMPLAINT_REGISTERED, COMPLAINT_ANSWERED)
# both ways: "your message was not applied here" (point 6, no silent overwrite: the problem
# is listed on both desks). Payload: the original message's id and kind, the case number,
# the problem's key (``exchange.problem.*``). Never answered with a notice of its own.
PROBLEM = "exchange.problem"
KINDS = FROM_DEPARTMENT + FROM_REGION + (PROBLEM,)

# Local row ids and links that mean nothing on another desk.
CASE_LOCAL = {
    "id",
    "applicant_id",
    "clerk_id",
    "ticket_id",
    "spouse_case_id",
    "delivery_ticket_id",
}
APPLICANT_LOCAL = {"id"}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row: Any, skip: set[str]) -> dict[str, Any]:
    """A table row's columns as JSON values (dates and times in ISO 8601)."""
    table = type(row).__table__
    return {c.name: _json_value(getattr(row, c.name)) for c in table.columns if c.name not in skip}


def row_values(model: Any, data: dict[str, Any], skip: set[str]) -> dict[str, Any]:
    """The known columns of ``model`` from a payload, typed back (unknown keys ignored: a
    newer minor version may add fields)."""
    out: dict[str, Any] = {}
    for column in model.__table__.columns:
        name = column.name
        if name in skip or name not in data:
            continue
        value = data[name]
        if value is not None:
            if isinstance(column.type, UTCDateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(column.type, sa.Date):
                value = date.fromisoformat(value)
        out[name] = value
    return out


def file_payload(session: Session, case: Case, register: dict[str, Any]) -> dict[str, Any]:
    """A forwarded file: the case, the applicant, the checklist, the register's line."""
    applicant = session.get(Applicant, case.applicant_id)
    docs = session.exec(
        select(CaseDocument).where(CaseDocument.case_id == case.id).order_by(CaseDocument.code)
    ).all()
    return {
        "case": row_dict(case, CASE_LOCAL),
        "applicant": row_dict(applicant, APPLICANT_LOCAL) if applicant is not None else None,
        "checklist": [
            {
                "code": d.code,
                "required": d.required,
                "received": d.received,
                "received_at": _json_value(d.received_at),
            }
            for d in docs
        ],
        "register": {k: _json_value(v) for k, v in register.items()},
    }

