"""open_store skips Alembic on a database already at the newest revision (issue 7:
start-up), and still migrates one that is behind."""

from __future__ import annotations

from typing import Any

import pytest

from mss_desk.store import engine as store_engine
from mss_desk.store import revisions


def test_head_from_file_names_is_alembics_head() -> None:
    assert revisions.head_from_files() == revisions.head_revision()


def test_each_migration_file_starts_with_its_revision() -> None:
    for path in (revisions.MIGRATIONS_DIR / "versions").glob("*.py"):
        if path.name.startswith("__"):
            continue
        assert f'revision = "{path.name[:4]}"' in path.read_text(encoding="utf-8"), path.name


def test_fast_path_only_at_head(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    engine = store_engine.open_store(sqlite_url)
    assert revisions.at_head(engine)
    command.downgrade(revisions.alembic_config(engine), "0005")  # behind the head
    assert not revisions.at_head(engine)
    engine.dispose()
    calls: list[str] = []
    real = store_engine.migrate

    def counting(e: Any, revision: str = "head") -> None:
        calls.append(revision)
        real(e, revision)

    monkeypatch.setattr(store_engine, "migrate", counting)
    store_engine.open_store(sqlite_url).dispose()
    assert calls == ["head"]  # behind: migrated
    engine = store_engine.open_store(sqlite_url)
    assert calls == ["head"]  # at head: Alembic not run again
    assert revisions.at_head(engine)
    engine.dispose()
