"""Alembic, run programmatically: the ordered, append-only migrations in store/migrations/."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from akhbar.store.errors import SchemaBehindError, StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic Config pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest revision the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # only possible if the versions folder were emptied
        raise StoreError("store: no migrations found in the package")
    return head


def known_revisions() -> set[str]:
    """Return every revision id the code knows."""
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """Return the revision the database is at, None when it has never been migrated."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: Connection) -> None:
    """Apply every pending migration inside the caller's transaction."""
    command.upgrade(alembic_config(conn), "head")


def check_schema(conn: Connection, *, auto_migrate: bool) -> None:
    """Migrate to head, or refuse an old schema when auto_migrate is off; refuse a newer one always."""
    if conn.dialect.name == "postgresql":
        # Processes starting together would migrate twice; SQLite gets the same from BEGIN IMMEDIATE.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('akhbar-migrate'))"))
    current, head = current_revision(conn), head_revision()
    if current == head:
        return
    if current is not None and current not in known_revisions():
        raise StoreError(
            f"store: the database schema (revision {current}) is newer than this code knows ({head}); "
            "upgrade akhbar"
        )
    if not auto_migrate:
        raise SchemaBehindError(
            f"store: the database schema is behind (revision {current or 'none'}, code needs {head}); "
            "run `akhbar db upgrade`"
        )
    upgrade(conn)
