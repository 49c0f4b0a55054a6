"""Full-text search over articles: the SQLite FTS5 index of normalised titles and text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

from akhbar.store import fts

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out here, not imported, so that this revision stays what it was when later ones change the index.
CREATE = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tags, content='', "
    "tokenize='unicode61 remove_diacritics 0', prefix='2 3')"
)


def upgrade() -> None:
    """Create the FTS5 index on SQLite and fill it from the stored articles (PostgreSQL: later)."""
    conn = op.get_bind()
    if not fts.enabled(conn):
        return
    op.execute(CREATE)
    fts.rebuild(conn)


def downgrade() -> None:
    """Drop the index."""
    if fts.enabled(op.get_bind()):
        op.execute("DROP TABLE articles_fts")
