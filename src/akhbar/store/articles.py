"""Queries on the articles table: the deduplicating upsert and the reading side."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from akhbar.models import Article
from akhbar.store import fts
from akhbar.store.errors import StoreError, cause_of
from akhbar.store.tables import articles, sources

# Rows looked up per query: well under SQLite's bound-parameter limit, large enough to keep round trips few.
CHUNK = 400
# Fields that a newer copy of an article replaces when it has a value (fetched_at and id are kept).
CONTENT_FIELDS = ("url", "title", "summary", "text", "html", "image", "author", "language", "category")
ARTICLE_COLUMNS = tuple(column.name for column in articles.columns)
ROW_FIELDS = tuple(name for name in ARTICLE_COLUMNS if name != "id")


@dataclass
class UpsertCounts:
    """What an upsert did: rows inserted, rows changed, rows already identical."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def merge(old: Article, new: Article) -> Article:
    """Return old updated with new's keys and non-empty fields; old's id and fetched_at are kept."""
    changes: dict[str, Any] = {name: getattr(new, name) for name in CONTENT_FIELDS if getattr(new, name)}
    changes.update(source_id=new.source_id, guid=new.guid, canonical_url=new.canonical_url)
    if new.text:  # summary_only describes the text we keep
        changes["summary_only"] = new.summary_only
    # A missing date is stood in by the fetch time: keep the first one so the article does not climb.
    keep_date = old.date_note == "missing" and new.date_note == "missing"
    if new.published_at is not None and not keep_date:
        changes.update(published_at=new.published_at, date_note=new.date_note)
    if new.updated_at is not None:
        changes["updated_at"] = new.updated_at
    if old.fetched_at is None:
        changes["fetched_at"] = new.fetched_at
    return replace(old, **changes)


def dedup_batch(batch: Iterable[Article]) -> list[Article]:
    """Merge articles of one batch that share a guid or a canonical URL (later ones win)."""
    merged: list[Article] = []
    by_key: dict[tuple[str, str], int] = {}
    for article in batch:
        keys = (("guid", article.guid), ("canonical", article.canonical_url))
        index = next((by_key[k] for k in keys if k in by_key), None)
        if index is None:
            index = len(merged)
            merged.append(article)
        else:
            merged[index] = merge(merged[index], article)
        by_key.update(dict.fromkeys(keys, index))
    return merged


def row_to_article(row: Row[Any]) -> Article:
    """Build an Article from an articles row (joined source columns when present)."""
    mapping = row._mapping
    values = {name: mapping[name] for name in ARTICLE_COLUMNS}
    return Article(
        **values, source_name=mapping.get("source_name", ""), source_slug=mapping.get("source_slug", "")
    )


class _Known:
    """Stored rows touched by one batch, indexed by id, by guid (this source) and by canonical URL."""

    def __init__(self, source_id: int) -> None:
        self.source_id = source_id
        self.rows: dict[int, Article] = {}
        self.by_guid: dict[str, int] = {}
        self.by_canonical: dict[str, int] = {}

    def load(self, conn: Connection, batch: list[Article]) -> None:
        """Read the stored rows that share a guid or a canonical URL with the batch."""
        for guids in _chunks([a.guid for a in batch]):
            where = and_(articles.c.source_id == self.source_id, articles.c.guid.in_(guids))
            self.remember(*map(row_to_article, conn.execute(select(articles).where(where))))
        for urls in _chunks([a.canonical_url for a in batch]):
            rows = conn.execute(select(articles).where(articles.c.canonical_url.in_(urls)))
            self.remember(*map(row_to_article, rows))

    def remember(self, *stored: Article) -> None:
        """Index rows as they are now in the database."""
        for article in stored:
            assert article.id is not None
            self._forget(article.id)
            self.rows[article.id] = article
            self.by_canonical[article.canonical_url] = article.id
            if article.source_id == self.source_id:
                self.by_guid[article.guid] = article.id

    def _forget(self, row_id: int) -> None:
        """Drop the keys a row held before it was changed."""
        previous = self.rows.pop(row_id, None)
        if previous is None:
            return
        if self.by_canonical.get(previous.canonical_url) == row_id:
            del self.by_canonical[previous.canonical_url]
        if self.by_guid.get(previous.guid) == row_id:
            del self.by_guid[previous.guid]

    def match(self, article: Article) -> Article | None:
        """Return the stored row that is this article: same canonical URL, else same guid."""
        row_id = self.by_canonical.get(article.canonical_url) or self.by_guid.get(article.guid)
        return self.rows.get(row_id) if row_id is not None else None

    def keyed_for(self, stored: Article, article: Article) -> Article:
        """Return the article with the keys it may give the stored row without taking another row's."""
        canonical_owner = self.by_canonical.get(article.canonical_url, stored.id)
        guid_owner = self.by_guid.get(article.guid, stored.id)
        same_source = stored.source_id == self.source_id
        return replace(
            article,
            source_id=stored.source_id,  # the first source that brought an article keeps it
            canonical_url=article.canonical_url if canonical_owner == stored.id else stored.canonical_url,
            guid=article.guid if same_source and guid_owner == stored.id else stored.guid,
        )


