"""Response models of the JSON API (they are its OpenAPI schema) and their building from store models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from akhbar.enrich import Category
from akhbar.images import ImageLinks, rewrite_html
from akhbar.models import Article, Source
from akhbar.search import SearchHit
from akhbar.web.syndication.feeds import original_url
from akhbar.web.syndication.links import Links

# The API speaks English; the alt text of a blocked image inside an article's HTML.
BLOCKED_ALT = "Image blocked after reports"


class ErrorOut(BaseModel):
    """An error: one line saying what went wrong."""

    error: str = Field(description="What went wrong, in one line.")


class SourceRef(BaseModel):
    """The source an article comes from."""

    slug: str
    name: str


class ArticleOut(BaseModel):
    """An article in a list: where to read it here and at its source, and what it is about."""

    id: int
    title: str
    url: str = Field(description="The article's page on this portal.")
    original_url: str = Field(description="The article at its source.")
    source: SourceRef
    language: str
    category: str
    summary: str
    image: str
    author: str
    published_at: datetime | None
    updated_at: datetime | None


class ArticleDetailOut(ArticleOut):
    """One article with its text and its sanitized HTML."""

    text: str
    html: str = Field(description="The article's body, sanitized (allow-listed tags and attributes).")


class ArticlePage(BaseModel):
    """A page of articles, newest first, and the cursor of the next page (null on the last one)."""

    articles: list[ArticleOut]
    next_cursor: str | None = Field(description="Pass it as `cursor` to get the next page.")


class SourceOut(BaseModel):
    """A source and the public part of its health."""

    slug: str
    name: str
    url: str = Field(description="The source's own site.")
    feed_url: str
    page_url: str = Field(description="The source's page on this portal.")
    language: str
    category: str
    last_success_at: datetime | None = Field(description="When its feed was last read successfully.")


class SourcesOut(BaseModel):
    """Every source, by name."""

    sources: list[SourceOut]


class CategoryLabels(BaseModel):
    """A category's label in each edition's language."""

    fr: str
    ar: str
    en: str
    es: str


class CategoryOut(BaseModel):
    """A category, its labels and its number of articles."""

    slug: str
    labels: CategoryLabels
    articles: int


class CategoriesOut(BaseModel):
    """Every category."""

    categories: list[CategoryOut]


class SearchHitOut(BaseModel):
    """A found article with its highlighted title and snippet (HTML: matches in <mark>, the rest escaped)."""

    article: ArticleOut
    title_html: str
    snippet_html: str


class SearchOut(BaseModel):
    """A page of search results."""

    hits: list[SearchHitOut]
    total: int | None = Field(description="How many articles match; a lower bound when `capped` is true.")
    capped: bool
    has_next: bool
    page: int
    per_page: int
    message: str = Field(description="A note about the query (e.g. a part that was ignored), or empty.")


def article_out(article: Article, links: Links, images: ImageLinks | None = None) -> ArticleOut:
    """Return the list form of an article."""
    return ArticleOut(**_article_fields(article, links, images))


def article_detail_out(article: Article, links: Links, images: ImageLinks | None = None) -> ArticleDetailOut:
    """Return the full form of an article (its images served by the portal, never the outlet)."""
    resolve = images.src if images is not None else (lambda _url: "")
    html = str(rewrite_html(article.html, resolve, blocked_alt=BLOCKED_ALT))
    return ArticleDetailOut(**_article_fields(article, links, images), text=article.text, html=html)


def _article_fields(article: Article, links: Links, images: ImageLinks | None) -> dict[str, Any]:
    return {
        "id": article.id or 0,
        "title": article.title,
        "url": links.article(article),
        "original_url": original_url(article),
        "source": SourceRef(slug=article.source_slug, name=article.source_name),
        "language": article.language,
        "category": article.category,
        "summary": article.summary,
        # The signed /img address (or the placeholder once blocked): API clients never hit the outlet either.
        "image": images.src(article.image) if images is not None else "",
        "author": article.author,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
    }


def source_out(source: Source, links: Links) -> SourceOut:
    """Return the public form of a source."""
    return SourceOut(
        slug=source.slug,
        name=source.name,
        url=source.url,
        feed_url=source.feed_url,
        page_url=links.source(source.slug),
        language=source.language,
        category=source.category,
        last_success_at=source.last_success_at,
    )


def category_out(category: Category, count: int) -> CategoryOut:
    """Return a category with its labels and article count."""
    labels = CategoryLabels(fr=category.fr, ar=category.ar, en=category.en, es=category.es)
    return CategoryOut(slug=category.slug, labels=labels, articles=count)


def hit_out(hit: SearchHit, links: Links, images: ImageLinks | None = None) -> SearchHitOut:
    """Return a search hit."""
    return SearchHitOut(
        article=article_out(hit.article, links, images),
        title_html=hit.title_html,
        snippet_html=hit.snippet_html,
    )
