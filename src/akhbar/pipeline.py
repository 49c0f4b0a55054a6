"""refresh_source(): fetch -> parse -> extract -> enrich -> store for one source, idempotent."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from akhbar.config import Settings
from akhbar.enrich import assign_category, canonicalize_url, detect_language
from akhbar.enrich.language import all_models_loaded
from akhbar.extract import extract_article, html_to_text, sanitize_html
from akhbar.fetch import Fetcher, FetchError, FetchResult
from akhbar.images import article_image_urls
from akhbar.models import Article, ExtractedArticle, FeedItem, ParsedFeed, Source
from akhbar.parse import FeedError, parse_feed
from akhbar.runner.pool import ExtractPool
from akhbar.runner.schedule import (
    items_per_day,
    next_check_after_failure,
    next_check_after_success,
    should_disable,
)
from akhbar.sources import DiscoveryError, discover_feeds
from akhbar.store import Store, StoreError

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
# A feed whose item content has fewer characters than this carries a summary, not the article.
FULL_CONTENT_MIN_CHARS = 600
# Feeds from this size are parsed in a thread, where the event loop gets the GIL back every few ms:
# feedparser takes ~1.2 ms per KB of RSS or Atom here (a 20-item feed of summaries, ~20 KB, in 25 ms; JSON
# Feed in 1 ms), so a feed this large would hold the loop, and the web server in it, for 75 ms or more.
BIG_FEED_BYTES = 64 * 1024
EXPECTED_ERRORS = (FetchError, FeedError, DiscoveryError, StoreError)


@dataclass
class RefreshReport:
    """What one refresh of one source did, for the CLI and the logs."""

    slug: str
    ok: bool = True
    not_modified: bool = False
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""
    disabled: bool = False


class StoryStep:
    """Run the story step for concurrent refreshes: one placement at a time, the next serving all waiting."""

    # One queued run per refresh held a worker thread each (blocked on the placer's lock), so the store
    # writes of other refreshes waited for a thread; coalesced, a run places the articles of many sources.

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._asked = 0  # requests made so far
        self._served = 0  # requests made before the start of the last finished run

    async def run(self, place: Callable[[], Awaitable[object]]) -> None:
        """Return once a placement that started after this call has finished (running it if none is)."""
        self._asked += 1
        mine = self._asked
        async with self._lock:
            if self._served >= mine:
                return  # a run that started after our articles were saved has placed them
            covered = self._asked
            await place()
            self._served = covered


class StateWrites:
    """Save the state of refreshes that store no article (304, nothing new, failures) together.

    A pass where most feeds answer 304 wrote one transaction per source, and its threads queued on the
    database's write lock. Here the first refresh to arrive writes at once; those arriving meanwhile wait
    and are written together by the next one (group commit). A refresh still returns only once its own
    state is committed, and each source's state is written whole or not at all.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._pending: list[tuple[Source, asyncio.Future[None]]] = []

    async def save(self, store: Store, source: Source) -> None:
        """Return once source's state is committed; raise its StoreError when it could not be."""
        saved: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((source, saved))
        async with self._lock:
            if self._pending and not saved.done():
                batch, self._pending = self._pending, []
                writing = asyncio.ensure_future(asyncio.to_thread(store.save_states, [s for s, _ in batch]))
                writing.add_done_callback(functools.partial(_settle, batch))
                # Not cancelled with this refresh (SIGTERM): the batch's other refreshes wait for its outcome.
                await asyncio.wait([writing])
        await saved


def _settle(
    batch: list[tuple[Source, asyncio.Future[None]]], writing: asyncio.Future[dict[int, StoreError]]
) -> None:
    """Give each refresh of a written batch its outcome."""
    for source, saved in batch:
        if saved.done():  # its refresh was cancelled meanwhile
            continue
        if writing.cancelled():
            saved.cancel()
        elif (exc := writing.exception()) is not None:
            saved.set_exception(exc)
        elif (failure := writing.result().get(source.id)) is not None:
            saved.set_exception(failure)
        else:
            saved.set_result(None)


@dataclass
class PipelineContext:
    """What refresh_source needs: settings, a fetcher, the store and the extraction pool."""

    settings: Settings
    fetcher: Fetcher
    store: Store
    extract_pool: ExtractPool | None = None  # None: extract in this process (tests, tiny jobs)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    stories: StoryStep = field(default_factory=StoryStep)
    states: StateWrites = field(default_factory=StateWrites)


