"""Generated images and synthetic outlets are deterministic and sized as promised."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from akhbar.demo import synthetic_outlets
from akhbar.demo.content import CATEGORIES, FEED_FORMATS, LANGUAGES
from akhbar.demo.images import _label, render_image


def test_image_is_deterministic_and_differs_by_seed() -> None:
    one = render_image("outlet/a", "#1d4e89", "Le quai nord", "La Voix")
    assert one == render_image("outlet/a", "#1d4e89", "Le quai nord", "La Voix")
    assert one != render_image("outlet/b", "#1d4e89", "Le quai nord", "La Voix")
    image = Image.open(io.BytesIO(one))
    assert (image.format, image.size) == ("JPEG", (800, 450))


@pytest.mark.parametrize(
    ("caption", "name", "expected"),
    [
        ("Le quai vu de la digue", "La Voix", "Le quai vu de la digue"),
        ("Été à l’Assemblée", "La Voix", "Ete a l'Assemblee"),  # accents folded: the default font is ASCII
        ("صورة الميناء", "The Herald", "The Herald"),
        ("صورة الميناء", "نافذة", "outlet/slug"),
        ("x" * 80, "n", "x" * 57 + "..."),
    ],
)
def test_image_label_falls_back_to_drawable_text(caption: str, name: str, expected: str) -> None:
    assert _label(caption, name, "outlet/slug") == expected


def test_synthetic_outlets_are_deterministic_and_varied() -> None:
    outlets = synthetic_outlets(8, 5, seed=1)
    again = synthetic_outlets(8, 5, seed=1)
    assert [a.body for o in outlets for a in o.articles] == [a.body for o in again for a in o.articles]
    assert outlets[0].articles[0].body != synthetic_outlets(8, 5, seed=2)[0].articles[0].body
    assert {o.language for o in outlets} == set(LANGUAGES)
    assert {o.feed_format for o in outlets} == set(FEED_FORMATS)
    assert len({o.slug for o in outlets}) == 8


def test_synthetic_articles_have_realistic_length() -> None:
    articles = [a for o in synthetic_outlets(4, 25, seed=5) for a in o.articles]
    assert len(articles) == 100
    for article in articles:
        assert 400 <= len(article.body.split()) <= 800
        assert len(article.paragraphs) >= 3 and article.category in CATEGORIES
        assert article.published.utcoffset() is not None and article.title
    assert len({a.slug for a in articles}) == 100
