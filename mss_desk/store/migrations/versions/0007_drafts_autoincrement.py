"""Draft ids are never reused (SQLite AUTOINCREMENT on ``drafts``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

Without AUTOINCREMENT SQLite gives a new row ``max(rowid) + 1``: delete the newest draft and
the next one gets its id. A wizard (or a second desk) still holding the old id would then
save over, resume or delete somebody else's form. AUTOINCREMENT keeps the highest id ever
used in ``sqlite_sequence``, so an id is never handed out twice. The table is rebuilt in
batch mode (SQLite cannot add AUTOINCREMENT in place); the copy keeps every draft and its
id and seeds the sequence with the highest one. PostgreSQL's sequences never reuse a value:
nothing to do there.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "drafts", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "drafts", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
