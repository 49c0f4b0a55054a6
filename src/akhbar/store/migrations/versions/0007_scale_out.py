"""Scheduler leases: which sources are handed to the workers, by whom and until when.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create source_leases (one row per source ever handed out; an expired row is a free source)."""
    op.create_table(
        "source_leases",
        sa.Column("source_id", BigId, nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("lease_until", When, nullable=False),
        sa.PrimaryKeyConstraint("source_id", name="pk_source_leases"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_source_leases_source_id_sources", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    """Drop source_leases."""
    op.drop_table("source_leases")
