"""The newest bundle seen from each desk (issue 14, point 6: acknowledged; nothing lost).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

One nullable column on ``exchange_peers``: when the newest bundle imported from that desk
was made (its ``created_at``). A bundle made later than that, which acknowledges less than
this desk has already seen acknowledged, comes from a desk put back from a backup: what it
lost is sent again (``ExchangeService._acknowledged``). An older bundle's smaller number
still brings nothing back. Empty for existing peers until their next bundle.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision: str | None = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_peers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("newest_bundle_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_peers", schema=None) as batch_op:
        batch_op.drop_column("newest_bundle_at")
