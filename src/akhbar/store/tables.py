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
    UniqueConstraint("source_id", "guid"),
    Index(None, "source_id", "published_at"),
)
# On PostgreSQL the migration makes it published_at DESC NULLS LAST (the order latest_headlines asks for).
Index("ix_articles_published_at", articles.c.published_at.desc(), articles.c.id.desc())

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
