"""The schema revisions: Alembic's configuration, the head, the database's revision, migrate.

Alembic is imported only inside the functions that run it: a desk whose database is already
at the newest revision never imports it (:func:`at_head` reads the head from the file names;
issue 7, start-up). Nothing here imports another store module; ``migrations/env.py`` opens
its own engine through ``store.engine`` when Alembic runs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Any:
    """An Alembic Config built in code (no alembic.ini; works from an installed wheel)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision this version knows (a backup from a newer version has another)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run the migrations forward to ``revision`` on ``engine``."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def head_from_files() -> str | None:
    """The newest revision, from the file names (``0006_….py`` is revision ``0006``).

    The history is linear and each file starts with its revision id (a test checks both
    against Alembic), so start-up can tell "already at head" without importing Alembic.
    """
    names = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return names[-1][:4] if names else None


def at_head(engine: Engine) -> bool:
    """True when the database is already at the newest revision (one small SELECT)."""
    from sqlalchemy.exc import DBAPIError

    head = head_from_files()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
            conn.rollback()
    except DBAPIError:  # a new file: no alembic_version table yet
        return False
    return [r[0] for r in rows] == [head]
