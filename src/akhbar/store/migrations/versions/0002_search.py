"""Full-text search over articles (filled by the search work).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision (reserved; its owner fills it in)."""


def downgrade() -> None:
    """Revert this revision."""
