"""Queries on the sources table, named by intent; each takes an open connection."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Row, bindparam, case, func, or_, select, update

from akhbar.models import Source, SourceSpec
from akhbar.store.errors import StoreError
from akhbar.store.tables import SOURCE_STATE_COLUMNS, sources

SLUG_MAX = 60
SOURCE_COLUMNS = tuple(column.name for column in sources.columns)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Return an ASCII slug of the text: accents folded, anything else turned into dashes."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", folded.lower()).strip("-")[:SLUG_MAX].strip("-")


def base_slug(name: str, url: str) -> str:
    """Return the slug a source would get before uniqueness: from its name, else its host."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return slugify(name) or slugify(host) or "source"


def unique_slug(conn: Connection, base: str) -> str:
    """Return base, or base-2, base-3... whichever is not yet taken."""
    stem = base[: SLUG_MAX - 6]  # room for a numeric suffix
    rows = conn.execute(
        select(sources.c.slug).where(or_(sources.c.slug == base, sources.c.slug.like(f"{stem}-%")))
    )
    taken = set(rows.scalars())
    if base not in taken:
        return base
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def row_to_source(row: Row[Any]) -> Source:
    """Build a Source from a sources row."""
    return Source(**{name: getattr(row, name) for name in SOURCE_COLUMNS})


def source_where(conn: Connection, *conditions: Any) -> Source | None:
    """Return the first source matching the conditions."""
    row = conn.execute(select(sources).where(*conditions).order_by(sources.c.id).limit(1)).first()
    return row_to_source(row) if row else None


def source_by_url(conn: Connection, url: str) -> Source | None:
    """Return the source whose url or feed_url is this URL."""
    if not url:
        return None
    return source_where(conn, or_(sources.c.url == url, sources.c.feed_url == url))


def insert_source(conn: Connection, spec: SourceSpec, now: datetime | None) -> Source:
    """Insert a new source with a unique slug; refuse a URL already known."""
    for url in filter(None, (spec.url, spec.feed_url)):
        if source_by_url(conn, url) is not None:
            raise StoreError(f"store: a source with URL {url} already exists")
    values = {
        "slug": unique_slug(conn, base_slug(spec.name, spec.url)),
        "name": spec.name,
        "url": spec.url,
        "feed_url": spec.feed_url,
        "language": spec.language,
        "category": spec.category,
        "fetch_article_pages": spec.fetch_article_pages,
        "created_at": now or datetime.now(UTC),
    }
    new_id = conn.execute(sources.insert().values(**values).returning(sources.c.id)).scalar_one()
    found = source_where(conn, sources.c.id == new_id)
    assert found is not None  # just inserted in this transaction
    return found


def all_sources(conn: Connection) -> list[Source]:
    """Return every source ordered by name (then slug, for empty names)."""
    rows = conn.execute(select(sources).order_by(sources.c.name, sources.c.slug))
    return [row_to_source(row) for row in rows]


def count_sources(conn: Connection) -> int:
    """Return the number of sources."""
    return int(conn.execute(select(func.count()).select_from(sources)).scalar_one())


def set_enabled(conn: Connection, source_id: int, enabled: bool, now: datetime) -> bool:
    """Enable (clearing failures, due now) or disable a source; return False when it is unknown."""
    values: dict[str, Any] = {"enabled": enabled}
    if enabled:
        values.update(consecutive_failures=0, next_check_at=now)
    result = conn.execute(update(sources).where(sources.c.id == source_id).values(**values))
    return bool(result.rowcount)


def due_sources(conn: Connection, now: datetime, limit: int | None) -> list[Source]:
    """Return enabled sources due at now, never-checked first, then the longest overdue."""
    due = or_(sources.c.next_check_at.is_(None), sources.c.next_check_at <= now)
    query = (
        select(sources)
        .where(sources.c.enabled.is_(True), due)
        .order_by(sources.c.next_check_at.asc().nulls_first(), sources.c.id)
        .limit(limit)
    )
    return [row_to_source(row) for row in conn.execute(query)]


def next_due_at(conn: Connection) -> datetime | None:
    """Return the earliest next_check_at among enabled sources (None when none is scheduled)."""
    query = select(func.min(sources.c.next_check_at)).where(sources.c.enabled.is_(True))
    value = conn.execute(query).scalar_one_or_none()
    # func.min loses the column type on some engines: normalise to aware UTC here.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return None


# One statement built once: the state columns, and the name only where the stored one is empty.
_SAVE_STATE = (
    update(sources)
    .where(sources.c.id == bindparam("state_id"))
    .values(
        {
            **{name: bindparam(f"state_{name}") for name in SOURCE_STATE_COLUMNS},
            "name": case((sources.c.name == "", bindparam("state_name")), else_=sources.c.name),
        }
    )
)


def save_state(conn: Connection, source: Source) -> None:
    """Write a source's mutable refresh state, and its name when the stored one is empty."""
    values = {f"state_{name}": getattr(source, name) for name in SOURCE_STATE_COLUMNS}
    result = conn.execute(_SAVE_STATE, {**values, "state_id": source.id, "state_name": source.name})
    if not result.rowcount:
        raise StoreError(f"store: cannot save source {source.id}: no such source")
