"""The feeds the wire serves parse in every format, with titles, links, dates, authors and images."""

from __future__ import annotations

import json
from calendar import timegm
from typing import Any

import feedparser
import httpx
import pytest
from lxml import etree

from akhbar.demo import DemoWire, Outlet

from .conftest import sample_outlets

OUTLETS = {o.slug: o for o in sample_outlets()}
XML_FORMATS = [("la-voix-du-littoral", "rss"), ("linked-atom", "atom"), ("rdf-outlet", "rdf"),
               ("the-hillside-herald", "atom")]


def _article_urls(wire: DemoWire, outlet: Outlet) -> dict[str, str]:
    return {a.title: f"{wire.site_url(outlet.slug)}articles/{a.slug}.html" for a in outlet.articles}


def _image(entry: Any) -> str:
    for media in entry.get("media_content", []):
        return str(media["url"])
    for enclosure in entry.get("enclosures", []):
        return str(enclosure["href"])
    return ""


@pytest.mark.parametrize(("slug", "fmt"), XML_FORMATS)
def test_xml_feed_parses_with_items(wire: DemoWire, slug: str, fmt: str) -> None:
    outlet = OUTLETS[slug]
    response = httpx.get(wire.feed_url(slug))
    assert response.status_code == 200
    etree.fromstring(response.content)  # well formed
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.version.startswith({"rss": "rss2", "atom": "atom", "rdf": "rss1"}[fmt])
    assert parsed.feed.title == outlet.name
    expected = _article_urls(wire, outlet)
    assert {e.title: e.link for e in parsed.entries} == expected
    by_title = {a.title: a for a in outlet.articles}
    for entry in parsed.entries:
        article = by_title[entry.title]
        date = entry.get("published_parsed") or entry.get("updated_parsed")  # RSS 1.0 dc:date is "updated"
        assert timegm(date) == int(article.published.timestamp())
        assert entry.author == article.author
        assert _image(entry) == f"{wire.site_url(slug)}images/{article.slug}.jpg"


@pytest.mark.parametrize(("slug", "full"), [("la-voix-du-littoral", False), ("linked-atom", True),
                                            ("the-hillside-herald", True), ("rdf-outlet", False)])
def test_feed_carries_full_text_only_when_told(wire: DemoWire, slug: str, full: bool) -> None:
    outlet = OUTLETS[slug]
    parsed = feedparser.parse(httpx.get(wire.feed_url(slug)).content)
    entry = next(e for e in parsed.entries if e.title == outlet.articles[0].title)
    assert bool(entry.get("content")) is full  # the image's caption must not pass for content either
    if full:
        assert outlet.articles[0].paragraphs[0] in entry.content[0].value
    assert entry.summary == outlet.articles[0].summary


def test_rss_feed_has_categories_and_guid(wire: DemoWire) -> None:
    outlet = OUTLETS["la-voix-du-littoral"]
    parsed = feedparser.parse(httpx.get(wire.feed_url(outlet.slug)).content)
    entry = parsed.entries[0]
    article = next(a for a in outlet.articles if a.title == entry.title)
    assert {t.term for t in entry.tags} == {article.category, *article.tags}
    assert entry.id == entry.link


@pytest.mark.parametrize("slug", ["json-outlet", "arabic-outlet"])
def test_json_feed_is_json_feed_1_1(wire: DemoWire, slug: str) -> None:
    outlet = OUTLETS[slug]
    response = httpx.get(wire.feed_url(slug))
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == wire.feed_url(slug) and feed["language"] == outlet.language
    assert {i["title"]: i["url"] for i in feed["items"]} == _article_urls(wire, outlet)
    for item in feed["items"]:
        assert item["date_published"] and item["image"].endswith(".jpg") and item["authors"][0]["name"]
        assert ("content_html" in item) is outlet.full_content_in_feed


def test_broken_outlet_serves_invalid_xml(wire: DemoWire) -> None:
    response = httpx.get(wire.feed_url("broken-outlet"))
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)
    assert feedparser.parse(response.content).bozo


def test_broken_json_outlet_serves_invalid_json() -> None:
    from dataclasses import replace

    from akhbar.demo.feeds import render_feed

    outlet = replace(OUTLETS["json-outlet"], broken=True)
    with pytest.raises(json.JSONDecodeError):
        json.loads(render_feed(outlet, "http://127.0.0.1:1/", "http://127.0.0.1:1/feed.json"))


def test_package_outlets_serve_complete_feeds() -> None:
    from akhbar.demo import load_outlets

    outlets = [o for o in load_outlets() if not o.broken]
    if not outlets:
        pytest.skip("no outlet file in src/akhbar/demo/outlets yet")
    with DemoWire(outlets) as wire:
        for outlet in outlets:
            body = httpx.get(wire.feed_url(outlet.slug)).content
            if outlet.feed_format == "json":
                titles = [i["title"] for i in json.loads(body)["items"]]
            else:
                parsed = feedparser.parse(body)
                assert not parsed.bozo, outlet.slug
                titles = [e.title for e in parsed.entries]
            assert sorted(titles) == sorted(a.title for a in outlet.articles), outlet.slug
