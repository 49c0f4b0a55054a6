"""Absolute links into the portal for feeds and sitemaps (they leave the site, so never relative)."""

from __future__ import annotations

from dataclasses import dataclass

from akhbar.config import Settings
from akhbar.models import Article
from akhbar.web import paths
from akhbar.web.editions import DEFAULT_EDITION, Edition, editions_of


@dataclass(frozen=True)
class Links:
    """Build absolute URLs of the portal's pages from its public base URL and its editions."""

    base_url: str
    editions: dict[str, Edition]

    @classmethod
    def of(cls, settings: Settings) -> Links:
        """Return the links of a portal configured by settings."""
        return cls(str(settings.base_url).rstrip("/"), editions_of(settings))

    def absolute(self, path: str) -> str:
        """Return the absolute URL of a path on this portal."""
        return f"{self.base_url}{path}"

    def edition_for(self, language: str) -> Edition:
        """Return the edition a reader of this language lands in (the default edition for other languages)."""
        return self.editions.get(language) or self.editions[DEFAULT_EDITION]

    def article(self, article: Article, edition: Edition | None = None) -> str:
        """Return the URL of our page of an article, in the given edition or the one of its language."""
        return self.absolute(paths.article_path(edition or self.edition_for(article.language), article))

    def article_by_id(self, article_id: int, title: str, language: str) -> str:
        """Return the URL of our page of an article known by id, title and language (sitemaps)."""
        stub = Article(source_id=0, guid="", url="", canonical_url="", title=title, id=article_id)
        return self.absolute(paths.article_path(self.edition_for(language), stub))

    def source(self, slug: str, edition: Edition | None = None) -> str:
        """Return the URL of a source's page."""
        return self.absolute(paths.source_path(edition or self.editions[DEFAULT_EDITION], slug))

    def category(self, slug: str, edition: Edition | None = None) -> str:
        """Return the URL of a category's page."""
        return self.absolute(paths.category_path(edition or self.editions[DEFAULT_EDITION], slug))

    def home(self, edition: Edition | None = None) -> str:
        """Return the URL of an edition's home page."""
        return self.absolute((edition or self.editions[DEFAULT_EDITION]).path("/"))
