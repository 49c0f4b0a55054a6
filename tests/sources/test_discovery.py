"""Tests for feed discovery, with a fake `get` standing in for the fetcher."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.conftest import shared_dir

from akhbar.sources import PROBE_PATHS, DiscoveryError, discover_feeds, feed_links, looks_like_feed

RSS = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title></channel></rss>'
ATOM = b'<?xml version="1.0"?>\n<!-- generator -->\n<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'
RDF = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []}'
HTML_NO_FEED = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>News</p></body></html>"


@dataclass
class FakePage:
    url: str
    content: bytes
    content_type: str = "text/html"


class FakeSite:
    """A fake `get`: a table of URL -> (final URL, body); other URLs raise like the fetcher does."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        self.requested: list[str] = []

    async def __call__(self, url: str) -> FakePage:
        self.requested.append(url)
        if url not in self.pages:
            raise RuntimeError(f"fetch: HTTP 404 for {url}")
        final, body = self.pages[url]
        return FakePage(final, body)


def html_with_links(links: str, base: str = "") -> bytes:
    return f"<html><head>{base}{links}</head><body>Hi</body></html>".encode()


@pytest.mark.parametrize(
    "body", [RSS, ATOM, RDF, JSON_FEED, b"\xef\xbb\xbf" + RSS, RSS.decode().encode("utf-16")]
)
def test_looks_like_feed(body: bytes) -> None:
    assert looks_like_feed(body)


@pytest.mark.parametrize(
    "body",
    [
        HTML_NO_FEED,
        b"",
        b'{"version": "1.0", "items": []}',
        b"[1, 2]",
        b"{not json",
        b"<html><body><pre>&lt;rss version='2.0'&gt;</pre><rss></rss></body></html>",
        b'<?xml version="1.0"?><opml version="2.0"><body/></opml>',
        b"plain text mentioning <rss> later",
    ],
)
def test_does_not_look_like_feed(body: bytes) -> None:
    assert not looks_like_feed(body)


def test_feedparser_corpus_is_recognised() -> None:
    root = shared_dir() / "corpora" / "feedparser"
    files = [p for sub in ("wellformed/rss", "wellformed/atom10", "wellformed/rdf", "json", "encoding")
             for p in (root / sub).rglob("*") if p.is_file()]
    missed = [str(p.relative_to(root)) for p in files if not looks_like_feed(p.read_bytes())]
    print(f"looks_like_feed: {len(files) - len(missed)}/{len(files)} corpus feeds recognised")
    assert len(files) > 400 and missed == []


async def test_site_url_that_is_a_feed() -> None:
    site = FakeSite({"https://news.example/rss": ("https://news.example/rss.xml", RSS)})
    assert await discover_feeds(site, "https://news.example/rss") == ["https://news.example/rss.xml"]


async def test_alternate_links_resolved_in_order_without_repeats() -> None:
    links = (
        '<link rel="stylesheet" href="/s.css">'
        '<link rel="alternate" type="application/rss+xml" title="All" href="/feed/">'
        '<link rel="alternate" type="application/atom+xml" href="https://cdn.news.example/atom.xml">'
        '<link rel="alternate" type="application/rss+xml" href="/feed/">'
        '<link rel="Alternate" type="application/feed+json" href="feed.json">'
        '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">'
        '<link rel="alternate" type="text/html" hreflang="ar" href="/ar/">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">'
    )
    site = FakeSite({"https://news.example/": ("https://www.news.example/fr/", html_with_links(links))})
    assert await discover_feeds(site, "https://news.example/") == [
        "https://www.news.example/feed/",
        "https://cdn.news.example/atom.xml",
        "https://www.news.example/fr/feed.json",
    ]
    assert site.requested == ["https://news.example/"]  # no probing when the page names its feeds


def test_base_href_is_honoured() -> None:
    page = html_with_links('<link rel="alternate" type="application/rss+xml" href="rss">',
                           base='<base href="https://static.example/x/">')
    assert feed_links(page, "https://news.example/") == ["https://static.example/x/rss"]


@pytest.mark.parametrize("body", [b"", b"\x00\x01binary", b"<<<>>>"])
def test_feed_links_survives_junk(body: bytes) -> None:
    assert feed_links(body, "https://news.example/") == []


