"""The audit trail: who did what to which record, written in the action's transaction.

Never personal data in ``detail`` (no IIN, no names, no disability facts): ids, numbers
and status words only. The hash chain (``prev_hash``/``hash``) is filled here, in one place.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from mss_desk.store.audit import chain
from mss_desk.store.models import AuditEvent

SYSTEM = "system"


def record(
    session: Session,
    at: datetime,
    actor: int | str | None,
    action: str,
    entity: str,
    entity_id: int | str | None = None,
    detail: str = "",
) -> AuditEvent:
    event = AuditEvent(
        at=at,
        actor=SYSTEM if actor is None else str(actor),
        action=action,
        entity=entity,
        entity_id="" if entity_id is None else str(entity_id),
        detail=detail,
    )
    return chain(session, event)  # prev_hash/hash, serialised (mss_desk/store/audit.py)
