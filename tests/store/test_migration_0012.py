"""Migration 0012 (issue 14, point 4): ``desk_roles`` on both backends; on PostgreSQL the
row-level security (enabled, forced, the owner's policy); down to the revision before and
up again."""

from __future__ import annotations

import sqlalchemy as sa

from mss_desk.store.engine import open_store
from mss_desk.store.revisions import alembic_config, current_revision, head_revision, migrate

TABLES = ("cases", "applicants", "audit_events", "case_documents", "counters")


def _security(engine: sa.Engine) -> dict[str, tuple[bool, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
                " WHERE relnamespace = current_schema()::regnamespace"
                " AND relname = ANY(:t)"
            ),
            {"t": list(TABLES)},
        ).all()
        conn.rollback()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_0012_down_to_the_revision_before_and_up_again(db_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    # the revision before 0012
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0012").down_revision
    eng = open_store(db_url)
    try:
        pg = eng.dialect.name == "postgresql"
        assert "desk_roles" in sa.inspect(eng).get_table_names()
        if pg:
            assert _security(eng) == {t: (True, True) for t in TABLES}
            with eng.connect() as conn:  # the owner still reads and writes as before
                assert conn.execute(sa.text("SELECT mss_desk_department()")).scalar() is None
        command.downgrade(alembic_config(eng), str(before))
        assert current_revision(eng) == before
        eng.dispose()
        assert "desk_roles" not in sa.inspect(eng).get_table_names()
        if pg:
            assert _security(eng) == {t: (False, False) for t in TABLES}
        migrate(eng)
        assert current_revision(eng) == head_revision()
        if pg:
            assert _security(eng) == {t: (True, True) for t in TABLES}
    finally:
        eng.dispose()
