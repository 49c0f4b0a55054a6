"""The home page of an edition: the ticker, the lead stories and one block per category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import HTMLResponse

from akhbar.enrich.categories import CATEGORIES
from akhbar.models import Article
from akhbar.store.reading import ArticleQuery
from akhbar.web.deps import get_store
from akhbar.web.views.common import base_url, edition_of, page
from akhbar.web.views.stories import top_stories, with_copies

TICKER_SIZE = 50
LEAD_COUNT = 4
BLOCK_SIZE = 6


@dataclass
class Block:
    """The newest articles of one category."""

    slug: str
    articles: list[Article]


def pick_leads(latest: list[Article], count: int = LEAD_COUNT) -> list[Article]:
    """Return the lead stories: the newest articles with an image, topped up with the newest others."""
    with_image = [a for a in latest if a.image]
    others = [a for a in latest if not a.image]
    return (with_image + others)[:count]


def home(request: Request) -> HTMLResponse:
    """Show an edition's home page."""
    store = get_store(request)
    edition = edition_of(request)
    latest = store.list_articles(
        ArticleQuery(languages=edition.languages, originals_only=True), limit=TICKER_SIZE
    )
    leads = pick_leads(latest)
    blocks = []
    for category in CATEGORIES:
        query = ArticleQuery(languages=edition.languages, category=category.slug, originals_only=True)
        items = store.list_articles(query, limit=BLOCK_SIZE)
        if items:
            blocks.append(Block(category.slug, items))
    canonical = base_url(request) + edition.path("/")
    context = {"ticker": latest, "leads": leads, "blocks": blocks, "canonical": canonical}
    context["top_stories"] = top_stories(store, edition, datetime.now(UTC))
    context["copies"] = with_copies(store, latest)
    return page(request, "home.html", context, edition=edition)