# Built once, values passed as parameters: building .values(...) per row dominated the upsert's time.
_INSERT = articles.insert().returning(articles.c.id)
_UPDATE = update(articles).where(articles.c.id == bindparam("row_id"))


def _values(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in ROW_FIELDS}


def _write_one(conn: Connection, known: _Known, article: Article, counts: UpsertCounts) -> None:
    stored = known.match(article)
    if stored is None:
        inserted = replace(article, id=conn.execute(_INSERT, _values(article)).scalar_one())
        fts.index_article(conn, inserted)
        known.remember(inserted)
        counts.new += 1
        return
    merged = merge(stored, known.keyed_for(stored, article))
    if merged == stored:
        counts.unchanged += 1
        return
    conn.execute(_UPDATE, {**_values(merged), "row_id": stored.id})
    fts.reindex_article(conn, stored, merged)
    known.remember(merged)
    counts.updated += 1


def upsert_articles(conn: Connection, source_id: int, batch: list[Article], now: datetime) -> UpsertCounts:
    """Insert new articles and update known ones in place; never a second row for one article."""
    incoming = dedup_batch(
        replace(a, source_id=source_id, id=None, fetched_at=a.fetched_at or now) for a in batch
    )
    known = _Known(source_id)
    known.load(conn, incoming)
    counts = UpsertCounts()
    for article in incoming:
        try:
            _write_one(conn, known, article, counts)
        except SQLAlchemyError as exc:
            raise StoreError(f"store: cannot upsert article {article.url}: {cause_of(exc)}") from exc
    return counts


def known_guids(conn: Connection, source_id: int, guids: Iterable[str]) -> set[str]:
    """Return which of the guids are already stored for the source."""
    found: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(guids))):
        query = select(articles.c.guid).where(articles.c.source_id == source_id, articles.c.guid.in_(chunk))
        found.update(conn.execute(query).scalars())
    return found


def with_source() -> Any:
    return select(articles, sources.c.name.label("source_name"), sources.c.slug.label("source_slug")).join(
        sources, sources.c.id == articles.c.source_id
    )


def latest_headlines(conn: Connection, limit: int) -> list[Article]:
    """Return the newest articles by published date (undated last), with their source's name and slug."""
    query = (
        with_source()
        .order_by(articles.c.published_at.desc().nulls_last(), articles.c.id.desc())
        .limit(limit)
    )
    return [row_to_article(row) for row in conn.execute(query)]


def article_by_id(conn: Connection, article_id: int) -> Article | None:
    """Return one article with its source's name and slug."""
    row = conn.execute(with_source().where(articles.c.id == article_id)).first()
    return row_to_article(row) if row else None


def count_articles(conn: Connection, source_id: int | None) -> int:
    """Return the number of articles, of one source or of all."""
    query = select(func.count()).select_from(articles)
    if source_id is not None:
        query = query.where(articles.c.source_id == source_id)
    return int(conn.execute(query).scalar_one())


def delete_for_source(conn: Connection, source_id: int) -> None:
    """Delete a source's articles (explicitly, so no engine setting is relied upon) and their index rows."""
    fts.unindex_source(conn, source_id)
    conn.execute(articles.delete().where(articles.c.source_id == source_id))
