"""Alembic environment, run programmatically by ``mss_desk.store.revisions.migrate``.

The engine comes in through ``config.attributes["engine"]`` so the desk's pragmas and
``BEGIN IMMEDIATE`` apply to migrations too. ``render_as_batch`` lets later migrations
alter SQLite tables (copy-and-move).
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from mss_desk.store import models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from mss_desk.store.engine import make_engine

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no engine or sqlalchemy.url given to the migrations")
        engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported")
run_migrations_online()
