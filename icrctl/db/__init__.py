"""The case file: SQLAlchemy models, the engine with its SQLite pragmas, Alembic migrations."""
