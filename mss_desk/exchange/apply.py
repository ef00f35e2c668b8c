"""What a received message does, inside the import's one transaction.

A Department owns its file's facts; the Regional Department owns its decisions (issue 14,
point 6: no silent overwrite). So a file received at the region replaces the facts only
while the region has not decided it, and a decision received at the Department is applied
only to the file exactly as it was forwarded (same status, same forwarding date). Anything
else is a *problem*: the message is kept (with its payload) and listed, never applied.

Returns ``None`` (applied) or the problem's i18n key. Never personal data in audit details:
the case number, the sending desk and the message kind only.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mss_desk.errors import ValidationError
from mss_desk.exchange import messages
from mss_desk.rules import lifecycle as rules
from mss_desk.services import audit
from mss_desk.store.models import Applicant, Case, CaseDocument, Department

# The region may replace a file's facts while the file is with it, undecided.
_REGION_OPEN = ("forwarded", "accepted")


class Problem(Exception):
    """A message that is not applied; its key says why (``exchange.problem.*``)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def apply_message(
    session: Session, svc: Any, own_code: int, from_code: int, message: dict[str, Any]
) -> str | None:
    """Apply one message; a :class:`Problem` becomes its key (nothing of it written).

    Every :class:`Problem` is raised before the message's first write, so no savepoint is
    needed (two statements a message saved); any other failure ends the whole import.
    """
    kind = message["kind"]
    try:
        if own_code == messages.REGION and kind in (messages.FORWARDED, messages.RESENT):
            _file_at_region(session, svc, from_code, message)
        elif own_code == messages.REGION and kind == messages.MONTHLY_SUMMARY:
            apply_summary(session, svc, from_code, message)  # issue 14.2: Annex 2 for the region
        elif (
            own_code != messages.REGION
            and from_code == messages.REGION
            and kind in (messages.DECIDED, messages.REFERRAL, messages.RETURNED)
        ):
            _decision_at_department(session, svc, own_code, message)
        elif own_code != messages.REGION and from_code == messages.REGION and (
            kind == messages.RECEIVED
        ):
            _receipt_at_department(session, svc, own_code, message)
        elif kind in _COMPLAINT_KINDS:  # item 22 (exchange.complaints)
            _complaint(session, svc, own_code, from_code, message)
        elif kind == messages.PROBLEM:
            raise Problem(reported_problem(message))
        else:
            raise Problem("exchange.problem.not_supported")
    except Problem as problem:
        return problem.key
    return None


_COMPLAINT_KINDS = (
    messages.COMPLAINT_ESCALATED, messages.COMPLAINT_REGISTERED, messages.COMPLAINT_ANSWERED,
)  # fmt: skip


def _complaint(
    session: Session, svc: Any, own_code: int, from_code: int, message: dict[str, Any]
) -> None:
    """Item 22: an escalated complaint at the region; the region's at the Department."""
    from mss_desk.exchange import complaints

    kind = message["kind"]
    key: str | None = "exchange.problem.not_supported"
    if own_code == messages.REGION and kind == messages.COMPLAINT_ESCALATED:
        key = complaints.escalated_at_region(session, svc, from_code, message, _department_row)
    elif own_code != messages.REGION and from_code == messages.REGION:
        if kind == messages.COMPLAINT_REGISTERED:
            key = complaints.registered_at_department(session, svc, own_code, message)
        elif kind == messages.COMPLAINT_ANSWERED:
            key = complaints.answered_at_department(session, svc, own_code, message)
    if key is not None:
        raise Problem(key)


# --------------------------------------------------------------------------- at the region


def _table(model: Any) -> sa.Table:
    return model.__table__  # type: ignore[no-any-return]


def _department_row(session: Session, conn: sa.Connection, svc: Any, code: int) -> None:
    """The sending Department's row at the region (``cases.department_code`` refers to it).

    With these rows the regional database holds several Departments; a desk naming none
    there is the regional desk, since the database holds code 0
    (``services.base.resolve_department``).
    """
    seen: set[int] = session.info.setdefault("exchange_departments", set())
    if code in seen:
        return
    t = _table(Department)
    if conn.execute(sa.select(t.c.code).where(t.c.code == code)).first() is None:
        info = svc.catalog.department(code)
        conn.execute(
            sa.insert(t),
            {"code": code, "name_kk": info.name_kk, "name_ru": info.name_ru,
             "tz": "Asia/Almaty", "created_at": svc.now()},
        )  # fmt: skip
    seen.add(code)


