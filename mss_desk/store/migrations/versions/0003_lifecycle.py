"""Lifecycle (issue 5): the survey at delivery, referral and forwarding facts, the reviewer.

- cases: first_forwarded_on (indicator 2.2), returned_by_region_note, referral_institution
  (item 5), delivery_ticket_id (the collect ticket of an in-person delivery, item 16);
- complaints: reviewed_by (the head of Department, items 21-23);
- survey_responses: the yes/no survey at delivery (Annex 2: 2.1, 3.1, 4.3, 4.4, 5.1).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_forwarded_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "returned_by_region_note",
                sa.String(length=2000),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "referral_institution", sa.String(length=300), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("delivery_ticket_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_by", sa.Integer(), nullable=True))

    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("q_2_1", sa.Boolean(), nullable=True),
        sa.Column("q_3_1", sa.Boolean(), nullable=True),
        sa.Column("q_4_3", sa.Boolean(), nullable=True),
        sa.Column("q_4_4", sa.Boolean(), nullable=True),
        sa.Column("q_5_1", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_survey_responses_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_survey_responses_department_code_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("case_id", name=op.f("uq_survey_responses_case_id")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_responses_department_code"), ["department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_responses_day"), ["day"], unique=False)


def downgrade() -> None:
    op.drop_table("survey_responses")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("reviewed_by")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("delivery_ticket_id")
        batch_op.drop_column("referral_institution")
        batch_op.drop_column("returned_by_region_note")
        batch_op.drop_column("first_forwarded_on")
