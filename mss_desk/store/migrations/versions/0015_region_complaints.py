"""Complaints at the Regional Department: registered there, and the second instance (item 22).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

Issue 14, points 1, 3 and 5. Item 22: a complaint about a Department may be submitted to the
Regional Department; an applicant who disagrees with the Department's answer takes it there
(the second instance), where only the regional head answers it.

``complaints`` gets:

- ``at_region``: registered at the Regional Department about the row's Department
  (``department_code`` stays the Department it concerns: that Department sees it by its
  own rows; the region numbers it ``00-YYYY-Cnnnn`` and answers it);
- ``escalated_on``, ``second_due``, ``second_answered_on``, ``second_answer_text``,
  ``second_justified``, ``second_satisfied``, ``second_reviewed_by``: the second instance.

On PostgreSQL (row-level security of 0012) the regional role may, on other Departments'
complaints (it already reads them all: ``mss_desk_region_reads``):

- INSERT one registered at the region (``at_region``);
- UPDATE one registered at the region or escalated to it (its answer).

A Department's role keeps its own rows only (``mss_desk_own``): Department 19 reads the
complaint the region registered about it, Department 7 does not. It may not change or
delete that one (a RESTRICTIVE policy: the region answers it); the tables' owner (no desk
role: ``mss_desk_department()`` is NULL) is not limited by it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision: str | None = "0014"
branch_labels = None
depends_on = None

D = "(SELECT mss_desk_department())"  # as in 0012: an InitPlan, once per statement
_REGION_MATTER = "(at_region OR escalated_on IS NOT NULL)"

# (policy, command, USING, WITH CHECK) on ``complaints`` for the desk roles
POLICIES: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("mss_desk_region_registers", "INSERT", None, f"{D} = 0 AND at_region"),
    (
        "mss_desk_region_answers",
        "UPDATE",
        f"{D} = 0 AND {_REGION_MATTER}",
        f"{D} = 0 AND {_REGION_MATTER}",
    ),
)

# RESTRICTIVE (ANDed with the others): a Department's role leaves the region's complaint be
_NOT_REGIONS = f"({D} IS NULL OR {D} = 0 OR NOT at_region)"
RESTRICTIVE: tuple[tuple[str, str], ...] = (
    ("mss_desk_region_complaint_update", "UPDATE"),
    ("mss_desk_region_complaint_delete", "DELETE"),
)

_COLUMNS = (
    ("escalated_on", sa.Date()),
    ("second_due", sa.Date()),
    ("second_answered_on", sa.Date()),
    ("second_justified", sa.Boolean()),
    ("second_satisfied", sa.Boolean()),
    ("second_reviewed_by", sa.Integer()),
)


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("at_region", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("case_no", sa.String(length=24), nullable=True))
        for name, type_ in _COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(
            sa.Column(
                "second_answer_text", sa.String(length=10000), nullable=False, server_default=""
            )
        )
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, command, using, check in POLICIES:
        sql = f"CREATE POLICY {name} ON complaints AS PERMISSIVE FOR {command} TO PUBLIC"
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        op.execute(sql)
    for name, command in RESTRICTIVE:
        op.execute(
            f"CREATE POLICY {name} ON complaints AS RESTRICTIVE FOR {command} TO PUBLIC"
            f" USING {_NOT_REGIONS}"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, _command, _using, _check in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {name} ON complaints")
        for name, _command in RESTRICTIVE:
            op.execute(f"DROP POLICY IF EXISTS {name} ON complaints")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("second_answer_text")
        for name, _type in reversed(_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("case_no")
        batch_op.drop_column("at_region")
