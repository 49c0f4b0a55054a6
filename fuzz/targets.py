"""Fuzz targets: parse_feed, extract_article, the sanitizer and the search-query parser, with properties.

Each target takes one generated input and raises AssertionError when a property breaks. The inputs are
built by hypothesis from markup fragments that matter to each parser (tags, entities, DOCTYPEs, URLs with
odd schemes) mixed with arbitrary text, so that a few thousand examples reach the interesting paths.
`fuzz/run.py` runs them for minutes (`make fuzz`); tests/hardening/test_fuzz.py runs them for seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from hypothesis import strategies as st

from akhbar.extract import extract_article, sanitize_html
from akhbar.extract.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from akhbar.parse import FeedError, parse_feed
from akhbar.search.query import SearchQueryError, parse_query

BASE = "https://news.example.org/2026/article"
FEED_FRAGMENTS = (
    '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="iso-8859-1"?>',
    '<rss version="2.0">', "</rss>", "<channel>", "</channel>", "<item>", "</item>", "<title>", "</title>",
    "<link>", "</link>", "<guid>", "</guid>", "<description>", "</description>", "<pubDate>", "</pubDate>",
    '<feed xmlns="http://www.w3.org/2005/Atom">', "</feed>", "<entry>", "</entry>", '<link href="x"/>',
    '<content type="html">', "</content>", "<![CDATA[", "]]>", "&amp;", "&lt;", "&#x41;", "&#0;", "&bogus;",
    '<!DOCTYPE rss [<!ENTITY e "v">]>', '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/x.dtd">',
    '<!ENTITY x SYSTEM "file:///etc/passwd">', "&e;", "&x;", "<!-- c -->", "\ufeff", "\x00", "\xff",
    '{"version": "https://jsonfeed.org/version/1.1", "items": [', "]}", '{"id": "1", "url": "u"}',
    "Tue, 10 Jun 2003 04:00:00 GMT", "2026-13-45T99:99:99Z", "<script>alert(1)</script>", "مرحبا", "é",
)  # fmt: skip
HTML_FRAGMENTS = (
    "<p>", "</p>", "<div>", "</div>", "<a href='javascript:alert(1)'>", "<a href=\"http://x.org/a\">",
    "<a href='data:text/html,<script>alert(1)</script>'>", "</a>", "<img src='data:image/png;base64,AA'>",
    "<img src=x onerror=alert(1)>", "<img src='https://cdn.example.org/i.jpg' alt='a'>", "<script>",
    "</script>", "<style>p{}</style>", "<svg onload=alert(1)>", "<iframe src=//evil>", "<table><li>",
    "<td colspan=2>", "</table>", "<h1>", "</h1>", "<form action=x>", "<!--", "-->", "<![CDATA[x]]>",
    "<math><mi xlink:href='javascript:1'>", "&lt;script&gt;", "<a href=' jav&#x09;ascript:1'>",
    "<object data=x>", "<meta http-equiv=refresh content='0;url=javascript:1'>", "<base href=//evil/>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>", "<template><script>", "<b>", "<i>",
    '<p style="x:expression(1)">', "<a href=//evil.example/>", "<img srcset='x 1x'>", "<", ">", "'", '"',
)  # fmt: skip
QUERY_FRAGMENTS = (
    '"', "-", "*", "OR", "AND", "|", "&&", "+", "NEAR(", ")", "(", "^", ":", "title:", "\x00", "é", "ك",
    "  ", "-\"", "a*", "ab*", "--", "\"\"", "NOT", "{", "}",
)  # fmt: skip


def _mixed(fragments: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Return strings that are sequences of fragments and arbitrary text."""
    piece = st.sampled_from(fragments) | st.text(max_size=20)
    return st.lists(piece, max_size=40).map("".join)


feed_bytes = _mixed(FEED_FRAGMENTS).map(lambda s: s.encode("utf-8", "surrogatepass"))
feed_bytes |= st.binary(max_size=400)
html_text = _mixed(HTML_FRAGMENTS)
query_text = _mixed(QUERY_FRAGMENTS)


def check_parse_feed(data: bytes) -> None:
    """parse_feed returns a feed or raises FeedError with one line; nothing else escapes."""
    try:
        feed = parse_feed(data, "https://feeds.example.org/rss.xml")
    except FeedError as exc:
        assert "\n" not in str(exc)
        return
    for item in feed.items:
        assert isinstance(item.guid, str) and isinstance(item.title, str)


class _Markup(HTMLParser):
    """Collect the tags and attributes of sanitized HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _scheme(url: str) -> str:
    """Return the lower-case scheme of url as a browser reads it (control characters and spaces ignored)."""
    cleaned = "".join(ch for ch in url if ord(ch) > 32 and ch != "\x7f")
    try:
        return urlsplit(cleaned).scheme.lower()
    except ValueError:
        return "invalid"


def assert_safe_html(html: str) -> None:
    """Assert html holds only allowed tags and attributes, no handlers, no script and only safe URLs."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> outside the allow-list"
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            assert name in allowed, f"attribute {name} on <{tag}>"
            if name in ("href", "src"):
                scheme = _scheme(value or "")
                allowed_schemes = {"http", "https", "mailto"} if name == "href" else {"http", "https"}
                assert scheme in allowed_schemes, f"{scheme}: URL in {name} of <{tag}>"
    assert "<script" not in html.lower()


def check_sanitizer(html: str) -> None:
    """The sanitizer's output is safe, and sanitizing it again changes nothing."""
    once = sanitize_html(html, BASE)
    assert_safe_html(once)
    assert sanitize_html(once, BASE) == once, "sanitizing twice changed the output"


def check_extract(html: str) -> None:
    """extract_article never raises, and the HTML it keeps is safe."""
    extracted = extract_article(html.encode("utf-8", "surrogatepass"), BASE)
    assert_safe_html(extracted.html)
    for url in (extracted.image, extracted.canonical_url):
        assert not url or _scheme(url) in ("http", "https"), url


def check_query(text: str) -> None:
    """parse_query returns a query or raises SearchQueryError; its FTS string quotes every term."""
    try:
        parsed = parse_query(text)
    except SearchQueryError as exc:
        assert "\n" not in str(exc)
        return
    for term in parsed.terms():
        assert term.fts().startswith('"')
        assert term.fts().count('"') == 2, term.fts()
    parsed.match_expression()


TARGETS: dict[str, tuple[Callable[[Any], None], st.SearchStrategy[Any]]] = {
    "parse_feed": (check_parse_feed, feed_bytes),
    "extract_article": (check_extract, html_text),
    "sanitizer": (check_sanitizer, html_text),
    "search_query": (check_query, query_text),
}
