"""Create the sources and articles tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def _create_sources() -> None:
    op.create_table(
        "sources",
        sa.Column("id", BigId, nullable=False),
        sa.Column("slug", sa.String(80), nullable=False),
        _text("name"),
        sa.Column("url", sa.Text(), nullable=False),
        *(_text(name) for name in ("feed_url", "language", "category", "fetch_article_pages")),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        _text("etag"),
        _text("last_modified"),
        sa.Column("last_checked_at", When),
        sa.Column("last_success_at", When),
        _text("last_error"),
        sa.Column("last_error_at", When),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_check_at", When),
        sa.Column("items_per_day", sa.Float(), nullable=False, server_default="0"),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("slug", name="uq_sources_slug"),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_index("ix_sources_enabled_next_check_at", "sources", ["enabled", "next_check_at"])


def _create_articles() -> None:
    op.create_table(
        "articles",
        sa.Column("id", BigId, nullable=False),
        sa.Column("source_id", BigId, nullable=False),
        sa.Column("guid", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        *(_text(name) for name in ("summary", "text", "html", "image", "author")),
        sa.Column("published_at", When),
        sa.Column("updated_at", When),
        sa.Column("fetched_at", When, nullable=False),
        _text("language"),
        _text("category"),
        sa.Column("summary_only", sa.Boolean(), nullable=False, server_default=sa.false()),
        _text("date_note"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_articles_source_id_sources", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.UniqueConstraint("source_id", "guid", name="uq_articles_source_id_guid"),
    )
    op.create_index("ix_articles_source_id_published_at", "articles", ["source_id", "published_at"])
    # Serves latest_headlines (published_at DESC NULLS LAST, id DESC) straight from the index; PostgreSQL
    # puts NULLs first in a DESC index unless told, SQLite puts them last and has no NULLS clause here.
    nulls = " NULLS LAST" if op.get_bind().dialect.name == "postgresql" else ""
    op.create_index(
        "ix_articles_published_at", "articles", [sa.text(f"published_at DESC{nulls}"), sa.text("id DESC")]
    )


def upgrade() -> None:
    """Create sources and articles with their keys and indexes."""
    _create_sources()
    _create_articles()


def downgrade() -> None:
    """Drop articles and sources."""
    op.drop_table("articles")
    op.drop_table("sources")
