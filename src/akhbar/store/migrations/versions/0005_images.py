"""The image cache: one row per image URL, its bytes' hash and its state; which articles use which image.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def _create_images() -> None:
    op.create_table(
        "images",
        sa.Column("id", BigId, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("state", sa.String(16), server_default="pending", nullable=False),
        sa.Column("width", sa.Integer(), server_default="0", nullable=False),
        sa.Column("height", sa.Integer(), server_default="0", nullable=False),
        sa.Column("content_type", sa.String(40), server_default="", nullable=False),
        sa.Column("fetched_at", When),
        sa.Column("error", sa.Text(), server_default="", nullable=False),
        sa.Column("protected_until", When),
        sa.PrimaryKeyConstraint("id", name="pk_images"),
        sa.UniqueConstraint("url", name="uq_images_url"),
    )
    op.create_index("ix_images_sha256", "images", ["sha256"])
    op.create_index("ix_images_state", "images", ["state"])


def _create_article_images() -> None:
    op.create_table(
        "article_images",
        sa.Column("article_id", BigId, nullable=False),
        sa.Column("image_id", BigId, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "image_id", name="pk_article_images"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_article_images_article_id_articles", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["image_id"], ["images.id"], name="fk_article_images_image_id_images", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_article_images_image_id", "article_images", ["image_id"])


def upgrade() -> None:
    """Create images and article_images."""
    _create_images()
    _create_article_images()


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("article_images")
    op.drop_table("images")
