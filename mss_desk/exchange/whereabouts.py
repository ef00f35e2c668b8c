"""Where a file is, as its card says it (issue 14, point 6): at the Department, in transit
since DATE (a message about it not yet acknowledged by the other desk), at the region
(forwarded and acknowledged, or read at once on the shared server), or decided.

One indexed read of the outbox (``exchange_outbox.case_no``), inside the caller's session:
the case card asks it with the rest of the file (``services.cases``), not in a call of its
own. The same rule on both sides: on the regional desk a returned file whose return is not
yet acknowledged is "in transit" too (back to the Department).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mss_desk.exchange import messages
from mss_desk.store.models import ExchangeOutbox

# the region has decided (item 5): the result's way at the Department follows
DECIDED = frozenset({"decided", "result_ready", "delivered", "in_safekeeping"})
STATES: tuple[str, ...] = ("at_department", "in_transit", "at_region", "decided")
_NOT_MOVES = (messages.RECEIVED, messages.PROBLEM)


@dataclass(frozen=True)
class Whereabouts:
    state: str  # one of STATES (i18n: exchange.where.<state>)
    # in_transit: the message's time; decided: the day; at_region: the day of receipt
    since: datetime | date | None = None


def whereabouts(
    session: Session,
    case_no: str | None,
    status: str,
    decided_on: date | None = None,
    received_on: date | None = None,
) -> Whereabouts:
    """``received_on``: the day the region recorded receipt (``cases.received_by_region_on``):
    "at the region since DATE" once the receipt is here (point 1)."""
    if status in DECIDED:
        return Whereabouts("decided", decided_on)
    if case_no and _may_read_outbox(session):
        latest = session.exec(
            select(ExchangeOutbox.acked, ExchangeOutbox.created_at)
            .where(
                ExchangeOutbox.case_no == case_no,
                # the file's own moves: a receipt or a problem notice moves no file
                col(ExchangeOutbox.kind).not_in(_NOT_MOVES),
            )
            .order_by(col(ExchangeOutbox.created_at).desc(), col(ExchangeOutbox.seq).desc())
            .limit(1)
        ).first()
        if latest is not None and not latest[0]:
            return Whereabouts("in_transit", latest[1])
    if status == "forwarded":
        return Whereabouts("at_region", received_on)
    return Whereabouts("at_department")


def _may_read_outbox(session: Session) -> bool:
    """A Department's database role on the shared regional server has no outbox (migration
    0012, ``store.roles``: its files are at the region at once); its card reads none."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    query = sa.text("SELECT has_table_privilege(current_user, 'exchange_outbox', 'SELECT')")
    return session.execute(query).scalar() is True
