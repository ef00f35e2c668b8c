"""Wizard drafts: the intake form saved on every step (survives a crash or lost link).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clerk_id"], ["clerks.id"], name=op.f("fk_drafts_clerk_id_clerks")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_drafts_department_code_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )


def downgrade() -> None:
    op.drop_table("drafts")
