"""Light article rows for sitemaps: id ranges for the article sitemaps, the recent ones for Google News."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from akhbar.store.tables import articles, sources


@dataclass(frozen=True)
class SitemapEntry:
    """What a sitemap needs of an article (no text: a sitemap page lists up to 50,000 of them)."""

    id: int
    title: str
    language: str
    published_at: datetime | None
    updated_at: datetime | None
    source_name: str = ""


def _select() -> Any:
    return select(
        articles.c.id,
        articles.c.title,
        articles.c.language,
        articles.c.published_at,
        articles.c.updated_at,
        sources.c.name,
    ).join(sources, sources.c.id == articles.c.source_id)


def _entry(row: Any) -> SitemapEntry:
    id_, title, language, published, updated, source_name = row
    return SitemapEntry(int(id_), str(title), str(language), published, updated, str(source_name))


def max_article_id(conn: Connection) -> int:
    """Return the highest article id (0 when there is none)."""
    return int(conn.execute(select(func.max(articles.c.id))).scalar_one() or 0)


def entries_between(conn: Connection, first_id: int, last_id: int) -> list[SitemapEntry]:
    """Return the articles whose id lies in [first_id, last_id], by id (a primary-key range scan)."""
    statement = _select().where(articles.c.id >= first_id, articles.c.id <= last_id).order_by(articles.c.id)
    return [_entry(row) for row in conn.execute(statement)]


def recent_entries(conn: Connection, since: datetime, limit: int) -> list[SitemapEntry]:
    """Return the articles published since a time, newest first."""
    statement = (
        _select()
        .where(articles.c.published_at >= since)
        .order_by(articles.c.published_at.desc(), articles.c.id.desc())
        .limit(limit)
    )
    return [_entry(row) for row in conn.execute(statement)]
