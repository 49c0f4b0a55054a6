"""Dataclasses that travel between the stages: fetch -> parse -> extract -> enrich -> store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class SourceSpec:
    """A source as a person or a file describes it, before it is stored."""

    url: str  # the site's home page (or a feed URL when no site is known)
    name: str = ""
    feed_url: str = ""  # empty: discover on first refresh
    language: str = ""  # ISO 639-1, the outlet's declared language
    category: str = ""  # default category slug (see akhbar.enrich.categories)
    fetch_article_pages: str = ""  # "", "auto", "always" or "never"; "" follows the global setting


@dataclass
class Source:
    """A stored source with its state and health."""

    id: int
    slug: str
    name: str
    url: str
    feed_url: str = ""
    language: str = ""
    category: str = ""
    fetch_article_pages: str = ""
    enabled: bool = True
    etag: str = ""
    last_modified: str = ""
    last_checked_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    next_check_at: datetime | None = None
    items_per_day: float = 0.0
    created_at: datetime | None = None


@dataclass
class FeedItem:
    """One entry of a feed, normalised. Dates are timezone-aware UTC."""

    guid: str
    url: str
    title: str = ""
    summary: str = ""  # HTML or text as the feed gave it (not yet sanitized)
    content: str = ""  # full content if the feed carries it (HTML, not yet sanitized)
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    image: str = ""
    categories: list[str] = field(default_factory=list)
    language: str = ""
    date_note: str = ""  # "", "missing" (no date: fetch time used) or "future" (clamped to fetch time)


@dataclass
class ParsedFeed:
    """A parsed feed: its own metadata and its items."""

    title: str = ""
    link: str = ""
    language: str = ""
    format: str = ""  # "rss", "atom", "rdf", "json"
    items: list[FeedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # recoverable problems (ill-formed XML recovered, ...)


@dataclass
class ExtractedArticle:
    """What extraction found on an article page. Empty strings mean "not found"."""

    text: str = ""
    html: str = ""  # sanitized
    title: str = ""
    author: str = ""
    published: datetime | None = None
    image: str = ""
    canonical_url: str = ""
    language: str = ""


@dataclass
class Article:
    """An article ready to store (or read back from the store)."""

    source_id: int
    guid: str
    url: str
    canonical_url: str
    title: str
    summary: str = ""  # plain text
    text: str = ""
    html: str = ""  # sanitized
    image: str = ""
    author: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str = ""
    category: str = ""
    summary_only: bool = False
    date_note: str = ""
    id: int | None = None
    source_name: str = ""  # filled when read back with its source
    source_slug: str = ""
    story_id: int | None = None  # the story it belongs to (the id of the story's first article)
    duplicate_of: int | None = None  # the original it copies, when it is a near-duplicate