async def test_probing_usual_paths_keeps_those_that_are_feeds() -> None:
    site = FakeSite({
        "https://news.example/": ("https://news.example/", HTML_NO_FEED),
        "https://news.example/feed": ("https://news.example/feed/", RSS),  # redirects to /feed/
        "https://news.example/feed/": ("https://news.example/feed/", RSS),
        "https://news.example/rss": ("https://news.example/rss", HTML_NO_FEED),  # an HTML page, not a feed
        "https://news.example/atom.xml": ("https://news.example/atom.xml", ATOM),
        "https://news.example/feed.json": ("https://news.example/feed.json", JSON_FEED),
    })
    assert await discover_feeds(site, "https://news.example/") == [
        "https://news.example/feed/",
        "https://news.example/atom.xml",
        "https://news.example/feed.json",
    ]
    assert set(site.requested) == {"https://news.example/"} | {
        "https://news.example" + path for path in PROBE_PATHS
    }


async def test_probes_start_from_the_host_root() -> None:
    site = FakeSite({
        "https://news.example/fr/": ("https://news.example/fr/", HTML_NO_FEED),
        "https://news.example/index.xml": ("https://news.example/index.xml", RSS),
    })
    assert await discover_feeds(site, "https://news.example/fr/") == ["https://news.example/index.xml"]


async def test_home_page_failure_still_probes() -> None:
    site = FakeSite({"https://news.example/rss.xml": ("https://news.example/rss.xml", RSS)})
    assert await discover_feeds(site, "https://news.example/") == ["https://news.example/rss.xml"]


async def test_nothing_found_raises_one_line_listing_what_was_tried() -> None:
    site = FakeSite({"https://news.example/": ("https://news.example/", HTML_NO_FEED)})
    with pytest.raises(DiscoveryError) as info:
        await discover_feeds(site, "https://news.example/")
    message = str(info.value)
    expected = "sources: no feed found at https://news.example/ (tried <link rel=alternate>, /feed, /rss,"
    assert message.startswith(expected)
    assert all(path in message for path in PROBE_PATHS) and "\n" not in message


async def test_unreachable_site_says_why() -> None:
    with pytest.raises(DiscoveryError, match=r"tried the page itself \(failed: fetch: HTTP 404 for https://gone"):
        await discover_feeds(FakeSite({}), "https://gone.example/")


class HostError(Exception):
    """Stands for akhbar.fetch.FetchError: discovery reads only its kind (sources does not import fetch)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("dns", "fetch: cannot resolve www.gone.example (Name or service not known)"),
        ("connect", "fetch: connection refused by www.gone.example:443"),
        ("tls", "fetch: TLS failure with www.gone.example:443 (certificate verify failed)"),
        ("blocked_address", "fetch: refused to connect to 10.0.0.1, a private address"),
    ],
)
async def test_a_host_that_cannot_be_reached_is_unreachable_without_probing(kind: str, message: str) -> None:
    requested: list[str] = []

    async def unreachable(url: str) -> FakePage:
        requested.append(url)
        raise HostError(kind, message)

    with pytest.raises(DiscoveryError) as info:
        await discover_feeds(unreachable, "https://www.gone.example/")
    assert str(info.value) == f"sources: site unreachable: {message}"
    assert requested == ["https://www.gone.example/"]  # not a dozen probes that fail the same way


async def test_a_slow_home_page_still_probes() -> None:
    site = FakeSite({"https://news.example/feed": ("https://news.example/feed", RSS)})

    async def slow_home(url: str) -> FakePage:
        if url == "https://news.example/":
            raise HostError("timeout", "fetch: no complete response within 30 s from https://news.example/")
        return await site(url)

    assert await discover_feeds(slow_home, "https://news.example/") == ["https://news.example/feed"]


@pytest.mark.parametrize("url", ["news.example", "ftp://news.example/", "", "javascript:alert(1)"])
async def test_not_http_url(url: str) -> None:
    site = FakeSite({})
    with pytest.raises(DiscoveryError, match="sources: not an http"):
        await discover_feeds(site, url)
    assert site.requested == []


