"""Writing a message to another desk, inside the caller's transaction.

The message is a row of ``exchange_outbox`` written by the same transaction as the change
it carries: the change and its message are saved together or not at all, so a crash can
never leave a forwarded file that the region will not hear of. ``seq`` comes from the
gap-free counter (``services.base.next_number``): the receiver acknowledges "all up to N".
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mss_desk.exchange import messages
from mss_desk.services.base import next_number
from mss_desk.store.models import Case, Counter, DeskRole, ExchangeOutbox

SEQ_SCOPE = "exchange_out"


def sends_by_bundle(session: Session, department_code: int) -> bool:
    """Does an answer to this Department travel in a bundle (the outbox)?

    Not when the Department works directly on this (shared PostgreSQL) server: it has a
    database role there (``desk_roles``, made by ``mss-desk db role add``; issue 14.4) and
    reads the region's decision in its own rows at once; a message to it would wait in the
    outbox for a bundle nobody exports. On SQLite every Department is offline.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    found = session.exec(
        select(DeskRole.role_name).where(DeskRole.department_code == department_code).limit(1)
    ).first()
    return found is None


def enqueue(
    session: Session,
    *,
    sender: int,
    to_code: int,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    case_no: str | None = None,
) -> ExchangeOutbox:
    if kind not in messages.KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    seq = next_number(session, sender, SEQ_SCOPE, str(to_code))
    row = ExchangeOutbox(
        id=str(uuid.uuid4()),
        to_code=to_code,
        seq=seq,
        kind=kind,
        case_no=case_no,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        created_at=now,
        acked=False,
    )
    session.add(row)
    session.flush()
    return row


def enqueue_many(
    session: Session,
    *,
    sender: int,
    to_code: int,
    kind: str,
    items: list[tuple[str | None, dict[str, Any]]],
    now: datetime,
) -> int:
    """Many messages of one kind to one desk (``(case_no, payload)`` each), numbered on
    from the same gap-free counter in one step and written in one statement: an import of
    1,000 files answers with 1,000 receipts within its time (benchmarks/bench_exchange.py)."""
    if kind not in messages.KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if not items:
        return 0
    first = next_number(session, sender, SEQ_SCOPE, str(to_code))
    if len(items) > 1:
        counters = Counter.__table__  # type: ignore[attr-defined]
        session.execute(
            sa.update(counters)
            .where(
                counters.c.department_code == sender,
                counters.c.scope == SEQ_SCOPE,
                counters.c.key == str(to_code),
            )
            .values(value=counters.c.value + (len(items) - 1))
        )
    rows = [
        {
            "id": str(uuid.uuid4()),
            "to_code": to_code,
            "seq": first + i,
            "kind": kind,
            "case_no": case_no,
            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
            "created_at": now,
            "acked": False,
        }
        for i, (case_no, payload) in enumerate(items)
    ]
    session.execute(sa.insert(ExchangeOutbox.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


def record_forward(
    session: Session, case: Case, register: dict[str, Any], now: datetime
) -> ExchangeOutbox | None:
    """Item 5: the file the Department forwards, for the Regional Department's desk.

    A file forwarded again after a return for correction is ``case.resent``. A desk
    connected to the regional server as its Department's role (point 4) writes nothing:
    the region reads the file there at once, and no bundle is ever exported from it.
    """
    from mss_desk.store.roles import connected_as_desk_role

    if connected_as_desk_role(session):
        return None
    kind = messages.RESENT if case.returned_by_region_on is not None else messages.FORWARDED
    return enqueue(
        session,
        sender=case.department_code,
        to_code=messages.REGION,
        kind=kind,
        payload=messages.file_payload(session, case, register),
        now=now,
        case_no=case.case_no,
    )
