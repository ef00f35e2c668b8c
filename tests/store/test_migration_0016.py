"""Migration 0016 (issue 14.2, item 6.1): ``freed_places`` on both backends; down to the
revision before and up again; on PostgreSQL the regional role's GRANT covers it."""

from __future__ import annotations

import sqlalchemy as sa

from mss_desk.store.engine import open_store
from mss_desk.store.revisions import alembic_config, current_revision, head_revision, migrate


def test_0016_down_to_the_revision_before_and_up_again(db_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    before = ScriptDirectory.from_config(alembic_config()).get_revision("0016").down_revision
    eng = open_store(db_url)
    try:
        columns = {c["name"] for c in sa.inspect(eng).get_columns("freed_places")}
        assert columns == {
            "id", "at", "institution_type", "institution", "referral_no", "ownership",
            "head_id", "case_no", "department_code", "message_id",
        }  # fmt: skip
        command.downgrade(alembic_config(eng), str(before))
        assert current_revision(eng) == before
        eng.dispose()
        assert "freed_places" not in sa.inspect(eng).get_table_names()
        assert "desk_roles" in sa.inspect(eng).get_table_names()  # 0012-0015 left alone
        migrate(eng)
        assert current_revision(eng) == head_revision()
        assert "freed_places" in sa.inspect(eng).get_table_names()
    finally:
        eng.dispose()


def test_the_regional_role_may_read_and_append_freed_places_a_department_none() -> None:
    from mss_desk.store.roles import grant_statements

    region = " ".join(grant_statements("s", "r", 0))
    assert 'GRANT SELECT, INSERT ON "s".freed_places TO "r"' in region
    assert "freed_places" not in " ".join(grant_statements("s", "d", 19))
