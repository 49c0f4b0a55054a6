"""Queries for near-duplicates and stories: articles to place, placements, a story's articles, top stories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from akhbar.models import Article
from akhbar.store.articles import CHUNK, row_to_article, with_source
from akhbar.store.tables import articles

# Characters of text read per article for placing it: the features read the first few hundred words only.
TEXT_CHARS = 6000


@dataclass(frozen=True)
class StoryRow:
    """An article as the story index reads it, with its placement when it has one."""

    id: int
    source_id: int
    language: str
    title: str
    text: str
    published_at: datetime | None
    story_id: int | None
    duplicate_of: int | None


@dataclass(frozen=True)
class TopStory:
    """A story of the last hours: how many distinct sources and articles tell it, and its newest time."""

    story_id: int
    sources: int
    articles: int
    latest: datetime


def rows_after(conn: Connection, after_id: int, limit: int) -> list[StoryRow]:
    """Return the articles with id > after_id, by id."""
    statement = (
        select(
            articles.c.id,
            articles.c.source_id,
            articles.c.language,
            articles.c.title,
            func.substr(articles.c.text, 1, TEXT_CHARS).label("text"),
            articles.c.published_at,
            articles.c.story_id,
            articles.c.duplicate_of,
        )
        .where(articles.c.id > after_id)
        .order_by(articles.c.id)
        .limit(limit)
    )
    return [StoryRow(**row._mapping) for row in conn.execute(statement)]


def first_id_since(conn: Connection, since: datetime) -> int:
    """Return the id just below the first article published since a time (where a catch-up starts)."""
    found = conn.execute(select(func.min(articles.c.id)).where(articles.c.published_at >= since)).scalar()
    return int(found) - 1 if found else int(conn.execute(select(func.max(articles.c.id))).scalar() or 0)


_ASSIGN = (
    update(articles)
    .where(articles.c.id == bindparam("row_id"), articles.c.story_id.is_(None))
    .values(story_id=bindparam("story"), duplicate_of=bindparam("original"))
)


def assign(conn: Connection, placements: Iterable[tuple[int, int, int | None]]) -> int:
    """Record (article, story, original) placements of unplaced articles; return how many were written."""
    params = [{"row_id": a, "story": s, "original": o} for a, s, o in placements]
    if not params:
        return 0
    return int(conn.execute(_ASSIGN, params).rowcount or 0)


def story_articles(conn: Connection, story_id: int, limit: int) -> list[Article]:
    """Return a story's articles, oldest first."""
    query = (
        with_source()
        .where(articles.c.story_id == story_id)
        .order_by(articles.c.published_at, articles.c.id)
        .limit(limit)
    )
    return [row_to_article(row) for row in conn.execute(query)]


def top_stories(conn: Connection, since: datetime, languages: tuple[str, ...], limit: int) -> list[TopStory]:
    """Return the stories told by the most distinct sources since a time (at least two), most first."""
    conditions: list[Any] = [articles.c.published_at >= since, articles.c.story_id.is_not(None)]
    if languages:
        conditions.append(articles.c.language.in_(languages))
    sources = func.count(articles.c.source_id.distinct())
    latest = func.max(articles.c.published_at)
    statement = (
        select(articles.c.story_id, sources.label("sources"), func.count().label("n"), latest.label("latest"))
        .where(*conditions)
        .group_by(articles.c.story_id)
        .having(sources >= 2)
        .order_by(sources.desc(), latest.desc(), articles.c.story_id.desc())
        .limit(limit)
    )
    rows = conn.execute(statement).all()
    return [TopStory(int(r.story_id), int(r.sources), int(r.n), r.latest) for r in rows]


def copy_sources(conn: Connection, originals: list[int]) -> dict[int, int]:
    """Return, per original article id, how many other sources republished it."""
    counts: dict[int, int] = {}
    for start in range(0, len(originals), CHUNK):
        chunk = originals[start : start + CHUNK]
        statement = (
            select(articles.c.duplicate_of, func.count(articles.c.source_id.distinct()))
            .where(articles.c.duplicate_of.in_(chunk))
            .group_by(articles.c.duplicate_of)
        )
        counts.update({int(original): int(n) for original, n in conn.execute(statement)})
    return counts


def release_source(conn: Connection, source_id: int) -> None:
    """Before a source's articles go: make their copies elsewhere stand alone, no longer hidden."""
    gone = select(articles.c.id).where(articles.c.source_id == source_id)
    conn.execute(update(articles).where(articles.c.duplicate_of.in_(gone)).values(duplicate_of=None))
