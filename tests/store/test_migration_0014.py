"""Migration 0014 (issue 14, points 2 and 5): ``region_summaries``, the Departments' monthly
Annex 2 counts at the regional desk; down to the revision before and up again, on both
backends, and the model matches the table."""

from __future__ import annotations

import sqlalchemy as sa

from mss_desk.store.engine import open_store
from mss_desk.store.revisions import alembic_config, current_revision, head_revision, migrate


def test_0014_down_to_the_revision_before_and_up_again(db_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    before = ScriptDirectory.from_config(alembic_config()).get_revision("0014").down_revision
    assert before == "0013"
    eng = open_store(db_url)
    try:
        inspector = sa.inspect(eng)
        assert "region_summaries" in inspector.get_table_names()
        uniques = inspector.get_unique_constraints("region_summaries")
        assert [u["column_names"] for u in uniques] == [["department_code", "month"]]
        command.downgrade(alembic_config(eng), str(before))
        assert current_revision(eng) == before
        eng.dispose()
        assert "region_summaries" not in sa.inspect(eng).get_table_names()
        migrate(eng)
        assert current_revision(eng) == head_revision()
        eng.dispose()
        assert "region_summaries" in sa.inspect(eng).get_table_names()
    finally:
        eng.dispose()


def test_0014_matches_the_model(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import mss_desk.store.models  # noqa: F401 - the tables

    eng = open_store(db_url)
    try:
        with eng.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
            conn.rollback()
    finally:
        eng.dispose()
    assert [d for d in diff if "region_summaries" in repr(d)] == []
