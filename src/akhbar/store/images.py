"""Queries on the image cache and on which articles show which image; each takes an open connection."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from akhbar.store.errors import StoreError
from akhbar.store.tables import article_images, articles, images

STATES = ("pending", "ok", "blocked", "confirmed", "failed")
# States a reader never sees: the image is replaced by the placeholder.
HIDDEN_STATES = frozenset({"blocked", "confirmed"})
# Which state wins when copies of the same bytes disagree (a new copy inherits the strongest).
_STRENGTH = {"confirmed": 2, "blocked": 1}
CHUNK = 400


@dataclass(frozen=True)
class ImageRecord:
    """One cached image: its URL, the hash of its original bytes, its state and what fetching found."""

    id: int
    url: str
    sha256: str
    state: str
    width: int
    height: int
    content_type: str
    fetched_at: datetime | None
    error: str
    protected_until: datetime | None


def _record(row: Row[Any]) -> ImageRecord:
    return ImageRecord(**{column.name: getattr(row, column.name) for column in images.columns})


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _insert_ignoring_duplicates(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose key exists (another writer may have raced us)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).values(rows).on_conflict_do_nothing())


def image_where(conn: Connection, *conditions: Any) -> ImageRecord | None:
    """Return the first image matching the conditions."""
    row = conn.execute(select(images).where(*conditions).limit(1)).first()
    return _record(row) if row else None


def ensure_images(conn: Connection, urls: Iterable[str]) -> dict[str, int]:
    """Create a pending row for each unknown URL; return the id of every URL."""
    wanted = list(dict.fromkeys(url for url in urls if url))
    ids: dict[str, int] = {}
    for chunk in _chunks(wanted):
        _insert_ignoring_duplicates(conn, images, [{"url": url} for url in chunk])
        rows = conn.execute(select(images.c.url, images.c.id).where(images.c.url.in_(chunk)))
        ids.update({row.url: row.id for row in rows})
    return ids


def ensure_image(conn: Connection, url: str) -> ImageRecord:
    """Return the row of an image URL, creating a pending one when absent."""
    if not url:
        raise StoreError("store: cannot register an image without a URL")
    ensure_images(conn, [url])
    found = image_where(conn, images.c.url == url)
    assert found is not None  # just made sure it exists in this transaction
    return found


def image_states(conn: Connection, urls: Iterable[str]) -> dict[str, str]:
    """Return the state of each known URL (unknown URLs are left out)."""
    wanted = list(dict.fromkeys(url for url in urls if url))
    states: dict[str, str] = {}
    for chunk in _chunks(wanted):
        rows = conn.execute(select(images.c.url, images.c.state).where(images.c.url.in_(chunk)))
        states.update({row.url: row.state for row in rows})
    return states


def set_state(conn: Connection, image_id: int, state: str, protected_until: datetime | None) -> bool:
    """Set the state of an image and of every image with the same bytes; False when the id is unknown."""
    if state not in STATES:
        raise StoreError(f"store: unknown image state {state!r} (use one of {', '.join(STATES)})")
    found = image_where(conn, images.c.id == image_id)
    if found is None:
        return False
    same = images.c.sha256 == found.sha256 if found.sha256 else images.c.id == image_id
    conn.execute(update(images).where(same).values(state=state, protected_until=protected_until))
    return True


def _inherited_state(conn: Connection, sha256: str, current: str) -> str:
    """Return the state a freshly fetched image takes: the strongest block among its copies, else ok."""
    rows = conn.execute(
        select(images.c.state).where(images.c.sha256 == sha256, images.c.state.in_(_STRENGTH))
    )
    candidates = [row.state for row in rows] + ([current] if current in _STRENGTH else [])
    return max(candidates, key=_STRENGTH.__getitem__, default="ok")


def record_fetch(
    conn: Connection, image_id: int, *, sha256: str, width: int, height: int, content_type: str, now: datetime
) -> ImageRecord:
    """Record a successful fetch; a copy of blocked or confirmed bytes arrives blocked or confirmed."""
    found = image_where(conn, images.c.id == image_id)
    if found is None:
        raise StoreError(f"store: cannot record fetch of image {image_id}: no such image")
    state = _inherited_state(conn, sha256, found.state)
    values = {"sha256": sha256, "width": width, "height": height, "content_type": content_type}
    conn.execute(
        update(images).where(images.c.id == image_id).values(**values, state=state, fetched_at=now, error="")
    )
    updated = image_where(conn, images.c.id == image_id)
    assert updated is not None
    return updated


def record_failure(conn: Connection, image_id: int, error: str, now: datetime) -> None:
    """Record a failed fetch; a blocked or confirmed image keeps its state."""
    conn.execute(
        update(images)
        .where(images.c.id == image_id, images.c.state.not_in(HIDDEN_STATES))
        .values(state="failed")
    )
    conn.execute(update(images).where(images.c.id == image_id).values(error=error[:500], fetched_at=now))


def link_article_images(conn: Connection, links: Mapping[str, Sequence[str]]) -> int:
    """Replace the images of each article (by canonical URL) with these URLs; return the links written."""
    wanted = [url for url in links if url]
    article_ids: dict[str, int] = {}
    for chunk in _chunks(wanted):
        rows = conn.execute(
            select(articles.c.canonical_url, articles.c.id).where(articles.c.canonical_url.in_(chunk))
        )
        article_ids.update({row.canonical_url: row.id for row in rows})
    image_ids = ensure_images(conn, (url for urls in links.values() for url in urls))
    pairs = [
        {"article_id": article_id, "image_id": image_ids[url]}
        for canonical, article_id in article_ids.items()
        for url in dict.fromkeys(links[canonical])
        if url in image_ids
    ]
    for chunk in _chunks(list(article_ids.values())):
        conn.execute(delete(article_images).where(article_images.c.article_id.in_(chunk)))
    for chunk_of_pairs in _chunks(pairs):
        _insert_ignoring_duplicates(conn, article_images, list(chunk_of_pairs))
    return len(pairs)


def images_joined(conn: Connection, *conditions: Any) -> list[ImageRecord]:
    """Return the images linked to the articles matching the conditions, by id."""
    query = (
        select(images)
        .distinct()
        .join(article_images, article_images.c.image_id == images.c.id)
        .join(articles, articles.c.id == article_images.c.article_id)
        .where(*conditions)
        .order_by(images.c.id)
    )
    return [_record(row) for row in conn.execute(query)]


def article_ids_of_image(conn: Connection, image_id: int) -> list[int]:
    """Return the ids of the articles that show this image or a copy of its bytes, newest first."""
    found = image_where(conn, images.c.id == image_id)
    if found is None:
        return []
    same = images.c.sha256 == found.sha256 if found.sha256 else images.c.id == image_id
    query = (
        select(article_images.c.article_id)
        .distinct()
        .join(images, images.c.id == article_images.c.image_id)
        .where(same)
        .order_by(article_images.c.article_id.desc())
    )
    return list(conn.execute(query).scalars())
