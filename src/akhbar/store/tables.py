"""SQLAlchemy Core tables: the current shape of the schema (migrations are the source of truth)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.types import TypeDecorator

# Named constraints keep migrations portable: Alembic can drop/alter them by name on every engine.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Store datetimes as UTC and always read them back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; naive values are taken as UTC already."""
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        # SQLite keeps text; a naive UTC value sorts and compares correctly as text.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _text(name: str) -> Column[str]:
    return Column(name, Text, nullable=False, server_default="")


sources = Table(
    "sources",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    _text("name"),
    Column("url", Text, nullable=False, unique=True),
    _text("feed_url"),
    _text("language"),
    _text("category"),
    _text("fetch_article_pages"),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    _text("etag"),
    _text("last_modified"),
    Column("last_checked_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    _text("last_error"),
    Column("last_error_at", UTCDateTime),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("next_check_at", UTCDateTime),
    Column("items_per_day", Float, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "enabled", "next_check_at"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("source_id", BigId, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("guid", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    _text("summary"),
    _text("text"),
    _text("html"),
    _text("image"),
    _text("author"),
    Column("published_at", UTCDateTime),
    Column("updated_at", UTCDateTime),
    Column("fetched_at", UTCDateTime, nullable=False),
    _text("language"),
    _text("category"),
    Column("summary_only", Boolean, nullable=False, server_default=false()),
    _text("date_note"),
    Column("story_id", BigId),  # migration 0008: the story (its first article's id); NULL until placed
    Column("duplicate_of", BigId),  # the original this article copies (near-duplicate), else NULL
    UniqueConstraint("source_id", "guid"),
    Index(None, "source_id", "published_at"),
    Index(None, "story_id", "published_at"),
    Index(None, "duplicate_of"),
)
# On PostgreSQL the migration makes it published_at DESC NULLS LAST (the order latest_headlines asks for).
Index("ix_articles_published_at", articles.c.published_at.desc(), articles.c.id.desc())
# The category pages and the home page blocks (migration 0004).
Index(None, articles.c.category, articles.c.published_at, articles.c.id)

# Operator accounts, their login sessions (token hashes) and failed logins (rate limit), shared by every
# web process through the database.
accounts = Table(
    "accounts",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime),
)

login_sessions = Table(
    "login_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie's token, never the token itself
    Column("account_id", BigId, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index(None, "expires_at"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("username", String(80), nullable=False),
    Column("network", String(64), nullable=False),
    Column("failed_at", UTCDateTime, nullable=False),
    Index(None, "username", "failed_at"),
    Index(None, "network", "failed_at"),
)

# The image cache (migration 0005): one row per image URL; state is pending, ok, blocked, confirmed or failed.
images = Table(
    "images",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("sha256", String(64), nullable=False, server_default=""),  # of the original bytes
    Column("state", String(16), nullable=False, server_default="pending"),
    Column("width", Integer, nullable=False, server_default="0"),
    Column("height", Integer, nullable=False, server_default="0"),
    Column("content_type", String(40), nullable=False, server_default=""),
    Column("fetched_at", UTCDateTime),
    _text("error"),
    Column("protected_until", UTCDateTime),
    Index(None, "sha256"),
    Index(None, "state"),
)

# Which article shows which image (lead and inside the text), for moderation and blocking by article/source.
article_images = Table(
    "article_images",
    metadata,
    Column("article_id", BigId, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("image_id", BigId, ForeignKey("images.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "image_id"),
)

# Reader reports of images (migration 0006): one row per (image, reporter); a repeat changes nothing.
# status: open (counts towards blocking), rejected (by a moderator), cleared (the image was restored).
image_reports = Table(
    "image_reports",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("image_id", BigId, ForeignKey("images.id", ondelete="CASCADE"), nullable=False),
    Column("reporter", String(64), nullable=False),
    Column("network", String(64), nullable=False),
    Column("reported_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("by_moderator", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("image_id", "reporter"),
    Index(None, "reporter", "reported_at"),
    Index(None, "network", "reported_at"),
)

# Reporters whose reports moderators rejected: their weight is 0.5 ** rejections from then on.
reporter_standing = Table(
    "reporter_standing",
    metadata,
    Column("reporter", String(64), primary_key=True),
    Column("rejections", Integer, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Every moderator action: who, what, on which target, when and why.
moderation_audit = Table(
    "moderation_audit",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(16), nullable=False),
    Column("target_id", BigInteger, nullable=False),
    _text("reason"),
    _text("detail"),
    Index(None, "at"),
)

# Scheduler leases (migration 0007): a source handed to the workers is not handed out again before
# lease_until; the token names the claim, so a late worker cannot release a newer lease.
source_leases = Table(
    "source_leases",
    metadata,
    Column("source_id", BigId, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("token", String(64), nullable=False),
    Column("lease_until", UTCDateTime, nullable=False),
)

SOURCE_STATE_COLUMNS = (
    "feed_url",
    "etag",
    "last_modified",
    "last_checked_at",
    "last_success_at",
    "last_error",
    "last_error_at",
    "consecutive_failures",
    "next_check_at",
    "items_per_day",
    "enabled",
)
