"""URL paths of the reader pages in each edition (also used by the feeds out and the API)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from akhbar.models import Article
from akhbar.web.editions import DEFAULT_EDITION, EDITION_CODES, Edition


@dataclass(frozen=True)
class PathWords:
    """The path words of one edition (French words in the French edition, English ones elsewhere)."""

    category: str
    search: str
    sources: str = "/sources"
    source: str = "/source"
    article: str = "/article"
    archives: str = "/archives"


WORDS: dict[str, PathWords] = {
    "fr": PathWords(category="/categorie", search="/recherche"),
    "ar": PathWords(category="/category", search="/search"),
    "en": PathWords(category="/category", search="/search"),
    "es": PathWords(category="/category", search="/search"),
}

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def slugify(title: str, limit: int = 80) -> str:
    """Return a short ASCII-or-letters slug of a title (Arabic letters are kept: browsers show them)."""
    folded = unicodedata.normalize("NFKD", title)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    slug = _NON_WORD.sub("-", folded).strip("-_")
    return slug[:limit].rstrip("-_") or "article"


def edition_code_of(path: str) -> str:
    """Return the edition a request path belongs to ("/ar/..." -> "ar", anything else -> "fr")."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in EDITION_CODES and first != DEFAULT_EDITION else DEFAULT_EDITION


def article_path(edition: Edition, article: Article) -> str:
    """Return the page of an article in an edition: /article/{id}-{slug}."""
    return edition.path(f"{WORDS[edition.code].article}/{article.id}-{slugify(article.title)}")


def source_path(edition: Edition, slug: str) -> str:
    """Return the page of a source."""
    return edition.path(f"{WORDS[edition.code].source}/{slug}")


def category_path(edition: Edition, slug: str) -> str:
    """Return the page of a category."""
    return edition.path(f"{WORDS[edition.code].category}/{slug}")


def archive_path(edition: Edition, day: date) -> str:
    """Return the archive page of a day: /archives/2025/01/30."""
    return edition.path(f"{WORDS[edition.code].archives}/{day:%Y/%m/%d}")


def search_path(edition: Edition) -> str:
    """Return the search page of an edition."""
    return edition.path(WORDS[edition.code].search)
