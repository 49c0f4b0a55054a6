"""Tests for URL canonicalisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.enrich import canonicalize_url

CASES = [
    # scheme, host, default ports, empty path
    ("HTTPS://WWW.Le360.MA/politique/x", "https://www.le360.ma/politique/x"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:443/a", "http://example.com:443/a"),  # not the default port of http
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com./a", "https://example.com/a"),
    # fragments
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a?b=1#x", "https://example.com/a?b=1"),
    # tracking parameters, the rest sorted with their encoding kept
    ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7", "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=XYZ", "https://example.com/a"),
    ("https://example.com/a?gclid=1&dclid=2&msclkid=3&yclid=4", "https://example.com/a"),
    ("https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&_ga=4&ref_src=twsrc", "https://example.com/a"),
    ("https://example.com/a?xtor=RSS-3&p=2", "https://example.com/a?p=2"),
    ("https://example.com/a?UTM_Campaign=x&q=1", "https://example.com/a?q=1"),
    ("https://example.com/a?z=1&a=2&m=3", "https://example.com/a?a=2&m=3&z=1"),
    ("https://example.com/s?q=caf%C3%A9+noir&page=2", "https://example.com/s?page=2&q=caf%C3%A9+noir"),
    ("https://example.com/a?flag&b=", "https://example.com/a?b=&flag"),
    ("https://example.com/a?", "https://example.com/a"),
    ("https://example.com/a?ref=home", "https://example.com/a?ref=home"),  # "ref" can name content: kept
    # AMP variants
    ("https://example.com/2024/05/slug/amp/", "https://example.com/2024/05/slug/"),
    ("https://example.com/world/slug/amp", "https://example.com/world/slug"),
    ("https://example.com/amp/world/slug", "https://example.com/world/slug"),
    ("https://example.com/news/slug.amp.html", "https://example.com/news/slug.html"),
    ("https://example.com/news/slug?amp=1", "https://example.com/news/slug"),
    ("https://example.com/news/slug?amp", "https://example.com/news/slug"),
    ("https://example.com/news/slug?outputType=amp", "https://example.com/news/slug"),
    ("https://amp.example.com/news/slug", "https://example.com/news/slug"),
    ("https://example.com/news/amplifier", "https://example.com/news/amplifier"),
    ("https://example.com/news/amp-stadium/1", "https://example.com/news/amp-stadium/1"),
    # conservative: what could name another page is kept
    ("https://example.com/news/index.html", "https://example.com/news/index.html"),
    ("https://example.com/a/", "https://example.com/a/"),
    ("https://example.com/a;jsessionid=1", "https://example.com/a;jsessionid=1"),
    ("https://example.com/%d8%a7%d9%84", "https://example.com/%D8%A7%D9%84"),
    ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
    ("  https://example.com/a  ", "https://example.com/a"),
    # not http(s): left alone
    ("mailto:desk@example.com", "mailto:desk@example.com"),
    ("/relative/path?utm_source=x", "/relative/path?utm_source=x"),
    ("", ""),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize("url", [url for url, _ in CASES] + [
    "https://amp.example.com/amp/a/amp/?amp=1&utm_x=1",
    "https://amp.amp.example.com/x/amp/amp",
    "https://example.com/amp/amp/x.amp.amp.html",
])
def test_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


def test_variants_of_one_article_meet() -> None:
    variants = [
        "https://www.example.ma/societe/slug-123.html",
        "HTTPS://WWW.EXAMPLE.MA:443/societe/slug-123.html#top",
        "https://www.example.ma/societe/slug-123.html?utm_source=facebook&fbclid=abc",
        "https://www.example.ma/amp/societe/slug-123.html",
        "https://www.example.ma/societe/slug-123.amp.html",
        "https://www.example.ma/societe/slug-123.html?amp=1",
    ]
    assert len({canonicalize_url(v) for v in variants}) == 1


_SEGMENTS = st.sampled_from(["amp", "news", "a.amp.html", "index.html", "%c3%a9", "x", ""])
_PARAMS = st.sampled_from(["amp=1", "utm_source=x", "id=3", "b", "a=", "fbclid=q", "Z=%2f", "outputType=amp"])


@given(
    host=st.sampled_from(["Example.com", "amp.example.com", "amp.amp.x.ma", "x.ma.", "[::1]"]),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    segments=st.lists(_SEGMENTS, max_size=5),
    params=st.lists(_PARAMS, max_size=4),
    scheme=st.sampled_from(["http", "HTTPS"]),
)
def test_idempotent_property(
    host: str, port: str, segments: list[str], params: list[str], scheme: str
) -> None:
    url = f"{scheme}://{host}{port}/{'/'.join(segments)}?{'&'.join(params)}#frag"
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
    assert "#" not in once and "utm_" not in once
