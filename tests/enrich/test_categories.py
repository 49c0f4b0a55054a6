"""Tests for the category taxonomy and the mapping of feed categories onto it."""

from __future__ import annotations

import pytest

from akhbar.enrich import CATEGORIES, FALLBACK, SLUGS, assign_category, category_of


def test_taxonomy_has_the_agreed_slugs_and_labels() -> None:
    expected = {"politique", "economie", "societe", "sport", "culture", "monde", "regions", "technologie",
                "sante", "meteo", FALLBACK}
    assert expected == SLUGS
    assert len(CATEGORIES) == len(expected)
    french = {c.slug: c.fr for c in CATEGORIES}
    assert french["economie"] == "Économie" and french["regions"] == "Régions" and french["meteo"] == "Météo"
    for category in CATEGORIES:
        assert all([category.fr, category.ar, category.en, category.es])


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "Santé"), ("ar", "صحة"), ("en", "Health"), ("es", "Salud"), ("de", "Santé")],
)
def test_label(language: str, label: str) -> None:
    sante = next(c for c in CATEGORIES if c.slug == "sante")
    assert sante.label(language) == label


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Football", "sport"), ("Économie", "economie"), ("ECONOMIE", "economie"), ("Economy", "economie"),
        ("Economía", "economie"), ("اقتصاد", "economie"), ("الاقتصاد", "economie"), ("رياضة", "sport"),
        ("الرياضة", "sport"), ("كرة القدم", "sport"), ("Deportes", "sport"), ("World", "monde"),
        ("International", "monde"), ("Tech", "technologie"), ("High-Tech", "technologie"),
        ("Tecnología", "technologie"), ("Politique", "politique"), ("السياسة", "politique"),
        ("Politics", "politique"), ("Faits divers", "societe"), ("Société", "societe"), ("مجتمع", "societe"),
        ("Culture et médias", "culture"), ("والثقافة", "culture"), ("Cultura", "culture"),
        ("Régions", "regions"), ("أخبار الجهات", "regions"), ("Santé & bien-être", "sante"),
        ("Salud", "sante"),
        ("الصحة", "sante"), ("Météo", "meteo"), ("Weather", "meteo"), ("طقس", "meteo"),
        ("Actualités > Politique", "politique"), ("المال والأعمال", "economie"), ("Business", "economie"),
        ("meteo", "meteo"), ("sante", "sante"),
    ],
)
def test_category_of_recognises(text: str, slug: str) -> None:
    assert category_of(text) == slug


@pytest.mark.parametrize(
    "text", ["", "  ", "Mali", "مالي", "Canada", "Une", "À la une", "Actualités", "Sahara"]
)
def test_category_of_unknown(text: str) -> None:
    assert category_of(text) is None


@pytest.mark.parametrize(
    ("source_category", "feed_categories", "title", "expected"),
    [
        ("economie", ["Football", "Afrique"], "", "sport"),  # the first recognised feed category wins
        ("economie", ["À la une", "Monde"], "", "monde"),  # unrecognised ones are skipped
        ("economie", ["À la une"], "", "economie"),  # else the source's default
        ("", [], "", FALLBACK),  # else the fallback
        ("", ["Actualités"], "", FALLBACK),
        ("sport", ["General", "Tech"], "", "technologie"),  # the fallback's own name is no decision
        ("sport", ["general"], "", "sport"),
        ("Economy", [], "", "economie"),  # a free-text source category is mapped too
        ("economie", [], "Sport : le Raja s'impose à domicile", "sport"),  # a rubric in the headline
        ("economie", [], "[Culture] Ouverture du festival", "culture"),
        ("economie", [], "Le Raja s'impose à domicile", "economie"),  # no rubric: no guess from the words
        ("politique", ["Santé"], "Sport : titre", "sante"),  # feed categories come before the rubric
    ],
)
def test_assign_category(source_category: str, feed_categories: list[str], title: str, expected: str) -> None:
    assert assign_category(source_category, feed_categories, title) == expected
