"""Quality gate on the fixture pages: pinned metadata, key sentences, no boilerplate, word scores."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from akhbar.extract import extract_article
from akhbar.extract.article import extract_at
from akhbar.models import ExtractedArticle

DATA = Path(__file__).parent / "data"
PAGES = sorted(p.name.removesuffix(".expected.json") for p in DATA.glob("*.expected.json"))
NOW = datetime(2026, 11, 28, tzinfo=UTC)
# Pinned from the scores measured when the gate was written (all 1.0 but the English dateline page at
# 0.98 precision); a drop below these is a regression in extraction, not noise.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95
MIN_MEAN_F1 = 0.98
FIELDS = ("title", "author", "image", "canonical_url", "language")


def expected(name: str) -> dict[str, Any]:
    """Return the pinned expectation of a fixture page."""
    return json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))


@cache
def extracted(name: str) -> ExtractedArticle:
    """Return the extraction of a fixture page (cached: several tests look at it)."""
    return extract_at((DATA / f"{name}.html").read_bytes(), expected(name)["url"], NOW)


def words(text: str) -> Counter[str]:
    """Return the bag of lower-cased words of text."""
    return Counter(re.findall(r"\w+", text.casefold()))


def precision_recall(got: str, want: str) -> tuple[float, float]:
    """Return word-level precision and recall of got against want."""
    got_words, want_words = words(got), words(want)
    overlap = sum((got_words & want_words).values())
    return overlap / max(1, sum(got_words.values())), overlap / max(1, sum(want_words.values()))


def test_fixture_set_covers_four_languages():
    languages = {name.split("_")[0] for name in PAGES}
    assert len(PAGES) >= 8
    assert languages == {"fr", "ar", "en", "es"}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("field", FIELDS)
def test_metadata_field(name, field):
    assert getattr(extracted(name), field) == expected(name)[field]


@pytest.mark.parametrize("name", PAGES)
def test_published_date(name):
    published = extracted(name).published
    want = expected(name)["published"]
    assert (published.isoformat() if published else None) == want
    assert published is None or published.tzinfo is not None


@pytest.mark.parametrize("name", PAGES)
def test_key_sentences_present(name):
    article = extracted(name)
    for sentence in expected(name)["must_contain"]:
        assert sentence in article.text, f"{name}: missing {sentence!r}"


@pytest.mark.parametrize("name", PAGES)
def test_boilerplate_absent(name):
    article = extracted(name)
    for junk in expected(name)["must_not_contain"]:
        assert junk not in article.text, f"{name}: boilerplate {junk!r} in text"
        assert junk not in article.html, f"{name}: boilerplate {junk!r} in html"


@pytest.mark.parametrize("name", PAGES)
def test_word_precision_and_recall(name):
    precision, recall = precision_recall(extracted(name).text, expected(name)["body"])
    assert precision >= MIN_PRECISION, f"{name}: precision {precision:.3f}"
    assert recall >= MIN_RECALL, f"{name}: recall {recall:.3f}"


def test_mean_f1_over_all_pages():
    scores = [precision_recall(extracted(n).text, expected(n)["body"]) for n in PAGES]
    f1 = [2 * p * r / (p + r) if p + r else 0.0 for p, r in scores]
    assert sum(f1) / len(f1) >= MIN_MEAN_F1


@pytest.mark.parametrize("name", PAGES)
def test_title_is_not_repeated_at_the_top_of_the_body(name):
    article = extracted(name)
    assert not article.text.startswith(article.title)


def test_public_function_matches_the_dated_one():
    name = "fr_tramway_rabat"
    raw = (DATA / f"{name}.html").read_bytes()
    assert extract_article(raw, expected(name)["url"]) == extracted(name)


def test_windows_1256_page_is_really_stored_in_that_encoding():
    raw = (DATA / "ar_dates_tafilalet.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"windows-1256" in raw


def test_jsonld_body_wins_over_a_paywalled_teaser():
    article = extracted("fr_dessalement_paywall")
    assert "Reste la question du coût." in article.text
    assert article.html.count("<p>") >= 7


def test_future_jsonld_date_falls_back_to_meta_tag():
    # The page's JSON-LD says 2099; the article:published_time meta tag holds the real date.
    assert extracted("es_campus_tetuan").published == datetime(2025, 9, 15, 10, 30, tzinfo=UTC)


def test_html_is_sanitized_and_images_absolute():
    for name in PAGES:
        html = extracted(name).html
        assert "<script" not in html and "<div" not in html and "class=" not in html
        for src in re.findall(r'src="([^"]+)"', html):
            assert src.startswith(("http://", "https://")), f"{name}: {src}"
