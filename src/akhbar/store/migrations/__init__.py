"""Alembic migrations of the store: an ordered, append-only list under versions/."""
