"""Store: the one object the rest of akhbar uses to read and write the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from akhbar.models import Article, Source, SourceSpec
from akhbar.store import articles as art
from akhbar.store import migrate, reading
from akhbar.store import sources as src
from akhbar.store.articles import UpsertCounts
from akhbar.store.engine import make_engine, safe_url, transaction
from akhbar.store.errors import StoreError, failing_as
from akhbar.store.reading import ArticleQuery, Cursor
from akhbar.store.tables import sources

T = TypeVar("T")

# One retry absorbs a unique-key race with another writer (two workers storing the same canonical URL,
# two processes adding sources with the same slug).
WRITE_ATTEMPTS = 2


class Store:
    """A database of sources and articles behind intent-named methods."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, auto_migrate: bool = True) -> Store:
        """Open the database at url, migrating it to head (or refusing an old schema)."""
        try:
            with failing_as(f"open database {safe_url(url)}"):
                store = cls(make_engine(url))
        except OSError as exc:  # the SQLite directory could not be made
            raise StoreError(f"store: cannot open database {safe_url(url)}: {exc}") from exc
        try:
            store._run(f"open database {safe_url(url)}", _checker(auto_migrate), write=True)
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def _run(self, what: str, work: Callable[[Connection], T], *, write: bool = False) -> T:
        """Run work in one transaction; database errors become 'store: cannot <what>: <cause>'."""
        with failing_as(what), transaction(self.engine, write=write) as conn:
            return work(conn)

    def _run_retrying(self, what: str, work: Callable[[Connection], T]) -> T:
        """Run a write; retry once when another writer took a unique key in between."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return self._run(what, work, write=True)
            except StoreError as exc:
                if attempt == WRITE_ATTEMPTS or not isinstance(exc.__cause__, IntegrityError):
                    raise
        raise AssertionError("unreachable")

    # schema

    def upgrade(self) -> None:
        """Apply every pending migration."""
        self._run("upgrade the database schema", migrate.upgrade, write=True)

    def current_revision(self) -> str | None:
        """Return the schema revision of the database (None before the first migration)."""
        return self._run("read the schema revision", migrate.current_revision)

    def head_revision(self) -> str:
        """Return the newest schema revision this code knows."""
        return migrate.head_revision()

    def integrity_check(self) -> str:
        """Return SQLite's integrity_check verdict ('ok' when sound); other engines answer 'ok'."""
        if self.engine.dialect.name != "sqlite":
            return "ok"
        pragma = text("PRAGMA integrity_check")
        rows = self._run("check integrity", lambda c: c.execute(pragma).scalars().all())
        return "; ".join(str(row) for row in rows)

    # sources

    def add_source(self, spec: SourceSpec, *, now: datetime | None = None) -> Source:
        """Store a new source with a unique slug; refuse a URL that is already known."""
        try:
            return self._run_retrying(f"add source {spec.url}", lambda c: src.insert_source(c, spec, now))
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):  # lost twice to another writer on the same URL
                raise StoreError(f"store: a source with URL {spec.url} already exists") from exc
            raise

    def source_by_id(self, source_id: int) -> Source | None:
        """Return the source with this id."""
        return self._run(f"read source {source_id}", lambda c: src.source_where(c, sources.c.id == source_id))

    def source_by_slug(self, slug: str) -> Source | None:
        """Return the source with this slug."""
        return self._run(f"read source {slug}", lambda c: src.source_where(c, sources.c.slug == slug))

    def source_by_url(self, url: str) -> Source | None:
        """Return the source whose url or feed_url is this URL."""
        return self._run(f"read source {url}", lambda c: src.source_by_url(c, url))

    def all_sources(self) -> list[Source]:
        """Return every source, ordered by name."""
        return self._run("list sources", src.all_sources)

    def count_sources(self) -> int:
        """Return the number of sources."""
        return self._run("count sources", src.count_sources)

    def remove_source(self, source_id: int) -> None:
        """Delete a source and its articles."""

        def work(conn: Connection) -> None:
            art.delete_for_source(conn, source_id)
            conn.execute(sources.delete().where(sources.c.id == source_id))

        self._run(f"remove source {source_id}", work, write=True)

    def set_source_enabled(self, source_id: int, enabled: bool, *, now: datetime) -> None:
        """Enable a source (failures cleared, due now) or disable it."""
        found = self._run(
            f"update source {source_id}", lambda c: src.set_enabled(c, source_id, enabled, now), write=True
        )
        if not found:
            raise StoreError(f"store: cannot update source {source_id}: no such source")

    def due_sources(self, now: datetime, limit: int | None = None) -> list[Source]:
        """Return enabled sources due for a check at now, never-checked first, then most overdue."""
        return self._run("list due sources", lambda c: src.due_sources(c, now, limit))

    def next_due_at(self) -> datetime | None:
        """Return the earliest next_check_at among enabled sources."""
        return self._run("read the next due time", src.next_due_at)

    # refresh

    def save_refresh(self, source: Source, articles: list[Article]) -> UpsertCounts:
        """Write a source's refresh state and upsert its articles, all in one transaction."""
        now = source.last_checked_at or datetime.now(UTC)

        def work(conn: Connection) -> UpsertCounts:
            src.save_state(conn, source)
            return art.upsert_articles(conn, source.id, articles, now)

        return self._run_retrying(f"save refresh of source {source.id}", work)

    def known_guids(self, source_id: int, guids: Iterable[str]) -> set[str]:
        """Return which of these guids are already stored for the source."""
        return self._run(f"read guids of source {source_id}", lambda c: art.known_guids(c, source_id, guids))

    # articles

    def latest_headlines(self, limit: int = 50) -> list[Article]:
        """Return the newest articles first, with source_name and source_slug filled."""
        return self._run("list headlines", lambda c: art.latest_headlines(c, limit))

    def article_by_id(self, article_id: int) -> Article | None:
        """Return one article with source_name and source_slug filled."""
        return self._run(f"read article {article_id}", lambda c: art.article_by_id(c, article_id))

    def count_articles(self, source_id: int | None = None) -> int:
        """Return the number of articles, of one source or of all."""
        return self._run("count articles", lambda c: art.count_articles(c, source_id))

    def list_articles(
        self, query: ArticleQuery, *, limit: int = 20, after: Cursor | None = None
    ) -> list[Article]:
        """Return articles matching the query, newest first, after the keyset cursor."""
        return self._run("list articles", lambda c: reading.list_articles(c, query, limit, after))

    def count_matching(self, query: ArticleQuery) -> int:
        """Return how many articles match the query."""
        return self._run("count articles", lambda c: reading.count_matching(c, query))

    def category_counts(self, languages: tuple[str, ...] = ()) -> dict[str, int]:
        """Return the number of articles per category slug."""
        return self._run("count categories", lambda c: reading.category_counts(c, languages))


def _checker(auto_migrate: bool) -> Callable[[Connection], None]:
    return lambda conn: migrate.check_schema(conn, auto_migrate=auto_migrate)