@cache
def _statements() -> dict[str, Any]:
    """The import's statements, built once (values bound per message, not built per message)."""
    cases, people, docs = _table(Case), _table(Applicant), _table(CaseDocument)
    by_id: Any = sa.bindparam("b_id")
    return {
        "find_case": sa.select(cases.c.id, cases.c.department_code, cases.c.status)
        .where(cases.c.case_no == sa.bindparam("b_case_no"))
        .with_for_update(),
        "find_person": sa.select(people.c.id).where(people.c.iin == sa.bindparam("b_iin")),
        "add_person": sa.insert(people).returning(people.c.id),
        "set_person": sa.update(people).where(people.c.id == by_id),
        "add_case": sa.insert(cases).returning(cases.c.id),
        "set_case": sa.update(cases).where(cases.c.id == by_id),
        "drop_docs": sa.delete(docs).where(docs.c.case_id == by_id),
        "add_docs": sa.insert(docs),
    }


def prefetch(session: Session, own_code: int, msgs: list[dict[str, Any]]) -> None:
    """The bundle's files and applicants already at the region, in one query each (per
    500), locked (FOR UPDATE on PostgreSQL): not two queries per file. What was looked up
    and not found is remembered as absent."""
    if own_code != messages.REGION:
        return
    conn = session.connection()
    cases, people = _table(Case), _table(Applicant)
    found_cases, found_people, looked = _prefetched(session)
    files = [m["payload"] for m in msgs if m["kind"] in (messages.FORWARDED, messages.RESENT)]
    nos = sorted({str((p.get("case") or {}).get("case_no")) for p in files})
    iins = sorted({str((p.get("applicant") or {}).get("iin")) for p in files})
    case_cols = (cases.c.case_no, cases.c.id, cases.c.department_code, cases.c.status)
    for i in range(0, len(nos), 500):
        where = cases.c.case_no.in_(nos[i : i + 500])
        for c in conn.execute(sa.select(*case_cols).where(where).with_for_update()):
            found_cases[c.case_no] = (c.id, c.department_code, c.status)
    for i in range(0, len(iins), 500):
        where = people.c.iin.in_(iins[i : i + 500])
        for p in conn.execute(sa.select(people.c.iin, people.c.id).where(where)):
            found_people[p.iin] = p.id
    looked.update(("case", n) for n in nos)
    looked.update(("iin", n) for n in iins)


def _prefetched(session: Session) -> tuple[dict[str, Any], dict[str, Any], set[Any]]:
    info = session.info
    return (
        info.setdefault("exchange_cases", {}),
        info.setdefault("exchange_people", {}),
        info.setdefault("exchange_looked", set()),
    )


def _file_at_region(session: Session, svc: Any, from_code: int, message: dict[str, Any]) -> None:
    """Item 5: the Department's file, as it registered it, at the Regional Department.

    Core statements, not ORM objects: a bundle of 1,000 files is imported in one
    transaction within seconds (benchmarks/bench_exchange.py).
    """
    payload = message["payload"]
    data = payload.get("case") or {}
    case_no = data.get("case_no")
    if data.get("department_code") != from_code or not case_no or not payload.get("applicant"):
        raise Problem("exchange.problem.not_senders_file")
    try:
        values = messages.row_values(Case, data, messages.CASE_LOCAL)
        person = messages.row_values(Applicant, payload["applicant"], messages.APPLICANT_LOCAL)
        checklist = [
            {
                "code": str(line["code"]),
                "required": bool(line.get("required", True)),
                "received": bool(line.get("received", False)),
                "received_at": (
                    datetime.fromisoformat(line["received_at"])
                    if line.get("received_at")
                    else None
                ),
            }
            for line in payload.get("checklist") or []
        ]
    except (TypeError, ValueError, KeyError):
        raise Problem("exchange.problem.bad_payload") from None
    if not person.get("iin"):
        raise Problem("exchange.problem.bad_payload")
    conn = session.connection()
    q = _statements()
    known_cases, known_people, looked = _prefetched(session)
    if case_no in known_cases or ("case", case_no) in looked:
        found = known_cases.get(case_no)
    else:
        row = conn.execute(q["find_case"], {"b_case_no": case_no}).first()
        found = (row.id, row.department_code, row.status) if row is not None else None
    if found is not None and found[1] != from_code:
        raise Problem("exchange.problem.not_senders_file")
    if found is not None and found[2] not in _REGION_OPEN:
        raise Problem("exchange.problem.already_decided")  # the region owns its decision
    # -- no Problem below this line: the writes begin
    _department_row(session, conn, svc, from_code)
    iin = person["iin"]
    if iin in known_people or ("iin", iin) in looked:
        applicant_id = known_people.get(iin)
    else:
        applicant_id = conn.execute(q["find_person"], {"b_iin": iin}).scalar_one_or_none()
    if applicant_id is None:
        applicant_id = conn.execute(q["add_person"], person).scalar_one()
    else:
        conn.execute(q["set_person"], {"b_id": applicant_id, **person})
    known_people[iin] = applicant_id
    # point 1: the regional clerk's desk records receipt as it imports the file (the file is
    # at the region, open: _REGION_OPEN); the receipt goes back to the Department with the
    # same transaction (``record_receipts``, one statement for the bundle)
    received_on = svc.today()
    values.update(
        status="forwarded", applicant_id=applicant_id, department_code=from_code,
        received_by_region_on=received_on,
    )  # fmt: skip
    if found is None:
        case_id = conn.execute(q["add_case"], values).scalar_one()
    else:
        case_id = found[0]
        conn.execute(q["set_case"], {"b_id": case_id, **values})
        conn.execute(q["drop_docs"], {"b_id": case_id})
    known_cases[case_no] = (case_id, from_code, "forwarded")
    if checklist:
        conn.execute(q["add_docs"], [{"case_id": case_id, **line} for line in checklist])
    audit.record(
        conn, svc.now(), None, "exchange.file_received", "case", case_no,
        f"from={from_code} kind={message['kind']}",
    )  # fmt: skip
    receipts: list[dict[str, Any]] = session.info.setdefault("exchange_receipts", [])
    receipts.append(
        {"to_code": from_code, "case_no": case_no,
         "payload": {"case_no": case_no, "forwarded_on": data.get("forwarded_on"),
                     "on": received_on.isoformat(), "message": message["id"]}}
    )  # fmt: skip


