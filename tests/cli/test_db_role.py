"""``mss-desk db role add|list`` (issue 14, point 4): a desk's role on a shared PostgreSQL.

SQLite: said so, nothing made. PostgreSQL (``MSS_DESK_TEST_POSTGRES``): the role, its
GRANTs printed, its ``desk_roles`` row; running it again changes nothing but the grants.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import PG_ENV


def test_db_role_add_on_sqlite_says_postgresql_only(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    db = tmp_path / "desk.sqlite3"
    r = cli("--db", str(db), "db", "role", "add", "--department", "19", "--name", "shu", "--json")
    assert r.code == 1
    assert "PostgreSQL" in r.json["error"]
    assert not db.exists()  # nothing made
    r = cli("--db", str(db), "--lang", "kk", "db", "role", "list")
    assert r.code == 1 and "PostgreSQL" in r.err + r.out


def test_db_role_add_refuses_a_name_psql_would_need_quotes_for(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    for name in ("Shu Desk", "pg_shu", "x" * 64, "shu;drop"):
        r = cli(
            "--db", str(tmp_path / "d.sqlite3"), "db", "role", "add", "--department", "19",
            "--name", name, "--json",
        )  # fmt: skip
        assert r.code == 1, name
        assert "role" in r.json["error"]


def test_db_role_without_an_action_is_a_usage_error(cli: Callable[..., Any]) -> None:
    assert cli("db").code == 2
    assert cli("db", "role").code == 2


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")
def test_db_role_add_on_postgresql_makes_the_role_and_prints_its_grants(
    cli: Callable[..., Any], pg_url: str
) -> None:
    role = f"mss_t{uuid.uuid4().hex[:8]}_d19"
    admin = sa.create_engine(os.environ[PG_ENV])
    try:
        assert cli("--db", pg_url, "init", "--department", "19", "--json").code == 0
        r = cli("--db", pg_url, "db", "role", "add", "--department", "19", "--name", role, "--json")
        assert r.code == 0, r.out + r.err
        assert r.json["role"] == role and r.json["department"] == 19 and r.json["created"]
        grants = r.json["grants"]
        assert any(g.startswith("GRANT SELECT, INSERT, UPDATE, DELETE ON") for g in grants)
        assert any("SEQUENCES" in g for g in grants)
        again = cli("--db", pg_url, "db", "role", "add", "--department", "19", "--name", role)
        assert again.code == 0 and role in again.out and "GRANT" in again.out
        listed = cli("--db", pg_url, "db", "role", "list", "--json")
        assert listed.json == [{"role": role, "department": 19}]
        with admin.connect() as conn:
            assert conn.execute(
                sa.text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).scalar_one()
    finally:
        with admin.begin() as conn:
            if conn.execute(
                sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first():
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()
