"""Near-duplicates and stories: each article's story and, for a copy, the original it repeats.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add articles.story_id and articles.duplicate_of (NULL: not placed yet) and their indexes."""
    # Plain columns, no foreign keys: a story id is a label (its first article's id) that outlives that
    # article, and SQLite cannot add a constrained column without rebuilding the table.
    op.add_column("articles", sa.Column("story_id", BigId, nullable=True))
    op.add_column("articles", sa.Column("duplicate_of", BigId, nullable=True))
    op.create_index("ix_articles_story_id_published_at", "articles", ["story_id", "published_at"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])


def downgrade() -> None:
    """Drop the story columns."""
    op.drop_index("ix_articles_duplicate_of", table_name="articles")
    op.drop_index("ix_articles_story_id_published_at", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("duplicate_of")
        batch.drop_column("story_id")
