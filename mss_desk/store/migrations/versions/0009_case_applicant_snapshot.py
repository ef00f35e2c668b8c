"""A case keeps the applicant's data as accepted; a person's changes are history (issue 15, item 3).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

- cases: ``applicant_surname``, ``applicant_name``, ``applicant_patronymic``,
  ``applicant_surname_fold`` (indexed: the surname search), ``applicant_address``,
  ``applicant_phone`` — the snapshot the talon, the case card and the register read. An
  existing case gets the snapshot from its applicant's row as it is now (the only data
  there is; the old values a later intake overwrote are gone);
- applicant_changes: one row per changed field (who, when, old → new, which case brought it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SNAPSHOT = (
    ("applicant_surname", "surname", 100),
    ("applicant_name", "name", 100),
    ("applicant_patronymic", "patronymic", 100),
    ("applicant_surname_fold", "surname_fold", 100),
    ("applicant_address", "address", 300),
    ("applicant_phone", "phone", 40),
)


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column, _source, length in SNAPSHOT:
            batch_op.add_column(
                sa.Column(column, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.create_index(
            batch_op.f("ix_cases_applicant_surname_fold"), ["applicant_surname_fold"], unique=False
        )
    # the snapshot of the cases already there: their applicant's row (plain SQL, both backends)
    sets = ", ".join(
        f"{column} = COALESCE((SELECT a.{source} FROM applicants a"
        f" WHERE a.id = cases.applicant_id), '')"
        for column, source, _length in SNAPSHOT
    )
    op.execute(sa.text(f"UPDATE cases SET {sets}"))

    op.create_table(
        "applicant_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("field_name", sa.String(length=32), nullable=False),
        sa.Column("old_value", sa.String(length=300), nullable=False),
        sa.Column("new_value", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["applicants.id"],
            name=op.f("fk_applicant_changes_applicant_id_applicants"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_applicant_changes_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["clerk_id"], ["clerks.id"], name=op.f("fk_applicant_changes_clerk_id_clerks")
        ),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_applicant_changes_department_code_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_changes")),
    )
    with op.batch_alter_table("applicant_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applicant_changes_applicant_id"), ["applicant_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("applicant_changes")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_applicant_surname_fold"))
        for column, _source, _length in reversed(SNAPSHOT):
            batch_op.drop_column(column)