async def refresh_source(source: Source, ctx: PipelineContext) -> RefreshReport:
    """Refresh one source end to end and record the outcome on its health, in one store transaction."""
    now = ctx.clock()
    source = replace(source, last_checked_at=now)
    try:
        return await _refresh(source, ctx, now)
    except EXPECTED_ERRORS as exc:
        return await _record_failure(source, ctx, now, exc)
    except Exception as exc:  # a bug must not stop the other sources; the log keeps the traceback
        log.exception("pipeline: unexpected error refreshing %s", source.slug)
        return await _record_failure(source, ctx, now, exc)


async def _refresh(source: Source, ctx: PipelineContext, now: datetime) -> RefreshReport:
    if not source.feed_url:
        feeds = await discover_feeds(ctx.fetcher.get, source.url)
        source = replace(source, feed_url=feeds[0])
    result = await ctx.fetcher.get(source.feed_url, etag=source.etag, last_modified=source.last_modified)
    if result.not_modified:
        source = _healthy(source, ctx.settings, now, result, source.items_per_day)
        await ctx.states.save(ctx.store, source)
        return RefreshReport(source.slug, not_modified=True)
    feed = await _parse(result, ctx, now)
    items = usable_items(feed)
    known = await asyncio.to_thread(ctx.store.known_guids, source.id, [i.guid for i in items])
    fresh = [item for item in items if item.guid not in known]
    articles = await asyncio.gather(*(_build_article(source, item, ctx, now) for item in fresh))
    rate = items_per_day([i.published for i in feed.items], now)
    source = _healthy(source, ctx.settings, now, result, rate, feed_name=feed.title)
    if not articles:  # nothing new: only the source's state to write
        await ctx.states.save(ctx.store, source)
        return RefreshReport(source.slug)
    counts = await asyncio.to_thread(ctx.store.save_refresh, source, list(articles))
    await _register_images(ctx, articles)
    if counts.new:
        await _place_stories(ctx, now)
    return RefreshReport(source.slug, new=counts.new, updated=counts.updated, unchanged=counts.unchanged)


async def _parse(result: FetchResult, ctx: PipelineContext, now: datetime) -> ParsedFeed:
    """Parse a feed: in the event loop when small, in a thread when large enough to hold it up."""
    parse = functools.partial(
        parse_feed, result.content, result.url, now=now, max_items=ctx.settings.max_items_per_feed
    )
    if len(result.content) < BIG_FEED_BYTES:
        return parse()
    return await asyncio.to_thread(parse)


async def _register_images(ctx: PipelineContext, articles: Sequence[Article]) -> None:
    """Record which images each article shows (the image cache fetches them when first viewed)."""
    links = {a.canonical_url: article_image_urls(a.image, a.html) for a in articles}
    if not links:
        return
    try:
        await asyncio.to_thread(ctx.store.link_article_images, links)
    except StoreError as exc:  # the articles are saved; their images get linked on the next refresh
        log.warning("pipeline: images of %d articles not registered: %s", len(links), exc)


async def _place_stories(ctx: PipelineContext, now: datetime) -> None:
    """Enrich step for stories: mark near-duplicates and put each new article in a story."""
    # Imported on the first new article: datasketch brings scipy, ~0.4 s that a 304 pass does not need.
    from akhbar.enrich.placement import placer_for

    placer = placer_for(ctx.store, timedelta(hours=ctx.settings.story_window_hours))
    try:
        await ctx.stories.run(functools.partial(asyncio.to_thread, placer.place_pending, ctx.store, now))
    except StoreError as exc:  # the articles are saved; the next refresh places them
        log.warning("pipeline: stories not updated: %s", exc)


def usable_items(feed: ParsedFeed) -> list[FeedItem]:
    """Return the items that can make an article; refuse a broken feed that yields none."""
    items = [i for i in feed.items if i.title or i.url or i.content or i.summary]
    broken = [w for w in feed.warnings if "ill-formed" in w]
    if broken and not items:
        cause = broken[0].removeprefix("parse: ill-formed XML recovered (").removesuffix(")")
        raise FeedError(f"parse: broken feed with no usable item: {cause}", "not_xml")
    return items


def _healthy(
    source: Source, settings: Settings, now: datetime, result: FetchResult, rate: float, feed_name: str = ""
) -> Source:
    return replace(
        source,
        name=source.name or feed_name or source.url,
        etag=result.etag,
        last_modified=result.last_modified,
        last_success_at=now,
        last_error="",
        consecutive_failures=0,
        items_per_day=rate,
        next_check_at=next_check_after_success(now, rate, settings, result.max_age),
    )


