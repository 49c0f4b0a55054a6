"""Store: the one object the rest of akhbar uses to read and write the database."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from akhbar.models import Article, Source, SourceSpec
from akhbar.moderation.policy import Policy, Tally
from akhbar.search import SearchQuery, SearchResults
from akhbar.store import accounts as acc
from akhbar.store import articles as art
from akhbar.store import copy as dbcopy
from akhbar.store import fts, health, leases, migrate, reading, retention, sitemaps
from akhbar.store import images as img
from akhbar.store import moderation as mod
from akhbar.store import search as fulltext
from akhbar.store import sources as src
from akhbar.store import stories as sto
from akhbar.store.accounts import Account
from akhbar.store.articles import UpsertCounts
from akhbar.store.engine import make_engine, safe_url, transaction
from akhbar.store.errors import StoreError, failing_as
from akhbar.store.images import ImageRecord
from akhbar.store.moderation import AuditEntry, ReportedImage, ReportOutcome
from akhbar.store.reading import ArticleQuery, Cursor
from akhbar.store.sitemaps import SitemapEntry
from akhbar.store.stories import StoryRow, TopStory
from akhbar.store.tables import articles, images, sources

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

    def copy_into(
        self, target: Store, on_table: dbcopy.OnTable | None = None
    ) -> tuple[int, list[dbcopy.TableCheck]]:
        """Upsert every table into target, re-index its search, and compare counts and checksums."""
        dbcopy.refuse_same(self.engine, target.engine)
        with failing_as(f"copy the database to {safe_url(target.engine.url)}"):
            written = dbcopy.copy_tables(self.engine, target.engine, on_table)
        target.rebuild_search_index()
        with failing_as("compare the copied tables"):
            return written, dbcopy.compare_tables(self.engine, target.engine)

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
            sto.release_source(conn, source_id)
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

    # scheduler leases (store/leases.py): the distributed scheduler hands each due source out once

    def claim_due_sources(self, token: str, *, now: datetime, seconds: float, limit: int) -> list[Source]:
        """Lease up to limit due, unleased sources to token for some seconds; return them."""
        return self._run(
            "claim due sources", lambda c: leases.claim_due(c, token, now, seconds, limit), write=True
        )

    def release_lease(self, source_id: int, token: str) -> bool:
        """Free a source's lease if token still holds it; return whether it did."""
        what = f"release the lease of source {source_id}"
        return self._run(what, lambda c: leases.release(c, source_id, token), write=True)

    def leased_sources(self, now: datetime) -> int:
        """Return how many sources are leased at now."""
        return self._run("count leased sources", lambda c: leases.leased_count(c, now))

    # refresh

    def save_refresh(self, source: Source, articles: list[Article]) -> UpsertCounts:
        """Write a source's refresh state and upsert its articles, all in one transaction."""
        now = source.last_checked_at or datetime.now(UTC)

        def work(conn: Connection) -> UpsertCounts:
            src.save_state(conn, source)
            return art.upsert_articles(conn, source.id, articles, now)

        return self._run_retrying(f"save refresh of source {source.id}", work)

    def save_states(self, sources: list[Source]) -> dict[int, StoreError]:
        """Write the refresh state of sources that brought no article, in one transaction; return failures.

        When that transaction fails, each source is written in a transaction of its own, so that one
        source that cannot be saved (removed meanwhile, say) fails alone: its error is returned by its id.
        """
        if not sources:
            return {}

        def work(conn: Connection) -> None:
            for source in sources:
                src.save_state(conn, source)

        try:
            self._run(f"save the refresh state of {len(sources)} sources", work, write=True)
            return {}
        except StoreError as exc:
            if len(sources) == 1:
                return {sources[0].id: exc}
        failures: dict[int, StoreError] = {}
        for source in sources:
            try:
                save = functools.partial(src.save_state, source=source)
                self._run(f"save refresh of source {source.id}", save, write=True)
            except StoreError as exc:
                failures[source.id] = exc
        return failures

    def upsert_articles(self, source_id: int, articles: list[Article]) -> UpsertCounts:
        """Insert or update articles of one source in place (by guid and canonical URL), nothing else."""
        now = datetime.now(UTC)
        what = f"upsert articles of source {source_id}"
        return self._run_retrying(what, lambda c: art.upsert_articles(c, source_id, articles, now))

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

    def latest_article_id(self) -> int:
        """Return the highest article id, 0 when there is none (the page cache's version)."""
        return self._run("read latest article id", reading.latest_article_id)

    # sitemaps

    def max_article_id(self) -> int:
        """Return the highest article id (0 when there is none)."""
        return self._run("read the highest article id", sitemaps.max_article_id)

    def sitemap_entries(self, first_id: int, last_id: int) -> list[SitemapEntry]:
        """Return light rows of the articles whose id lies in [first_id, last_id], by id."""
        return self._run("list sitemap entries", lambda c: sitemaps.entries_between(c, first_id, last_id))

    def recent_sitemap_entries(self, since: datetime, limit: int = 1000) -> list[SitemapEntry]:
        """Return light rows of the articles published since a time, newest first."""
        return self._run("list recent sitemap entries", lambda c: sitemaps.recent_entries(c, since, limit))

    # operator accounts, login sessions, failed logins and source health (store/accounts.py, store/health.py)

    def create_account(self, username: str, password_hash: str, role: str, *, now: datetime) -> Account:
        """Store a new operator account; refuse a taken name or an unknown role."""
        return self._run(
            f"create account {username}",
            lambda c: acc.insert_account(c, username, password_hash, role, now),
            write=True,
        )

    def account_by_username(self, username: str) -> Account | None:
        """Return the account with this name."""
        return self._run(f"read account {username}", lambda c: acc.account_where(c, acc.by_name(username)))

    def all_accounts(self) -> list[Account]:
        """Return every operator account, by name."""
        return self._run("list accounts", acc.all_accounts)

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        """Replace an account's password hash."""
        found = self._run(
            f"update account {account_id}",
            lambda c: acc.set_password_hash(c, account_id, password_hash),
            write=True,
        )
        if not found:
            raise StoreError(f"store: cannot update account {account_id}: no such account")

    def create_session(
        self, token_hash: str, account_id: int, *, now: datetime, expires_at: datetime
    ) -> None:
        """Store a login session (by its token's hash) and drop the expired ones."""
        self._run(
            "create a login session",
            lambda c: acc.insert_session(c, token_hash, account_id, now, expires_at),
            write=True,
        )

    def session_account(self, token_hash: str, *, now: datetime) -> Account | None:
        """Return the account of a live login session."""
        return self._run("read a login session", lambda c: acc.session_account(c, token_hash, now))

    def delete_session(self, token_hash: str) -> None:
        """Forget a login session."""
        self._run("delete a login session", lambda c: acc.delete_session(c, token_hash), write=True)

    def record_login_failure(self, username: str, network: str, *, now: datetime) -> None:
        """Record a failed login for a name and a client network."""
        self._run(
            "record a failed login", lambda c: acc.insert_failure(c, username, network, now), write=True
        )

    def login_failures_since(self, username: str, network: str, since: datetime) -> tuple[int, int]:
        """Return the failed logins since a time: (for this name, from this network)."""
        return self._run("count failed logins", lambda c: acc.failures_since(c, username, network, since))

    def clear_login_failures(self, username: str, *, before: datetime) -> None:
        """Forget a name's failed logins and everyone's older than before."""
        self._run("clear failed logins", lambda c: acc.clear_failures(c, username, before), write=True)

    def daily_counts(self, days: int, now: datetime) -> dict[int, list[int]]:
        """Return articles per UTC publication day per source id over the last days, oldest first."""
        return self._run("count articles per day", lambda c: health.daily_counts(c, days, now))

    # search

    def prune_article_bodies(self, before: datetime) -> int:
        """Empty text and HTML of articles published before `before` (titles, links stay); return how many."""

        def batch(conn: Connection) -> int:
            return retention.prune_batch(conn, before)

        pruned = 0
        while done := self._run("prune article bodies", batch, write=True):
            pruned += done
        return pruned

    def count_prunable_bodies(self, before: datetime) -> int:
        """Return how many articles published before `before` still hold a body."""
        return self._run("count prunable articles", lambda c: retention.count_prunable(c, before))

    def search(self, query: SearchQuery) -> SearchResults:
        """Return one page of articles matching a reader's query (SearchQueryError when it has no words)."""
        return self._run("search articles", lambda c: fulltext.search(c, query))

    def rebuild_search_index(self) -> int:
        """Index every article again (after a change of normalisation); return how many were indexed."""
        return self._run("rebuild the search index", fts.rebuild, write=True)

    # the image cache (store/images.py)

    def image_by_id(self, image_id: int) -> ImageRecord | None:
        """Return the cached image with this id."""
        return self._run(f"read image {image_id}", lambda c: img.image_where(c, images.c.id == image_id))

    def image_by_url(self, url: str) -> ImageRecord | None:
        """Return the cached image of this URL."""
        return self._run(f"read image {url}", lambda c: img.image_where(c, images.c.url == url))

    def ensure_image(self, url: str) -> ImageRecord:
        """Return the image of a URL, creating a pending row when absent (its id never changes)."""
        return self._run_retrying(f"register image {url}", lambda c: img.ensure_image(c, url))

    def image_states(self, urls: Iterable[str]) -> dict[str, str]:
        """Return the state of each known image URL (unknown ones are left out)."""
        return self._run("read image states", lambda c: img.image_states(c, urls))

    def set_image_state(self, image_id: int, state: str, *, protected_until: datetime | None = None) -> None:
        """Set an image's state, and that of every image with the same bytes."""
        found = self._run(
            f"update image {image_id}",
            lambda c: img.set_state(c, image_id, state, protected_until),
            write=True,
        )
        if not found:
            raise StoreError(f"store: cannot update image {image_id}: no such image")

    def record_image_fetch(
        self, image_id: int, *, sha256: str, width: int, height: int, content_type: str, now: datetime
    ) -> ImageRecord:
        """Record a fetched image; a copy of blocked or confirmed bytes takes that state at once."""
        return self._run(
            f"record fetch of image {image_id}",
            lambda c: img.record_fetch(
                c, image_id, sha256=sha256, width=width, height=height, content_type=content_type, now=now
            ),
            write=True,
        )

    def record_image_failure(self, image_id: int, error: str, *, now: datetime) -> None:
        """Record that an image could not be fetched or decoded."""
        self._run(
            f"record failure of image {image_id}",
            lambda c: img.record_failure(c, image_id, error, now),
            write=True,
        )

    def link_article_images(self, links: dict[str, list[str]]) -> int:
        """Set which image URLs each article (by canonical URL) shows; return the links written."""
        return self._run_retrying("link article images", lambda c: img.link_article_images(c, links))

    def images_of_article(self, article_id: int) -> list[ImageRecord]:
        """Return the images an article shows (lead and inside the text)."""
        return self._run(
            f"list images of article {article_id}",
            lambda c: img.images_joined(c, articles.c.id == article_id),
        )

    def images_of_source(self, source_id: int) -> list[ImageRecord]:
        """Return the images shown by any article of a source."""
        return self._run(
            f"list images of source {source_id}",
            lambda c: img.images_joined(c, articles.c.source_id == source_id),
        )

    def articles_of_image(self, image_id: int) -> list[int]:
        """Return the ids of the articles showing this image or a copy of its bytes, newest first."""
        return self._run(
            f"list articles of image {image_id}", lambda c: img.article_ids_of_image(c, image_id)
        )

    # image reports, moderation and the audit log (store/moderation.py)

    def record_image_report(
        self,
        image_id: int,
        reporter: str,
        network: str,
        *,
        now: datetime,
        policy: Policy,
        moderator: str = "",
    ) -> ReportOutcome:
        """Record a report and block the image in the same transaction when it crosses the threshold."""
        return self._run_retrying(
            f"record a report of image {image_id}",
            lambda c: mod.record_report(c, image_id, reporter, network, now, policy, moderator),
        )

    def moderate_image(
        self, image_id: int, action: str, *, actor: str, reason: str, now: datetime, policy: Policy
    ) -> str | None:
        """Confirm, restore, reject the reports of, or block an image, audited; None when it is unknown."""
        return self._run(
            f"{action} image {image_id}",
            lambda c: mod.moderate(c, image_id, action, actor=actor, reason=reason, now=now, policy=policy),
            write=True,
        )

    def block_images_of(self, target: str, target_id: int, *, actor: str, reason: str, now: datetime) -> int:
        """Block every image of an article or of a source, audited; return how many changed."""
        column = articles.c.id if target == "article" else articles.c.source_id

        def work(conn: Connection) -> int:
            found = img.images_joined(conn, column == target_id)
            return mod.block_all(
                conn, found, actor=actor, target=target, target_id=target_id, reason=reason, now=now
            )

        return self._run(f"block the images of {target} {target_id}", work, write=True)

    def image_report_tally(self, image_id: int) -> Tally:
        """Return the open reports' tally of an image and of its copies."""

        def work(conn: Connection) -> Tally:
            found = img.image_where(conn, images.c.id == image_id)
            return mod.tally(conn, mod.same_bytes_ids(conn, found)) if found else Tally()

        return self._run(f"count reports of image {image_id}", work)

    def reported_images(self, limit: int = 100) -> list[ReportedImage]:
        """Return the reported images, latest reports first, then the blocked ones nobody reported."""
        return self._run("list reported images", lambda c: mod.reported_images(c, limit))

    def audit_entries(self, limit: int = 200, before: int | None = None) -> list[AuditEntry]:
        """Return the moderation audit log, newest first."""
        return self._run("read the moderation audit log", lambda c: mod.audit_entries(c, limit, before))

    def reporter_rejections(self, reporter: str) -> int:
        """Return how many of a reporter's reports moderators rejected."""
        return self._run("read a reporter's standing", lambda c: mod.reporter_rejections(c, reporter))

    # near-duplicates and stories (store/stories.py)

    def story_rows_after(self, after_id: int, limit: int = 500) -> list[StoryRow]:
        """Return articles with id above after_id, by id, as the story index reads them."""
        return self._run("read articles to place", lambda c: sto.rows_after(c, after_id, limit))

    def first_story_row_id(self, since: datetime) -> int:
        """Return the id after which the articles published since a time start (a catch-up's start)."""
        return self._run("find the story window", lambda c: sto.first_id_since(c, since))

    def assign_stories(self, placements: list[tuple[int, int, int | None]]) -> int:
        """Record (article id, story id, original id) for articles not placed yet; return how many."""
        return self._run("record story placements", lambda c: sto.assign(c, placements), write=True)

    def story_articles(self, story_id: int, limit: int = 500) -> list[Article]:
        """Return a story's articles, oldest first, with their source's name and slug."""
        return self._run(f"read story {story_id}", lambda c: sto.story_articles(c, story_id, limit))

    def top_stories(
        self, since: datetime, languages: tuple[str, ...] = (), limit: int = 10
    ) -> list[TopStory]:
        """Return the stories told by the most distinct sources since a time."""
        return self._run("list top stories", lambda c: sto.top_stories(c, since, languages, limit))

    def copy_sources(self, originals: list[int]) -> dict[int, int]:
        """Return, per original article id, how many other sources republished it."""
        return self._run("count copies", lambda c: sto.copy_sources(c, originals))


def _checker(auto_migrate: bool) -> Callable[[Connection], None]:
    return lambda conn: migrate.check_schema(conn, auto_migrate=auto_migrate)
