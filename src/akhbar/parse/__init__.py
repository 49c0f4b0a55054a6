"""The parse stage: feed bytes (RSS 0.9x-2.0, RDF, Atom, JSON Feed) -> ParsedFeed of normalised FeedItems."""

from akhbar.parse.errors import FeedError, NotAFeedError
from akhbar.parse.feeds import parse_feed

__all__ = ["FeedError", "NotAFeedError", "parse_feed"]
