"""The category taxonomy (slugs, fr/ar/en/es labels) and the mapping of free-text feed categories onto it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One category of the portal: a stable slug and its label in each interface language."""

    slug: str
    fr: str
    ar: str
    en: str
    es: str

    def label(self, language: str) -> str:
        """Return the label in language (fr, ar, en, es), French when the language is not one of them."""
        return str(getattr(self, language, self.fr)) if language in {"fr", "ar", "en", "es"} else self.fr


FALLBACK = "general"

CATEGORIES: tuple[Category, ...] = (
    Category("politique", "Politique", "سياسة", "Politics", "Política"),
    Category("economie", "Économie", "اقتصاد", "Economy", "Economía"),
    Category("societe", "Société", "مجتمع", "Society", "Sociedad"),
    Category("sport", "Sport", "رياضة", "Sport", "Deportes"),
    Category("culture", "Culture", "ثقافة", "Culture", "Cultura"),
    Category("monde", "Monde", "العالم", "World", "Mundo"),
    Category("regions", "Régions", "جهات", "Regions", "Regiones"),
    Category("technologie", "Technologie", "تكنولوجيا", "Technology", "Tecnología"),
    Category("sante", "Santé", "صحة", "Health", "Salud"),
    Category("meteo", "Météo", "طقس", "Weather", "El tiempo"),
    Category(FALLBACK, "Actualité", "أخبار عامة", "General news", "Actualidad"),
)
SLUGS = frozenset(c.slug for c in CATEGORIES)

# Keywords are written already normalised (see _normalize): lower case, no accents, Arabic letters unified.
# Phrases are tried first so that "faits divers" is not read as its last word.
_PHRASES: dict[str, str] = {
    "faits divers": "societe", "real estate": "economie", "middle east": "monde", "moyen orient": "monde",
    "high tech": "technologie", "previsions meteo": "meteo", "كره القدم": "sport", "احوال الجو": "meteo",
    "اخبار الجهات": "regions", "المال والاعمال": "economie", "el tiempo": "meteo",
}
# Whole words (short or ambiguous ones that must not match as a prefix), by slug.
_WORDS_BY_SLUG: dict[str, str] = {
    "politique": "gouvernement government gobierno parlement parliament parlamento elections elecciones "
    "diplomatie diplomacy diplomacia nation حكومه برلمان انتخابات",
    "economie": "business bourse marches markets mercados entreprises empresas companies argent money "
    "immobilier banque energie energy emploi eco negocios مال",
    "societe": "education educacion enseignement justice justicia police crime social sociale environnement "
    "environment sucesos حوادث قضاء",
    "sport": "foot football futbol soccer basket tennis botola can",
    "culture": "art arts cinema cine livres books libros medias media people spectacles loisirs "
    "entertainment lifestyle فن فنون",
    "monde": "monde world mundo afrique africa europe europa maghreb etranger foreign عالم",
    "regions": "local villes cities ciudades مدن",
    "technologie": "tech hightech numerique digital internet web informatique sciences science ciencia "
    "innovation علوم",
    "sante": "medecine medicine medicina covid coronavirus طب صحه",
    "meteo": "weather meteo clima طقس",
}
# Stems that match the start of a word (economie/economy/economia/economique, رياضة/رياضي ...), by slug.
_STEMS_BY_SLUG: dict[str, str] = {
    "politique": "politi سياس حكوم برلمان انتخاب دبلوماس",
    "economie": "econom financ اقتصاد اعمال بورص",
    "societe": "societ socied مجتمع تعليم",
    "sport": "sport deport athleti رياض",
    "culture": "cultur musi ثقاف سينما موسيق",
    "monde": "internation internacion دولي",
    "regions": "region جهات جهوي",
    "technologie": "technolog tecnolog تكنولوج تقني رقمي",
    "sante": "sante health salud",
    "meteo": "meteo ارصاد",
}
_WORDS = {word: slug for slug, words in _WORDS_BY_SLUG.items() for word in words.split()}
_STEMS = tuple((stem, slug) for slug, stems in _STEMS_BY_SLUG.items() for stem in stems.split())
_ARABIC_UNIFY = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
_NON_WORD = re.compile(r"[\W_]+")
# A rubric at the start of a headline: "Sport : ...", "Météo | ...", "[Culture] ...".
_RUBRIC = re.compile(r"^\s*\[?([^\]:|]{2,30}?)\]?\s*[:|]\s+\S|^\s*\[([^\]]{2,30})\]")


def _normalize(text: str) -> str:
    """Return text lower-cased, without accents or Arabic diacritics, Arabic letters unified, words spaced."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.translate(_ARABIC_UNIFY)).split())


def _word_forms(word: str) -> list[str]:
    """Return a word and its forms without the Arabic article or conjunction (ال, وال, و)."""
    forms = [word]
    for prefix in ("وال", "ال", "و", "بال", "لل"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            forms.append(word[len(prefix):])
    return forms


def _match_word(word: str) -> str | None:
    """Return the slug one normalised word names, or None."""
    for form in _word_forms(word):
        if form in _WORDS:
            return _WORDS[form]
        for stem, slug in _STEMS:
            if form.startswith(stem):
                return slug
    return None


def category_of(text: str) -> str | None:
    """Return the slug a free-text category (any of fr/ar/en/es) names, or None when none is recognised."""
    norm = _normalize(text)
    if not norm:
        return None
    if norm in SLUGS:
        return norm
    padded = f" {norm} "
    for phrase, slug in _PHRASES.items():
        if f" {phrase} " in padded:
            return slug
    for word in norm.split():
        found = _match_word(word)
        if found is not None:
            return found
    return None


def _title_rubric(title: str) -> str | None:
    """Return the slug of a rubric written at the start of a headline ("Sport : ..."), or None."""
    found = _RUBRIC.match(title)
    if found is None:
        return None
    return category_of(found.group(1) or found.group(2))


def assign_category(source_category: str, feed_categories: list[str], title: str = "") -> str:
    """Return a slug: the first feed category recognised, a headline rubric, the source's, or the fallback."""
    for candidate in feed_categories:
        slug = category_of(candidate)
        if slug is not None and slug != FALLBACK:  # "General" says nothing: look further
            return slug
    return _title_rubric(title) or category_of(source_category) or FALLBACK
