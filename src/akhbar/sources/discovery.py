"""Find the feeds of a site from its home page: the page itself, <link rel=alternate>, then usual paths."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Protocol
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from akhbar.sources.errors import DiscoveryError, is_http_url, one_line


class Page(Protocol):
    """What discovery needs from a fetched page (akhbar.fetch's response has these attributes)."""

    url: str  # the final URL, after redirects
    content: bytes
    content_type: str


Getter = Callable[[str], Awaitable[Page]]

FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
    "application/json",
})
# Tried in this order when the page names no feed; they cover WordPress, Blogger, Hugo, Jekyll, Ghost and
# most CMS defaults.
PROBE_PATHS = (
    "/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/feed/", "/feeds/posts/default",
    "/?feed=rss2", "/rss/", "/feed.json",
)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z][\w.:-]*)")
_PROLOGUE = re.compile(
    rb"^(\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_SNIFF_BYTES = 4096
# Fetch error kinds (akhbar.fetch.FetchError.kind) that say the host itself cannot be reached: probing its
# usual paths would fail the same way a dozen times, so discovery stops and says the site is unreachable.
# A refused robots.txt, an HTTP error or a slow page are not among them: the feed may still answer.
HOST_UNREACHABLE = frozenset({"dns", "connect", "tls", "blocked_address"})


def _looks_like_json_feed(content: bytes) -> bool:
    """Tell whether content is a JSON Feed document."""
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return False
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and version.startswith(_JSON_FEED_VERSION)


def looks_like_feed(content: bytes) -> bool:
    """Tell whether a body is a feed: XML whose root is <rss>, <feed> or <rdf:RDF>, or a JSON Feed."""
    # Markup is ASCII: dropping NUL bytes and byte-order marks lets UTF-16/32 documents be sniffed too.
    head = content[:_SNIFF_BYTES].replace(b"\x00", b"")
    for bom in _BOMS:
        head = head.removeprefix(bom)
    head = head.lstrip()
    if head.startswith(b"{"):
        return _looks_like_json_feed(content)
    prologue = _PROLOGUE.match(head)
    first = _FIRST_ELEMENT.match(head, prologue.end() if prologue else 0)
    return first is not None and first.group(1).decode("ascii", "replace").lower() in _FEED_ROOTS


def _is_feed_link(rel: str, mime: str, href: str) -> bool:
    """Tell whether a <link> names a feed (WordPress's REST API alternates are JSON but not feeds)."""
    if "alternate" not in rel.lower().split():
        return False
    mime = mime.split(";")[0].strip().lower()
    return mime in FEED_TYPES and not (mime == "application/json" and "/wp-json/" in href)


def feed_links(content: bytes, page_url: str) -> list[str]:
    """Return the absolute feed URLs a page announces with <link rel=alternate>, in order, without repeats."""
    try:
        document = lxml.html.document_fromstring(content)
    except (etree.ParserError, ValueError):  # empty or not HTML at all
        return []
    base = page_url
    for base_href in document.xpath("//base[@href]/@href")[:1]:
        base = urljoin(page_url, str(base_href).strip())
    found: dict[str, None] = {}
    for link in document.xpath("//link[@href]"):
        href = str(link.get("href", "")).strip()
        if _is_feed_link(str(link.get("rel", "")), str(link.get("type", "")), href):
            absolute = urljoin(base, href)
            if is_http_url(absolute):
                found.setdefault(absolute)
    return list(found)


async def _probe(get: Getter, url: str) -> str | None:
    """Return the final URL of url when it answers with a feed, else None (errors count as no)."""
    try:
        page = await get(url)
    except Exception:  # the fetcher's errors (HTTP, network, limits): this path simply has no feed
        return None
    return page.url or url if looks_like_feed(page.content) else None


async def _probe_paths(get: Getter, site_url: str) -> list[str]:
    """Return the feeds found at the usual paths of the site's host, in PROBE_PATHS order, without repeats."""
    results = await asyncio.gather(*(_probe(get, urljoin(site_url, path)) for path in PROBE_PATHS))
    return list(dict.fromkeys(url for url in results if url))


async def discover_feeds(get: Getter, site_url: str) -> list[str]:
    """Return the feed URLs of a site, best first, or raise DiscoveryError listing what was tried."""
    if not is_http_url(site_url):
        raise DiscoveryError(f"sources: not an http(s) URL: {one_line(site_url, 80)!r}")
    tried = ["<link rel=alternate>"]
    try:
        page = await get(site_url)
    except Exception as exc:  # the home page may refuse robots yet serve /feed: keep probing
        if getattr(exc, "kind", "") in HOST_UNREACHABLE:
            raise DiscoveryError(f"sources: site unreachable: {one_line(exc, 200)}") from None
        tried = [f"the page itself (failed: {one_line(exc, 80)})"]
    else:
        final_url = page.url or site_url
        if looks_like_feed(page.content):
            return [final_url]
        links = feed_links(page.content, final_url)
        if links:
            return links
        site_url = final_url
    found = await _probe_paths(get, site_url)
    if found:
        return found
    tried_all = ", ".join([*tried, *PROBE_PATHS])
    raise DiscoveryError(f"sources: no feed found at {one_line(site_url, 100)} (tried {tried_all})")
