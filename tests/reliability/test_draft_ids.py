"""A deleted draft's id is never handed out again (migration 0007: SQLite AUTOINCREMENT).

A wizard or a second desk may still hold the id of a draft that was just submitted or
discarded; were the id reused, its next save would overwrite a stranger's form.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mss_desk.errors import NotFound
from mss_desk.store.engine import make_engine, open_store
from mss_desk.store.revisions import head_revision, migrate


def test_a_deleted_drafts_id_is_not_reused(services: Any, clerk: Any) -> None:
    intake = services.intake
    first = intake.save_draft(None, {"surname": "Әлиев"}, clerk.id)
    newest = intake.save_draft(None, {"surname": "Иванова"}, clerk.id)
    intake.delete_draft(newest, clerk.id)
    again = intake.save_draft(None, {"surname": "Сейітова"}, clerk.id)
    assert again > newest > first
    # the old id stays gone: a save to it is refused, not written into the new draft
    try:
        intake.save_draft(newest, {"surname": "stale"}, clerk.id)
    except NotFound:
        pass
    else:  # pragma: no cover - the failure this test exists for
        raise AssertionError("a stale draft id was written")
    assert intake.load_draft(again).data["surname"] == "Сейітова"


def test_migration_keeps_drafts_and_their_ids(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    eng = make_engine(url)
    migrate(eng, "0006")
    at = datetime(2026, 3, 2, 5, 0)
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO departments (code, name_kk, name_ru, tz, created_at) "
                "VALUES (19, 'Көкшетау', 'Кокшетау', 'Asia/Almaty', :at)"
            ),
            {"at": at},
        )
        for i in (1, 2, 3):
            conn.execute(
                sa.text(
                    "INSERT INTO drafts (id, department_code, data, created_at, updated_at) "
                    "VALUES (:id, 19, :data, :at, :at)"
                ),
                {"id": i, "data": f'{{"n": {i}}}', "at": at},
            )
    eng.dispose()

    eng = open_store(url)
    try:
        with eng.begin() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
                head_revision()
            )
            ddl = conn.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE name = 'drafts'")
            ).scalar()
            assert "AUTOINCREMENT" in ddl
            rows = conn.execute(sa.text("SELECT id, data FROM drafts ORDER BY id")).all()
            assert [(r.id, r.data) for r in rows] == [
                (1, '{"n": 1}'),
                (2, '{"n": 2}'),
                (3, '{"n": 3}'),
            ]
            conn.execute(sa.text("DELETE FROM drafts WHERE id = 3"))
            new_id = conn.execute(
                sa.text(
                    "INSERT INTO drafts (department_code, data, created_at, updated_at) "
                    "VALUES (19, '{}', :at, :at) RETURNING id"
                ),
                {"at": at},
            ).scalar()
            assert new_id == 4  # not 3, the deleted one
    finally:
        eng.dispose()
