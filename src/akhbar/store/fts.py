"""The SQLite full-text index of articles: its DDL and its upkeep inside the article writes.

articles_fts is a contentless FTS5 table (rowid = articles.id) over the NORMALISED title and body, so that
accents, case and Arabic letter variants are folded by akhbar.search.normalize rather than by the tokenizer.
A third column, tags, holds one token per filter value ("s12" source, "lfr" language, "csport" category) and
the publication date at three grains ("y2025" year, "m202503" month, "d20250301" day, UTC): a filter then
joins the MATCH itself, and FTS5 intersects a rare filter with a common word by seeking through the doclists,
newest first (ranking then only orders the window: see store/search.py). A date range becomes the fewest
year, month and day tokens that cover it (date_cover), so a past range never walks the newer matches.
Contentless keeps the database small (the text is stored once, in articles); the price is that removing a
row needs the values it was indexed with, which the upsert has in hand (SQLite 3.40 lacks contentless_delete).
On PostgreSQL these functions keep store/pg_search.py's tsvector table instead (same transaction); on
other engines they do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, text

from akhbar.models import Article
from akhbar.search.normalize import normalize
from akhbar.store import pg_search
from akhbar.store.tables import articles

TABLE = "articles_fts"
_INSERT = text(f"INSERT INTO {TABLE}(rowid, title, body, tags) VALUES (:id, :title, :body, :tags)")
_DELETE = text(
    f"INSERT INTO {TABLE}({TABLE}, rowid, title, body, tags) VALUES ('delete', :id, :title, :body, :tags)"
)
_COLUMNS = tuple(
    articles.c[name]
    for name in ("id", "title", "text", "summary", "source_id", "language", "category", "published_at")
)
# Bumped when what is indexed changes (2: date tokens); the benchmark corpus cache keys on it.
INDEX_VERSION = 2
# Rows re-indexed per statement when the whole index is rebuilt.
REBUILD_BATCH = 2000


def enabled(conn: Connection) -> bool:
    """Return True when this engine keeps the full-text index (SQLite)."""
    return conn.dialect.name == "sqlite"


def source_tag(source_id: int) -> str:
    """Return the tags-column token of a source."""
    return f"s{source_id}"


def language_tag(language: str) -> str:
    """Return the tags-column token of a language."""
    return "l" + "".join(ch for ch in normalize(language) if ch.isalnum())


def category_tag(category: str) -> str:
    """Return the tags-column token of a category."""
    return "c" + "".join(ch for ch in normalize(category) if ch.isalnum())


def _utc_day(when: datetime) -> date:
    """Return the UTC calendar day of a datetime (a naive one is taken as UTC, as the store writes them)."""
    return (when.astimezone(UTC) if when.tzinfo else when).date()


def date_tags(published_at: datetime | None) -> tuple[str, ...]:
    """Return the year, month and day tokens of a publication date (none when the date is unknown)."""
    if published_at is None:
        return ()
    day = _utc_day(published_at)
    return (f"y{day:%Y}", f"m{day:%Y%m}", f"d{day:%Y%m%d}")


def tags(source_id: int, language: str, category: str, published_at: datetime | None = None) -> str:
    """Return the tags column of an article: its source, language, category and date as tokens."""
    values = (source_tag(source_id), language_tag(language), category_tag(category), *date_tags(published_at))
    return " ".join(values)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _cover_step(day: date, last: date) -> tuple[str, date]:
    """Return the coarsest token that starts at day and ends by last, and the day after it."""
    if (day.month, day.day) == (1, 1) and date(day.year, 12, 31) <= last:
        return f"y{day:%Y}", date(day.year + 1, 1, 1)
    after = _next_month(day)
    if day.day == 1 and after - timedelta(days=1) <= last:
        return f"m{day:%Y%m}", after
    return f"d{day:%Y%m%d}", day + timedelta(days=1)


def date_cover(since: datetime, until: datetime, limit: int = 200) -> list[str] | None:
    """Return the fewest date tokens whose days cover [since, until); None when more than limit are needed.

    The cover holds every day the range touches, so it may take in a few hours outside the range on its
    first and last day: the caller keeps the exact published_at test.
    """
    day, last = _utc_day(since), _utc_day(until - timedelta(microseconds=1))
    cover: list[str] = []
    while day <= last and len(cover) <= limit:
        token, day = _cover_step(day, last)
        cover.append(token)
    return cover if len(cover) <= limit else None


def row_values(row: Any) -> dict[str, Any]:
    """Return the parameters that index (or unindex) one article (an Article or an articles row)."""
    return {
        "id": row.id,
        "title": normalize(row.title),
        "body": normalize(row.text or row.summary),
        "tags": tags(row.source_id, row.language, row.category, row.published_at),
    }


def index_article(conn: Connection, article: Article) -> None:
    """Add a newly inserted article to the index."""
    if pg_search.enabled(conn):
        pg_search.index_article(conn, article)
    elif enabled(conn) and article.id is not None:
        conn.execute(_INSERT, row_values(article))


def reindex_article(conn: Connection, old: Article, new: Article) -> None:
    """Replace an updated article's index entry when its title or body changed."""
    if pg_search.enabled(conn) and old.id is not None:
        if pg_search.row_values(old) != pg_search.row_values(replace(new, id=old.id)):
            pg_search.index_article(conn, replace(new, id=old.id))
        return
    if not enabled(conn) or old.id is None:
        return
    before, after = row_values(old), row_values(replace(new, id=old.id))
    if before != after:
        conn.execute(_DELETE, before)
        conn.execute(_INSERT, after)


def unindex_source(conn: Connection, source_id: int) -> None:
    """Remove a source's articles from the index (before the articles themselves are deleted)."""
    if not enabled(conn):  # PostgreSQL: deleting the articles deletes their rows (ON DELETE CASCADE)
        return
    query = select(*_COLUMNS).where(articles.c.source_id == source_id)
    rows = [row_values(row) for row in conn.execute(query)]
    if rows:
        conn.execute(_DELETE, rows)


def _batches(conn: Connection) -> Iterable[list[dict[str, Any]]]:
    last = 0
    while True:
        query = select(*_COLUMNS).where(articles.c.id > last).order_by(articles.c.id).limit(REBUILD_BATCH)
        batch = [row_values(row) for row in conn.execute(query)]
        if not batch:
            return
        yield batch
        last = batch[-1]["id"]


def rebuild(conn: Connection) -> int:
    """Empty the index and index every article again; return how many were indexed."""
    if pg_search.enabled(conn):
        return pg_search.rebuild(conn)
    if not enabled(conn):
        return 0
    conn.execute(text(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')"))
    count = 0
    for batch in _batches(conn):
        conn.execute(_INSERT, batch)
        count += len(batch)
    conn.execute(text(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')"))
    return count
