"""Storage: SQLModel tables, the engine with its pragmas, Alembic migrations.

Imported only by ``mss_desk.services`` (and lazily), so the login screen starts without
SQLAlchemy. Use ``mss_desk.store.engine.open_store(url)``.
"""
