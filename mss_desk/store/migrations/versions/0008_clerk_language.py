"""The clerk's language is remembered (issue 12.12).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

``clerks.language``: the language the clerk last chose with F12 (``kk``/``ru``/``en``),
applied at their next login. NULL for every existing clerk: they sign in in the desk's
configured language until they press F12 once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clerks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clerks", schema=None) as batch_op:
        batch_op.drop_column("language")
