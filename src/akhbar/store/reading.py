"""The reading side: filtered, keyset-paginated lists of articles for pages, feeds out and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from akhbar.models import Article
from akhbar.store.articles import row_to_article, with_source
from akhbar.store.tables import articles


@dataclass(frozen=True)
class ArticleQuery:
    """Which articles a list shows; every field is optional and they combine with AND."""

    languages: tuple[str, ...] = ()
    source_id: int | None = None
    category: str | None = None
    since: datetime | None = None  # published_at >= since
    until: datetime | None = None  # published_at < until
    originals_only: bool = False  # leave out near-duplicate copies (one entry per copied text)


@dataclass(frozen=True)
class Cursor:
    """A keyset position: the (published_at, id) of the last article of the previous page."""

    published_at: datetime
    id: int


def _conditions(query: ArticleQuery) -> list[Any]:
    conditions: list[Any] = [articles.c.published_at.is_not(None)]
    if query.languages:
        conditions.append(articles.c.language.in_(query.languages))
    if query.source_id is not None:
        conditions.append(articles.c.source_id == query.source_id)
    if query.category:
        conditions.append(articles.c.category == query.category)
    if query.since is not None:
        conditions.append(articles.c.published_at >= query.since)
    if query.until is not None:
        conditions.append(articles.c.published_at < query.until)
    if query.originals_only:
        # Written so that no index can serve it: nearly every article is an original, and SQLite, lacking
        # statistics for the duplicate_of index, would otherwise walk it and sort all of them (45 s at 1M).
        conditions.append(func.coalesce(articles.c.duplicate_of, 0) == 0)
    return conditions


def list_articles(conn: Connection, query: ArticleQuery, limit: int, after: Cursor | None) -> list[Article]:
    """Return articles newest first, starting after the cursor (keyset pagination: no OFFSET scans)."""
    conditions = _conditions(query)
    if after is not None:
        conditions.append(
            or_(
                articles.c.published_at < after.published_at,
                and_(articles.c.published_at == after.published_at, articles.c.id < after.id),
            )
        )
    statement = (
        with_source()
        .where(*conditions)
        .order_by(articles.c.published_at.desc(), articles.c.id.desc())
        .limit(limit)
    )
    return [row_to_article(row) for row in conn.execute(statement)]


def count_matching(conn: Connection, query: ArticleQuery) -> int:
    """Return how many articles a query matches."""
    statement = select(func.count()).select_from(articles).where(*_conditions(query))
    return int(conn.execute(statement).scalar_one())


def category_counts(conn: Connection, languages: tuple[str, ...] = ()) -> dict[str, int]:
    """Return the number of articles per category (of these languages when given)."""
    statement = select(articles.c.category, func.count()).group_by(articles.c.category)
    if languages:
        statement = statement.where(articles.c.language.in_(languages))
    return {str(category): int(count) for category, count in conn.execute(statement)}


def latest_article_id(conn: Connection) -> int:
    """Return the highest article id (0 when empty): a cheap version of the article set for caches."""
    return int(conn.execute(select(func.max(articles.c.id))).scalar_one() or 0)
