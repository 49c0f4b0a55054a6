"""Retention: empty the bodies (text, HTML) of old articles, keeping their titles, links and summaries.

The full-text index is contentless, so each pruned row is unindexed with the values it was indexed with
and indexed again with what remains (its title and summary): search still finds old articles by title.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, update

from akhbar.store import fts, pg_search
from akhbar.store.tables import articles

# Rows pruned per statement: small enough that a writer never holds the lock for long.
BATCH = 500
_COLUMNS = (
    articles.c.id, articles.c.title, articles.c.text, articles.c.summary, articles.c.source_id,
    articles.c.language, articles.c.category, articles.c.published_at,
)  # fmt: skip


def _old_with_body(before: datetime) -> ColumnElement[bool]:
    """Return the condition of an article older than `before` whose body is still stored."""
    when = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    return and_(when < before, or_(articles.c.text != "", articles.c.html != ""))


def prune_batch(conn: Connection, before: datetime) -> int:
    """Prune the bodies of up to BATCH old articles; return how many were pruned."""
    rows = conn.execute(select(*_COLUMNS).where(_old_with_body(before)).limit(BATCH)).all()
    if not rows:
        return 0
    ids = [row.id for row in rows]
    if fts.enabled(conn):
        conn.execute(fts._DELETE, [fts.row_values(row) for row in rows])
    conn.execute(update(articles).where(articles.c.id.in_(ids)).values(text="", html=""))
    if fts.enabled(conn):
        kept = [fts.row_values(SimpleNamespace(**{**row._asdict(), "text": ""})) for row in rows]
        conn.execute(fts._INSERT, kept)
    if pg_search.enabled(conn):  # PostgreSQL's tsvector rows are upserted with what remains
        pg_search.index_rows(conn, [SimpleNamespace(**{**row._asdict(), "text": ""}) for row in rows])
    return len(rows)


def count_prunable(conn: Connection, before: datetime) -> int:
    """Return how many articles older than `before` still hold a body."""
    query = select(func.count()).select_from(articles).where(_old_with_body(before))
    return int(conn.execute(query).scalar_one())
