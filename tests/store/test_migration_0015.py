"""Migration 0015 (item 22; issue 14.3): the complaints' region columns on both backends,
and on PostgreSQL the regional role's two policies on ``complaints``; down to 0012 and up
again, with a complaint kept."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from mss_desk.store.engine import open_store
from mss_desk.store.revisions import alembic_config, current_revision, head_revision, migrate

COLUMNS = {"at_region", "case_no", "escalated_on", "second_due", "second_answered_on",
           "second_answer_text", "second_justified", "second_satisfied", "second_reviewed_by"}
POLICIES = {"mss_desk_region_registers", "mss_desk_region_answers",
            "mss_desk_region_complaint_update", "mss_desk_region_complaint_delete"}


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("complaints")}


def _policies(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT policyname FROM pg_policies WHERE schemaname = current_schema()"
                    " AND tablename = 'complaints'")
        ).all()
    return {r[0] for r in rows}


def test_0015_down_to_0012_and_up_again(db_url: str) -> None:
    from alembic import command

    eng = open_store(db_url)
    try:
        pg = eng.dialect.name == "postgresql"
        assert COLUMNS <= _columns(eng)
        if pg:
            assert POLICIES <= _policies(eng)
        with eng.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO departments (code, name_kk, name_ru, tz, created_at)"
                " VALUES (19, 'Көкшетау', 'Кокшетау', 'Asia/Almaty', :at)"
            ), {"at": datetime(2026, 3, 2, 5, tzinfo=UTC)})
            conn.execute(sa.text(
                "INSERT INTO complaints (complaint_no, department_code, complainant, contact,"
                " text, registered_at, status, answer_text, at_region, second_answer_text)"
                " VALUES ('00-2026-C0001', 19, 'X', '', 'мәтін', :at, 'registered', '',"
                " :yes, '')"
            ), {"at": datetime(2026, 3, 2, 5, tzinfo=UTC), "yes": True})
        command.downgrade(alembic_config(eng), "0014")
        assert current_revision(eng) == "0014"
        eng.dispose()
        assert not (COLUMNS & _columns(eng))
        if pg:
            assert not (POLICIES & _policies(eng))
        migrate(eng)
        assert current_revision(eng) == head_revision()
        assert COLUMNS <= _columns(eng)
        with eng.connect() as conn:
            row = conn.execute(sa.text(
                "SELECT text, at_region, second_answer_text FROM complaints"
            )).one()
        assert (row[0], bool(row[1]), row[2]) == ("мәтін", False, "")  # the default
        if pg:
            assert POLICIES <= _policies(eng)
    finally:
        eng.dispose()
