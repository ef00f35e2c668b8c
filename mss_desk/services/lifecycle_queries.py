"""The lifecycle dashboard's SQL statements: built once, their values bound per call.

Core statements rather than ORM queries: at a million cases the dashboard's budget
(issue 7: p99 ≤ 5 ms) leaves no room for building ORM rows the rules would drop.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa

from mss_desk.rules import lifecycle as rules
from mss_desk.services.base import department_clause
from mss_desk.store.models import Case, Complaint


@cache
def dashboard_cases() -> Any:
    """The Department's cases the dashboard shows, and nothing else (issue 7: p99 ≤ 5 ms at a
    million cases).

    The rows the rules would drop are left in the database: a running deadline
    (``rules.running_deadlines``: forward while accepted, decision while forwarded, service
    in every open status) on or before ``:horizon``, or a result ready on or before
    ``:ready_by`` (a candidate for safekeeping). An index search on (department_code,
    status, …); see test_query_plans. ``tests/lifecycle`` compares the result with the rules
    applied to every case.
    """
    c = Case.__table__.c  # type: ignore[attr-defined]
    horizon, ready_by = (
        sa.bindparam("horizon", type_=sa.Date),
        sa.bindparam("ready_by", type_=sa.Date),
    )
    open_ = sorted(rules.OPEN_STATUSES)
    return sa.select(
        c.case_no,
        c.status,
        c.service_due,
        c.forward_due,
        c.decision_due,
        c.binding,
        c.priority,
        c.result_ready_on,
        c.terms_from,
        # the acceptance time only where the terms edition was not recorded (older cases):
        # converting a UTC time costs more than the rules spend on a row
        sa.case((c.terms_from.is_(None), c.accepted_at)),
    ).where(
        department_clause(c.department_code),
        c.status.in_([*open_, "result_ready"]),
        c.case_no.is_not(None),
        sa.or_(
            sa.and_(c.status.in_(open_), c.service_due <= horizon),
            sa.and_(c.status == "accepted", c.forward_due <= horizon),
            sa.and_(c.status == "forwarded", c.decision_due <= horizon),
            sa.and_(c.status == "result_ready", c.result_ready_on <= ready_by),
        ),
    )


@cache
def complaints_due() -> Any:
    """Registered complaints whose answer is due by ``:horizon`` (or overdue)."""
    k = Complaint.__table__.c  # type: ignore[attr-defined]
    return sa.select(k.id).where(
        department_clause(k.department_code),
        k.status == "registered",
        k.at_region.is_(False),  # item 22: one registered at the region is the region's to answer
        k.answer_due <= sa.bindparam("horizon", type_=sa.Date),
    )
