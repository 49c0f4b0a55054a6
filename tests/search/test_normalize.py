"""Text normalisation: accents, case and Arabic variants fold to one form."""

from __future__ import annotations

import pytest

from akhbar.search import normalize, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Économie du MAROC", "economie du maroc"),
        ("cœur Straße", "coeur strasse"),
        ("año SEQUÍA", "ano sequia"),
        ("أحمد إلى آخر ٱلكتاب", "احمد الي اخر الكتاب"),  # alef variants and alef maksura
        ("مَدْرَسَةٌ", "مدرسه"),  # harakat removed, ta marbuta folded
        ("مـــدرسة", "مدرسه"),  # tatweel removed
        ("مسؤول سائل", "مسوول سايل"),  # hamza on waw and ya
        ("٢٠٢٥", "2025"),
        ("a\x00b", "a b"),
    ],
)
def test_normalize_folds_variants(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_words_split_like_the_index_tokenizer() -> None:
    assert words(normalize("L’économie, covid-19 & l'eau_potable")) == [
        "l",
        "economie",
        "covid",
        "19",
        "l",
        "eau",
        "potable",
    ]


@pytest.mark.parametrize("text", ["Économie", "الْحُكُومَةُ", "Ünïcödé"])
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)
