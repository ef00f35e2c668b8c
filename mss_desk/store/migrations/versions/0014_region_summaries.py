"""The Departments' monthly Annex 2 summaries at the regional desk (issue 14, points 2, 5).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

One new table, ``region_summaries``: per Department and month the latest
``summary.monthly`` message's indicator counts (no personal data). Nothing else changes.
On PostgreSQL the regional role gets its rights from ``mss-desk db role add``
(``store.roles``); the Departments' roles have none on it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision: str | None = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("summarised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_summaries")),
        sa.UniqueConstraint(
            "department_code", "month", name=op.f("uq_region_summaries_department_code_month")
        ),
    )


def downgrade() -> None:
    op.drop_table("region_summaries")
