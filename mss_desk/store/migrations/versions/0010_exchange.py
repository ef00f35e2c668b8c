"""The offline exchange: outbox, inbox (applied once) and the trusted desks (issue 14).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

Three new tables, nothing changed in the old ones.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("to_code", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("case_no", sa.String(length=16), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acked", sa.Boolean(), nullable=False),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_outbox")),
        sa.UniqueConstraint("to_code", "seq", name=op.f("uq_exchange_outbox_to_code_seq")),
    )
    with op.batch_alter_table("exchange_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_outbox_to_code_acked", ["to_code", "acked", "seq"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_outbox_case_no"), ["case_no"], unique=False
        )
    op.create_table(
        "exchange_inbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("from_code", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("case_no", sa.String(length=16), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("problem", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_inbox")),
        sa.UniqueConstraint("from_code", "seq", name=op.f("uq_exchange_inbox_from_code_seq")),
    )
    op.create_table(
        "exchange_peers",
        sa.Column("code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("public_key", sa.String(length=400), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("received_upto", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_exchange_peers")),
    )


def downgrade() -> None:
    op.drop_table("exchange_peers")
    op.drop_table("exchange_inbox")
    with op.batch_alter_table("exchange_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_outbox_case_no"))
        batch_op.drop_index("ix_exchange_outbox_to_code_acked")
    op.drop_table("exchange_outbox")
