"""Index cases by (applicant, Department) for the surname search (issue 7).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

A surname prefix walks the surname index in order and keeps the people with a case in
this Department. With ``applicant_id`` alone each candidate's case row had to be read to
see its Department; with the Department in the index the check is index-only. Measured on
1,000,000 cases (benchmarks/bench_db.py): a 200-row prefix search 6 ms → 2.5 ms.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_applicant_id_department_code",
        "cases",
        ["applicant_id", "department_code"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_cases_applicant_id_department_code", table_name="cases")
