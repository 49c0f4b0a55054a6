"""Sources as files: OPML and sources.toml import/export, the shipped default list, and feed discovery."""

from akhbar.sources.defaults import default_sources
from akhbar.sources.discovery import PROBE_PATHS, Page, discover_feeds, feed_links, looks_like_feed
from akhbar.sources.errors import DiscoveryError, SourceFileError
from akhbar.sources.files import read_sources_file
from akhbar.sources.opml import export_opml, parse_opml
from akhbar.sources.toml_file import export_toml, parse_sources_toml

__all__ = [
    "PROBE_PATHS",
    "DiscoveryError",
    "Page",
    "SourceFileError",
    "default_sources",
    "discover_feeds",
    "export_opml",
    "export_toml",
    "feed_links",
    "looks_like_feed",
    "parse_opml",
    "parse_sources_toml",
    "read_sources_file",
]
