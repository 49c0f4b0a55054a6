"""Indexes for the portal's lists (filled by the portal work).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision (reserved; its owner fills it in)."""


def downgrade() -> None:
    """Revert this revision."""