def record_receipts(session: Session, svc: Any) -> int:
    """Point 5: the region's ``case.received`` for every file the import received, written
    to the outbox in the import's transaction (a number per message, one insert for all)."""
    from mss_desk.exchange.outbox import enqueue_many

    receipts: list[dict[str, Any]] = session.info.pop("exchange_receipts", [])
    by_desk: dict[int, list[dict[str, Any]]] = {}
    for r in receipts:
        by_desk.setdefault(r["to_code"], []).append(r)
    for to_code, rows in by_desk.items():
        enqueue_many(
            session, sender=messages.REGION, to_code=to_code, kind=messages.RECEIVED,
            items=[(r["case_no"], r["payload"]) for r in rows], now=svc.now(),
        )  # fmt: skip
    return len(receipts)


def reported_problem(message: dict[str, Any]) -> str:
    """The key of a problem the other desk reports about a message of ours (checked: an
    ``exchange.problem.*`` key, else the notice itself is damaged)."""
    key = (message.get("payload") or {}).get("problem")
    if not isinstance(key, str) or not key.startswith("exchange.problem.") or len(key) > 64:
        return "exchange.problem.bad_payload"
    return key


def apply_summary(session: Session, svc: Any, from_code: int, message: dict[str, Any]) -> None:
    """A Department's month at the region: the newest summary per Department and month wins
    (an older one arriving late is received and changes nothing)."""
    from mss_desk.exchange.summary import parse_month, ratios_of
    from mss_desk.store.models import RegionSummary

    p = message["payload"]
    try:
        month = str(p["month"])
        parse_month(month)
        if int(p.get("department_code", from_code)) != from_code:
            raise Problem("exchange.problem.not_senders_file")
        figures = p["indicators"]
        ratios_of(figures)  # checked: counts, numerator within denominator
        seq = int(message["seq"])
        made = datetime.fromisoformat(str(message.get("created_at") or svc.now().isoformat()))
    except (KeyError, TypeError, ValueError, ValidationError, AttributeError):
        raise Problem("exchange.problem.bad_payload") from None
    if made.tzinfo is None:
        raise Problem("exchange.problem.bad_payload")
    row = session.exec(
        select(RegionSummary)
        .where(RegionSummary.department_code == from_code, RegionSummary.month == month)
        .with_for_update()
    ).first()
    if row is not None and row.seq >= seq:
        return  # an older summary of the month: the newer figures stay
    if row is None:
        row = RegionSummary(department_code=from_code, month=month, indicators="",
                            summarised_at=made, received_at=svc.now(), message_id="", seq=0)
    row.indicators = json.dumps(figures, ensure_ascii=False, sort_keys=True)
    row.summarised_at, row.received_at = made, svc.now()
    row.message_id, row.seq = str(message["id"]), seq
    session.add(row)
    session.flush()
    audit.record(
        session, svc.now(), None, "exchange.summary_received", "desk", from_code,
        f"month={month} message={message['id']}",
    )  # fmt: skip


# --------------------------------------------------------------------------- at the Department


