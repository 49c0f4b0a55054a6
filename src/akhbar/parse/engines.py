"""Adapters around the two feed engines, each returning the same feedparser-shaped RawFeed."""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import fastfeedparser
import feedparser


@dataclass
class RawFeed:
    """An engine's answer: feed-level fields and entries as feedparser-style mappings."""

    engine: str
    feed: Mapping[str, Any]
    entries: list[Mapping[str, Any]]
    version: str = ""  # feedparser's version string ("rss20", "atom10", ...) when known
    format: str = ""  # "rss", "atom", "rdf" or "json", set once known
    problem: str = ""  # what the engine found wrong while reading (feedparser's bozo exception)
    base: str = ""  # URL that relative links resolve against
    # fastfeedparser fills the field that is absent from the other: content from an RSS <description>,
    # a plain-text teaser (summary) from Atom <content>. Normalize drops the copy.
    fills_missing_text: bool = False

    @property
    def usable(self) -> bool:
        """Return True when the engine found a feed title, link or at least one entry."""
        return bool(self.entries or self.feed.get("title") or self.feed.get("link"))


def with_fastfeedparser(data: bytes, url: str) -> RawFeed:
    """Parse `data` with fastfeedparser (lxml and a native extractor); raise ValueError when it gives up."""
    # Bytes, never str: fastfeedparser fetches a str that looks like a URL.
    result = fastfeedparser.parse(bytes(data))
    entries = list(result.get("entries") or [])
    feed = {key: value for key, value in result.items() if key != "entries"}
    return RawFeed("fastfeedparser", feed, entries, base=url, fills_missing_text=True)


def with_feedparser(data: bytes, url: str) -> RawFeed:
    """Parse `data` with feedparser (expat, then its forgiving fallback parser); never raises on bad XML."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # A file object, never bytes or str: feedparser opens a string that names a file or a URL.
        # No document URL either: feedparser would then rewrite relative guids into URLs, so a guid would
        # depend on the engine; normalize resolves the remaining relative links against `url` itself.
        result = feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-type": "application/xml"},
            sanitize_html=False,
            resolve_relative_uris=True,
        )
    problem = ""
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        problem = " ".join(str(exc).split()) or type(exc).__name__
    return RawFeed(
        "feedparser",
        # Plain dicts: FeedParserDict.get() maps missing keys to others (published -> updated) with a warning.
        dict(result.get("feed", {})),
        [dict(entry) for entry in result.get("entries", [])],
        version=str(result.get("version", "")),
        problem=problem,
        base=url,
    )
