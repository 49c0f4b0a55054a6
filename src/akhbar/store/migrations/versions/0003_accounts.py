"""Operator accounts, login sessions and failed logins.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def _create_accounts() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", BigId, nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("last_login_at", When),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("username", name="uq_accounts_username"),
    )


def _create_login_sessions() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", BigId, nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("expires_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_sessions"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_login_sessions_account_id_accounts", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_login_sessions_expires_at", "login_sessions", ["expires_at"])


def _create_login_failures() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", BigId, nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("network", sa.String(64), nullable=False),
        sa.Column("failed_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_username_failed_at", "login_failures", ["username", "failed_at"])
    op.create_index("ix_login_failures_network_failed_at", "login_failures", ["network", "failed_at"])


def upgrade() -> None:
    """Create accounts, login_sessions and login_failures."""
    _create_accounts()
    _create_login_sessions()
    _create_login_failures()


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("login_failures")
    op.drop_table("login_sessions")
    op.drop_table("accounts")
