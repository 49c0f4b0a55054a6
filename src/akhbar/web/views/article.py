"""The article page: title, attribution, lead image, sanitized text, the link to the original, meta tags."""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from akhbar.models import Article
from akhbar.store.reading import ArticleQuery
from akhbar.web.deps import get_store
from akhbar.web.paths import article_path
from akhbar.web.rendering import helpers_for
from akhbar.web.views.common import base_url, edition_of, page
from akhbar.web.views.stories import same_story

MORE_COUNT = 6
DESCRIPTION_CHARS = 200
# Characters that could end the <script> element or open a comment inside it, as JSON escapes.
_SCRIPT_SAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def article_id(ref: str) -> int:
    """Read the id from "/article/{id}-{slug}" (the slug is decoration); anything else is a 404."""
    head = ref.split("-", 1)[0]
    if not head.isdigit() or len(head) > 18:
        raise HTTPException(status_code=404)
    return int(head)


def json_ld(data: dict[str, Any]) -> Markup:
    """Return JSON for a <script type="application/ld+json"> that no title can break out of."""
    return Markup(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))


def description(article: Article) -> str:
    """Return a short plain description for meta tags."""
    text = " ".join((article.summary or article.text).split())
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1].rstrip() + "…"


def news_article(article: Article, url: str, image: str) -> dict[str, Any]:
    """Return the schema.org NewsArticle of our page, naming the original publisher and article."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": article.language or None,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
        "isBasedOn": article.url,
        "publisher": {"@type": "Organization", "name": article.source_name},
        "author": {"@type": "Person", "name": article.author} if article.author else None,
        "image": image or None,
        "description": description(article) or None,
    }
    return {key: value for key, value in data.items() if value is not None}


def article(request: Request, ref: str) -> HTMLResponse:
    """Show one article."""
    store = get_store(request)
    found = store.article_by_id(article_id(ref))
    if found is None:
        raise HTTPException(status_code=404)
    edition = edition_of(request)
    helpers = helpers_for(request, edition)
    more = store.list_articles(ArticleQuery(source_id=found.source_id), limit=MORE_COUNT + 1)
    root = base_url(request)
    url = root + article_path(edition, found)
    image = helpers.image_src(found.image)
    # A blocked image is not offered to link previews at all (the page itself shows the placeholder).
    image_url = root + image if image and not helpers.image_hidden(found.image) else ""
    context = {
        "article": found,
        "more": [a for a in more if a.id != found.id][:MORE_COUNT],
        "same_story": same_story(store, found),
        "canonical": url,
        "description": description(found),
        "image_url": image_url,
        "json_ld": json_ld(news_article(found, url, image_url)),
    }
    return page(request, "article.html", context, edition=edition, helpers=helpers)
