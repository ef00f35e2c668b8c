"""The places that came free and the referrals they became (issue 14.2, item 6.1).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

One new table, nothing changed in the old ones. Only the regional desk writes it
(``exchange.places``); on the shared PostgreSQL the region's role gets its GRANT from
``mss-desk db role add`` (``store.roles``), a Department's role none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision: str | None = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "freed_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("institution_type", sa.String(length=32), nullable=False),
        sa.Column("institution", sa.String(length=300), nullable=False),
        sa.Column("referral_no", sa.String(length=64), nullable=False),
        sa.Column("ownership", sa.String(length=16), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=16), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["head_id"], ["clerks.id"], name=op.f("fk_freed_places_head_id_clerks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_freed_places")),
    )


def downgrade() -> None:
    op.drop_table("freed_places")
