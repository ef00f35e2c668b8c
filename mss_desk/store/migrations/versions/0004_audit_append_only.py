"""Audit table append-only: chain any unchained rows, then triggers refuse UPDATE/DELETE.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Item 18.5 (protection of information), issue 6 point 6: every change is written to an
append-only audit table whose rows carry the hash of the previous one. Rows written before
this revision get their ``prev_hash``/``hash`` here (in id order), before the triggers exist.

Issue 15, item 6: no migration ever rewrites an audit row. The backfill fills only a table
that was never chained (every ``prev_hash`` and ``hash`` empty) and only the empty columns;
re-run on a chained table (``alembic_version`` set back), it changes nothing, so a tampered
chain stays broken instead of being re-hashed into a valid one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MESSAGE = "audit_events is append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
END
$$
"""


def _backfill() -> None:
    from mss_desk.store.audit import GENESIS, event_hash

    bind = op.get_bind()
    table = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("detail", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    from mss_desk.store.models import AuditEvent

    typed = AuditEvent.__table__  # type: ignore[attr-defined]  # UTCDateTime for `at`
    chained = bind.execute(
        sa.select(typed.c.id)
        .where(sa.or_(typed.c.prev_hash.is_not(None), typed.c.hash.is_not(None)))
        .limit(1)
    ).first()
    if chained is not None:
        return  # chained before: never re-hash (a re-run must not launder a tampered chain)
    rows = bind.execute(sa.select(*typed.c).order_by(typed.c.id)).all()
    prev = GENESIS
    for row in rows:
        digest = event_hash(row, prev)
        bind.execute(
            sa.update(table)
            .where(table.c.id == row.id, table.c.prev_hash.is_(None), table.c.hash.is_(None))
            .values(prev_hash=prev, hash=digest)
        )
        prev = digest


def upgrade() -> None:
    _backfill()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
