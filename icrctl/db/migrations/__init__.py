"""Alembic migrations. ``HEAD`` is the newest revision: compared cheaply on every open, so that
Alembic itself is imported only when a migration must run (a test checks it equals the script head).
"""

HEAD = "0008"
