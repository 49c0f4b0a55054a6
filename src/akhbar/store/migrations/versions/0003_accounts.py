"""Operator accounts and login sessions (filled by the admin work).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision (reserved; its owner fills it in)."""


def downgrade() -> None:
    """Revert this revision."""
