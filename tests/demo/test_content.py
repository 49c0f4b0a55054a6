"""Loading demo outlets: the sample files, bad files, and the real package outlets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from akhbar.demo import DemoContentError, load_outlets
from akhbar.demo.content import CATEGORIES, OUTLETS_DIR

from .conftest import DATA

GOOD = """slug = "x"
name = "X"
language = "fr"
feed_format = "rss"
color = "#112233"

[[article]]
slug = "a"
title = "T"
published = "2026-11-27T09:30:00+01:00"
category = "sport"
body = "Un. Deux."
"""


def test_sample_outlets_load() -> None:
    outlets = load_outlets(DATA)
    assert [o.slug for o in outlets] == ["la-voix-du-littoral", "the-hillside-herald"]
    first = outlets[0].articles[0]
    assert first.published.utcoffset() is not None
    assert len(first.paragraphs) == 3 and "\n" not in first.paragraphs[0]
    assert outlets[1].feed_link is False and outlets[1].full_content_in_feed is True


def test_missing_folder_gives_no_outlets(tmp_path: Path) -> None:
    assert load_outlets(tmp_path / "nothing-here") == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('category = "sport"', 'category = "gossip"', "category 'gossip' is not one of"),
        ('title = "T"', 'title = ""', "title is missing or empty"),
        ('"2026-11-27T09:30:00+01:00"', '"2026-11-27T09:30:00"', "has no UTC offset"),
        ('"2026-11-27T09:30:00+01:00"', '"yesterday"', "is not an ISO 8601 date"),
        ('feed_format = "rss"', 'feed_format = "xml"', "feed_format 'xml' is not one of"),
        ('color = "#112233"', 'color = "blue"', "color 'blue' must look like"),
        ('slug = "a"', 'slug = "Not A Slug"', "must be lowercase ascii"),
        ('name = "X"', 'name = "X', "cannot read"),
    ],
)
def test_bad_outlet_file_names_the_cause(tmp_path: Path, old: str, new: str, message: str) -> None:
    (tmp_path / "x.toml").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DemoContentError, match=re.escape(message)) as caught:
        load_outlets(tmp_path)
    assert "\n" not in str(caught.value) and "x.toml" in str(caught.value)


def test_duplicate_outlet_slug_is_refused(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(DemoContentError, match="used by two files"):
        load_outlets(tmp_path)


def test_package_outlets_are_complete() -> None:
    if not list(OUTLETS_DIR.glob("*.toml")):
        pytest.skip("no outlet file in src/akhbar/demo/outlets yet")
    outlets = load_outlets()
    languages = [o.language for o in outlets]
    assert len(outlets) >= 6
    assert languages.count("fr") >= 3 and {"ar", "en", "es"} <= set(languages)
    articles = [a for o in outlets for a in o.articles]
    assert len(articles) >= 60
    for article in articles:
        assert article.title and article.category in CATEGORIES, article.slug
        assert len(article.body.split()) >= 80, article.slug
        assert article.published.utcoffset() is not None, article.slug
    assert sum(not o.feed_link for o in outlets) == 1
    assert any(o.broken for o in outlets)
