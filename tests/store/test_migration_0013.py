"""Migration 0013 (issue 14, points 1 and 5): ``cases.received_by_region_on``, the day the
region recorded receipt; down to the revision before and up again (rows kept)."""

from __future__ import annotations

import sqlalchemy as sa

from mss_desk.store.engine import open_store
from mss_desk.store.revisions import alembic_config, current_revision, head_revision, migrate


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("cases")}


def test_0013_down_to_the_revision_before_and_up_again(db_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    before = ScriptDirectory.from_config(alembic_config()).get_revision("0013").down_revision
    assert before == "0012"
    eng = open_store(db_url)
    try:
        assert "received_by_region_on" in _columns(eng)
        command.downgrade(alembic_config(eng), str(before))
        assert current_revision(eng) == before
        eng.dispose()
        assert "received_by_region_on" not in _columns(eng)
        migrate(eng)
        assert current_revision(eng) == head_revision()
        eng.dispose()
        assert "received_by_region_on" in _columns(eng)
    finally:
        eng.dispose()
