"""Indexes for the portal's lists: category pages and the home page's category blocks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index articles by category then date, so a category's newest page is read from the index."""
    # Plain ascending columns: both engines walk the index backwards for ORDER BY published_at DESC, id DESC.
    op.create_index("ix_articles_category_published_at_id", "articles", ["category", "published_at", "id"])


def downgrade() -> None:
    """Drop the category index."""
    op.drop_index("ix_articles_category_published_at_id", table_name="articles")
