"""Load the fictional demo outlets from TOML files into Outlet and DemoArticle objects."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

LANGUAGES = ("fr", "ar", "en", "es")
FEED_FORMATS = ("rss", "atom", "rdf", "json")
CATEGORIES = (
    "politique", "economie", "societe", "sport", "culture",
    "monde", "regions", "technologie", "sante", "meteo",
)
OUTLETS_DIR = Path(__file__).resolve().parent / "outlets"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class DemoContentError(ValueError):
    """A demo outlet file is missing a field or holds a value that cannot be used."""


@dataclass
class DemoArticle:
    """One fictional article of a demo outlet."""

    slug: str
    title: str
    author: str
    published: datetime  # timezone-aware
    category: str
    tags: list[str]
    summary: str
    image_caption: str
    story: str
    body: str  # plain text, paragraphs separated by blank lines

    @property
    def paragraphs(self) -> list[str]:
        """Return the body's paragraphs, each on one line."""
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.body) if p.strip()]


@dataclass
class Outlet:
    """One fictional news outlet and its articles."""

    slug: str
    name: str
    language: str
    tagline: str
    feed_format: str
    feed_link: bool
    broken: bool
    color: str
    full_content_in_feed: bool
    articles: list[DemoArticle] = field(default_factory=list)

    @property
    def newest(self) -> datetime | None:
        """Return the publication date of the newest article, if any."""
        return max((a.published for a in self.articles), default=None)


def load_outlets(folder: Path | None = None) -> list[Outlet]:
    """Load every <slug>.toml of a folder (default: the package's demo/outlets), sorted by slug."""
    folder = OUTLETS_DIR if folder is None else folder
    if not folder.is_dir():
        return []
    outlets = [load_outlet(path) for path in sorted(folder.glob("*.toml"))]
    seen: set[str] = set()
    for outlet in outlets:
        if outlet.slug in seen:
            raise DemoContentError(f"demo: outlet slug {outlet.slug!r} is used by two files in {folder}")
        seen.add(outlet.slug)
    return outlets


def load_outlet(path: Path) -> Outlet:
    """Load and check one outlet file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DemoContentError(f"demo: cannot read {path.name}: {exc}") from None
    where = path.name
    outlet = Outlet(
        slug=_slug(data, "slug", where),
        name=_text(data, "name", where),
        language=_choice(data, "language", LANGUAGES, where),
        tagline=_text(data, "tagline", where, required=False),
        feed_format=_choice(data, "feed_format", FEED_FORMATS, where),
        feed_link=_flag(data, "feed_link", True, where),
        broken=_flag(data, "broken", False, where),
        color=_color(data, where),
        full_content_in_feed=_flag(data, "full_content_in_feed", False, where),
    )
    raw_articles = data.get("article", [])
    if not isinstance(raw_articles, list):
        raise DemoContentError(f"demo: {where}: [[article]] must be an array of tables")
    outlet.articles = [_article(raw, f"{where} article #{i + 1}") for i, raw in enumerate(raw_articles)]
    slugs = [a.slug for a in outlet.articles]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise DemoContentError(f"demo: {where}: duplicate article slug(s): {', '.join(duplicates)}")
    return outlet


def _article(raw: Any, where: str) -> DemoArticle:
    if not isinstance(raw, dict):
        raise DemoContentError(f"demo: {where} is not a table")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise DemoContentError(f"demo: {where}: tags must be a list of strings")
    return DemoArticle(
        slug=_slug(raw, "slug", where),
        title=_text(raw, "title", where),
        author=_text(raw, "author", where, required=False),
        published=_date(raw, where),
        category=_choice(raw, "category", CATEGORIES, where),
        tags=list(tags),
        summary=_text(raw, "summary", where, required=False),
        image_caption=_text(raw, "image_caption", where, required=False),
        story=_text(raw, "story", where, required=False),
        body=_text(raw, "body", where),
    )


def _text(data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise DemoContentError(f"demo: {where}: {key} must be a string")
    if required and not value.strip():
        raise DemoContentError(f"demo: {where}: {key} is missing or empty")
    return value.strip()


def _slug(data: dict[str, Any], key: str, where: str) -> str:
    value = _text(data, key, where)
    if not _SLUG.match(value):
        raise DemoContentError(f"demo: {where}: {key} {value!r} must be lowercase ascii words joined by '-'")
    return value


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = _text(data, key, where)
    if value not in allowed:
        raise DemoContentError(f"demo: {where}: {key} {value!r} is not one of {', '.join(allowed)}")
    return value


def _flag(data: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise DemoContentError(f"demo: {where}: {key} must be true or false")
    return value


def _color(data: dict[str, Any], where: str) -> str:
    value = _text(data, "color", where, required=False) or "#30475e"
    if not _COLOR.match(value):
        raise DemoContentError(f"demo: {where}: color {value!r} must look like #1d4e89")
    return value


def _date(data: dict[str, Any], where: str) -> datetime:
    value = data.get("published")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise DemoContentError(f"demo: {where}: published {value!r} is not an ISO 8601 date") from None
    if not isinstance(value, datetime):
        raise DemoContentError(f"demo: {where}: published is missing or not a date-time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise DemoContentError(f"demo: {where}: published {value.isoformat()} has no UTC offset")
    return value
