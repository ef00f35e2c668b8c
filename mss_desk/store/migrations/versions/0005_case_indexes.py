"""Indexes for the hot case queries at a region's scale (issue 7, benchmarks/bench_db.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Measured on 1,000,000 cases: the case list ("newest first") sorted every case of the
Department in a temporary B-tree, and the deadline dashboard read every case of the
Department through ``ix_cases_department_code`` to keep the few open ones. Two composite
indexes turn both into short index searches (``EXPLAIN QUERY PLAN`` is checked by
``tests/store/test_query_plans.py``).
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain CREATE INDEX (no batch table rebuild): quick on a file that is already large
    op.create_index(
        "ix_cases_department_code_submitted_at",
        "cases",
        ["department_code", "submitted_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_cases_department_code_status",
        "cases",
        ["department_code", "status", "submitted_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_cases_department_code_status", table_name="cases")
    op.drop_index("ix_cases_department_code_submitted_at", table_name="cases")
