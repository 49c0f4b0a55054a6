"""Reader reports, moderation actions and the audit log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def _create_image_reports() -> None:
    op.create_table(
        "image_reports",
        sa.Column("id", BigId, nullable=False),
        sa.Column("image_id", BigId, nullable=False),
        sa.Column("reporter", sa.String(64), nullable=False),
        sa.Column("network", sa.String(64), nullable=False),
        sa.Column("reported_at", When, nullable=False),
        sa.Column("status", sa.String(16), server_default="open", nullable=False),
        sa.Column("by_moderator", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_image_reports"),
        sa.UniqueConstraint("image_id", "reporter", name="uq_image_reports_image_id_reporter"),
        sa.ForeignKeyConstraint(
            ["image_id"], ["images.id"], name="fk_image_reports_image_id_images", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_image_reports_reporter_reported_at", "image_reports", ["reporter", "reported_at"])
    op.create_index("ix_image_reports_network_reported_at", "image_reports", ["network", "reported_at"])


def _create_reporter_standing() -> None:
    op.create_table(
        "reporter_standing",
        sa.Column("reporter", sa.String(64), nullable=False),
        sa.Column("rejections", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.PrimaryKeyConstraint("reporter", name="pk_reporter_standing"),
    )


def _create_moderation_audit() -> None:
    op.create_table(
        "moderation_audit",
        sa.Column("id", BigId, nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_moderation_audit"),
    )
    op.create_index("ix_moderation_audit_at", "moderation_audit", ["at"])


def upgrade() -> None:
    """Create image_reports, reporter_standing and moderation_audit."""
    _create_image_reports()
    _create_reporter_standing()
    _create_moderation_audit()


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("moderation_audit")
    op.drop_table("reporter_standing")
    op.drop_table("image_reports")
