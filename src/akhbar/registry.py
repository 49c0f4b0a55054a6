"""Glue between the registry files, feed discovery and the store: what `akhbar sources` and start-up need."""

from __future__ import annotations

from collections.abc import Iterable

from akhbar.config import Settings
from akhbar.fetch import Fetcher
from akhbar.models import Source, SourceSpec
from akhbar.sources import default_sources, discover_feeds
from akhbar.store import Store


async def discover_feed_url(settings: Settings, url: str) -> str:
    """Return the first feed found from a site's page (or the URL itself when it is a feed)."""
    async with Fetcher(settings) as fetcher:
        feeds = await discover_feeds(fetcher.get, url)
    return feeds[0]


def spec_of(source: Source) -> SourceSpec:
    """Return the file-format description of a stored source."""
    return SourceSpec(
        url=source.url,
        name=source.name,
        feed_url=source.feed_url,
        language=source.language,
        category=source.category,
        fetch_article_pages=source.fetch_article_pages,
    )


def import_specs(store: Store, specs: Iterable[SourceSpec]) -> tuple[int, int]:
    """Add the sources not yet present (by site or feed URL); return (added, skipped)."""
    added = skipped = 0
    for spec in specs:
        if store.source_by_url(spec.url) or (spec.feed_url and store.source_by_url(spec.feed_url)):
            skipped += 1
            continue
        store.add_source(spec)
        added += 1
    return added, skipped


def ensure_default_sources(store: Store, settings: Settings) -> int:
    """Load the shipped list of outlets into an empty registry (first start); return how many were added."""
    if not settings.load_default_sources or store.count_sources():
        return 0
    return import_specs(store, default_sources())[0]
