"""Fixtures for the demo wire: the two sample outlets, variants of them, and a running wire."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from akhbar.demo import DemoWire, Outlet, load_outlets

DATA = Path(__file__).resolve().parent / "data"


def sample_outlets() -> list[Outlet]:
    """Return the sample outlets plus variants covering every feed format, Arabic and a broken outlet."""
    french, english = load_outlets(DATA)  # sorted by slug: la-voix-du-littoral, the-hillside-herald
    return [
        french,  # rss, summary only, feed linked
        english,  # atom, full content, feed NOT linked
        replace(french, slug="linked-atom", feed_format="atom", full_content_in_feed=True),
        replace(french, slug="rdf-outlet", feed_format="rdf"),
        replace(english, slug="json-outlet", feed_format="json", feed_link=True),
        replace(french, slug="arabic-outlet", language="ar", name="نافذة تجريبية", feed_format="json"),
        replace(english, slug="broken-outlet", broken=True, feed_link=True, feed_format="rss"),
    ]


@pytest.fixture(scope="module")
def wire() -> Iterator[DemoWire]:
    """Serve the sample outlets, one port each, for the tests of a module."""
    with DemoWire(sample_outlets()) as running:
        yield running