def _own_file(session: Session, own_code: int, case_no: Any) -> Case:
    """This Department's file the region's message names, locked for the change."""
    case = session.exec(
        select(Case)
        .where(Case.case_no == case_no, Case.department_code == own_code)
        .with_for_update()
    ).first()
    if case is None:
        raise Problem("exchange.problem.unknown_case")
    return case


def _decision_at_department(
    session: Session, svc: Any, own_code: int, message: dict[str, Any]
) -> None:
    """The region's decision or return, applied to the file as it was forwarded.

    ``case.referral`` (a place came free, item 6.1: the referral to the first in line) is a
    referral decision like ``case.decided``'s, under the same rule: the file as forwarded.
    """
    p = message["payload"]
    kind = message["kind"]
    case = _own_file(session, own_code, p.get("case_no"))
    forwarded = case.forwarded_on.isoformat() if case.forwarded_on else None
    if case.status != "forwarded" or forwarded != p.get("forwarded_on"):
        # the Department has since corrected or re-forwarded the file: not overwritten
        raise Problem("exchange.problem.case_changed")
    old = case.status
    try:
        on = date.fromisoformat(p["on"])
    except (KeyError, TypeError, ValueError):
        raise Problem("exchange.problem.bad_payload") from None
    if kind == messages.DECIDED and p.get("decision") not in ("referral", "refusal"):
        raise Problem("exchange.problem.bad_payload")
    if kind == messages.REFERRAL and not (
        p.get("decision") == "referral" and p.get("referral_no") and p.get("institution")
    ):
        raise Problem("exchange.problem.bad_payload")
    # -- no Problem below this line: the writes begin
    if kind in (messages.DECIDED, messages.REFERRAL):
        case.status = rules.next_status(old, "decide")
        case.decision = p.get("decision")
        case.decided_on = on
        if case.decision == "referral":  # item 5: number, institution, state or not (item 3)
            case.decision_no = p.get("referral_no") or None
            case.referral_institution = p.get("institution") or ""
            case.ownership = p.get("ownership") or case.ownership
            case.decision_note = ""
        else:  # item 17 / item 6: the ground and the region's words
            case.decision_no = None
            case.referral_institution = ""
            case.decision_note = p.get("note") or ""
        action = "decide"
    else:
        case.status = rules.next_status(old, "return_for_correction")
        case.returned_by_region_on = on
        case.returned_by_region_note = p.get("note") or ""
        case.forwarded_on = None
        case.received_by_region_on = None  # the next forwarding is received anew
        recompute_deadlines(svc, case)
        action = "return_for_correction"
    case.updated_at = svc.now()
    session.add(case)
    session.flush()
    audit.record(
        session, svc.now(), None, f"case.{action}", "case", case.case_no,
        f"{old}->{case.status} from=region message={message['id']}"
        + (" kind=place_referral" if kind == messages.REFERRAL else ""),
    )  # fmt: skip


def _receipt_at_department(
    session: Session, svc: Any, own_code: int, message: dict[str, Any]
) -> None:
    """Point 1: the region has the file as it was forwarded, since the day it says.

    Applied to the file exactly as forwarded (still ``forwarded``, same forwarding date);
    a receipt that comes after the decision or the return (or belongs to an earlier
    forwarding) changes nothing: the file never goes back.
    """
    p = message["payload"]
    case = _own_file(session, own_code, p.get("case_no"))
    try:
        on = date.fromisoformat(p["on"])
    except (KeyError, TypeError, ValueError):
        raise Problem("exchange.problem.bad_payload") from None
    forwarded = case.forwarded_on.isoformat() if case.forwarded_on else None
    if case.status != "forwarded" or forwarded != p.get("forwarded_on"):
        return  # stale: the decision (or a return, a new forwarding) is already here
    if case.received_by_region_on == on:
        return
    case.received_by_region_on = on
    session.add(case)
    session.flush()
    audit.record(
        session, svc.now(), None, "exchange.receipt", "case", case.case_no,
        f"from=region message={message['id']}",
    )  # fmt: skip


def recompute_deadlines(svc: Any, case: Case) -> None:
    """Item 5: the deadlines again from the (new) forwarding date, as lifecycle does."""
    from mss_desk.rules.deadlines import compute_deadlines

    assert case.accepted_at is not None
    accepted_on = svc.local_date(case.accepted_at)
    terms = svc.catalog.terms(case.terms_from or accepted_on)
    d = compute_deadlines(accepted_on, case.forwarded_on, svc.calendar, terms)
    case.service_due, case.forward_due = d.service_due, d.forward_due
    case.decision_due, case.binding_due, case.binding = d.decision_due, d.binding_due, d.binding
