"""The day the Regional Department recorded receipt of a file (issue 14, points 1 and 5).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

One nullable column on ``cases``: at the region, the day its import recorded receipt of a
forwarded (or re-sent) file; at the Department, the day the region's ``case.received``
message says, so the case card reads "at the Regional Department since DATE". Empty for
every older row (nothing to back-fill: the old files' receipts were never recorded).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_by_region_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("received_by_region_on")