async def _record_failure(
    source: Source, ctx: PipelineContext, now: datetime, exc: Exception
) -> RefreshReport:
    message = one_line_error(exc)
    failures = source.consecutive_failures + 1
    gone = isinstance(exc, FetchError) and exc.permanent
    disable = gone or should_disable(failures, ctx.settings)
    retry_after = exc.retry_after if isinstance(exc, FetchError) else None
    if disable:
        message = f"{message} (source disabled; `akhbar sources enable {source.slug}` to retry)"
    failed = replace(
        source,
        last_error=message,
        last_error_at=now,
        consecutive_failures=failures,
        enabled=source.enabled and not disable,
        next_check_at=next_check_after_failure(now, failures, ctx.settings, retry_after),
    )
    try:
        await ctx.states.save(ctx.store, failed)
    except StoreError as store_exc:
        message = f"{message}; and {one_line_error(store_exc)}"
    return RefreshReport(source.slug, ok=False, error=message, disabled=disable)


def one_line_error(exc: BaseException) -> str:
    """Return an exception as one line: our own typed errors already are; others get their type named."""
    text = " ".join(str(exc).split())
    if isinstance(exc, EXPECTED_ERRORS) or type(exc).__module__.startswith("akhbar."):
        return text or type(exc).__name__
    return f"internal error: {type(exc).__name__}: {text}"[:500]


def wants_page(item: FeedItem, mode: str) -> bool:
    """Return True when the article page should be fetched for this item under the given mode."""
    if mode == "never" or not item.url:
        return False
    if mode == "always":
        return True
    return len(html_to_text(item.content)) < FULL_CONTENT_MIN_CHARS


async def _extract_page(item: FeedItem, ctx: PipelineContext) -> ExtractedArticle | None:
    try:
        page = await ctx.fetcher.get(item.url, accept=HTML_ACCEPT)
    except FetchError as exc:
        log.info("pipeline: article page not fetched, keeping the feed's text: %s", exc)
        return None
    if ctx.extract_pool is None:
        return extract_article(page.content, page.url)
    return await ctx.extract_pool.extract(page.content, page.url)


async def _build_article(source: Source, item: FeedItem, ctx: PipelineContext, now: datetime) -> Article:
    mode = source.fetch_article_pages or ctx.settings.fetch_article_pages
    page = (await _extract_page(item, ctx) if wants_page(item, mode) else None) or ExtractedArticle()
    if not all_models_loaded():
        # A headline or a doubtful text loads more language models, for seconds of CPU the first time:
        # until they are in memory, articles are composed in a thread, off the event loop.
        return await asyncio.to_thread(compose_article, source, item, page, now)
    return compose_article(source, item, page, now)


def pick_canonical(item_url: str, page_canonical: str) -> str:
    """Return the page's canonical URL when it is trustworthy: same host as the item, not the home page."""
    if not page_canonical:
        return item_url
    page, item = urlsplit(page_canonical), urlsplit(item_url)
    if page.hostname != item.hostname or page.path in ("", "/"):
        return item_url  # sites that point every page's canonical at their home page would merge all articles
    return page_canonical


def compose_article(source: Source, item: FeedItem, page: ExtractedArticle, now: datetime) -> Article:
    """Merge a feed item and what its page gave into the article we store (feed date first)."""
    feed_html = item.content or item.summary
    text = page.text or html_to_text(feed_html)
    title = html_to_text(item.title) or page.title or text[:120]
    published = item.published or page.published or now
    date_note = item.date_note if (item.published or not page.published) else ""
    prior = item.language[:2] or source.language
    language = detect_language(f"{title}. {text[:300]}", prior=prior or None) or prior
    return Article(
        source_id=source.id,
        guid=item.guid,
        url=item.url or page.canonical_url,
        canonical_url=canonicalize_url(pick_canonical(item.url or item.guid, page.canonical_url)),
        title=title,
        summary=html_to_text(item.summary)[:1000] or text[:300],
        text=text,
        html=page.html or sanitize_html(feed_html, item.url),
        image=item.image or page.image,
        author=", ".join(item.authors) or page.author,
        published_at=published,
        updated_at=item.updated,
        fetched_at=now,
        language=language,
        category=assign_category(source.category, item.categories, title),
        summary_only=not page.text and len(html_to_text(item.content)) < FULL_CONTENT_MIN_CHARS,
        date_note=date_note,
    )
