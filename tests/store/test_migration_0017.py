"""Migration 0017 (issue 14, point 6): ``exchange_peers.newest_bundle_at``, when the newest
bundle from that desk was made; down to the revision before and up again, the trusted desk
kept (its column empty again until its next bundle)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from mss_desk.store.engine import open_store
from mss_desk.store.revisions import alembic_config, current_revision, head_revision, migrate


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("exchange_peers")}


def test_0017_down_to_the_revision_before_and_up_again(db_url: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    before = ScriptDirectory.from_config(alembic_config()).get_revision("0017").down_revision
    assert before == "0016"
    eng = open_store(db_url)
    try:
        assert "newest_bundle_at" in _columns(eng)
        at = datetime(2026, 3, 2, 5, tzinfo=UTC)
        with eng.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO exchange_peers (code, public_key, fingerprint, received_upto,"
                " added_at, newest_bundle_at) VALUES (7, 'mss1:k', 'f', 3, :at, :at)"
            ), {"at": at})  # fmt: skip
        command.downgrade(alembic_config(eng), str(before))
        assert current_revision(eng) == before
        eng.dispose()
        assert "newest_bundle_at" not in _columns(eng)
        migrate(eng)
        assert current_revision(eng) == head_revision()
        eng.dispose()
        with eng.connect() as conn:
            row = conn.execute(sa.text(
                "SELECT code, received_upto, newest_bundle_at FROM exchange_peers"
            )).one()  # fmt: skip
        assert (row[0], row[1], row[2]) == (7, 3, None)
    finally:
        eng.dispose()
