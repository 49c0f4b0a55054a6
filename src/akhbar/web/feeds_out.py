"""The portal's own feeds (RSS 2.0 and Atom), the OPML of its sources, sitemaps and robots.txt."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, HTTPException, Request, Response

from akhbar.enrich import CATEGORIES
from akhbar.models import Article, SourceSpec
from akhbar.sources import export_opml
from akhbar.store import Store
from akhbar.store.reading import ArticleQuery
from akhbar.web.cache import mark_cacheable
from akhbar.web.deps import get_settings, get_store
from akhbar.web.editions import DEFAULT_EDITION, EDITION_CODES, Edition
from akhbar.web.paths import WORDS
from akhbar.web.syndication import sitemaps
from akhbar.web.syndication.feeds import FeedMeta, atom, rss
from akhbar.web.syndication.links import Links
from akhbar.web.views.stories import note_copies, with_copies

router = APIRouter(include_in_schema=False)

Builder = Callable[[FeedMeta, list[Article], Links], bytes]
FORMATS: dict[str, tuple[Builder, str]] = {
    "feed.xml": (rss, "application/rss+xml"),
    "atom.xml": (atom, "application/atom+xml"),
}
SITE = "akhbar"
# What each feed says of itself, in the feed's interface language.
EVERYTHING = {
    "fr": "Les derniers articles de toutes les sources",
    "ar": "آخر المقالات من كل المصادر",
    "en": "The latest articles from every source",
    "es": "Los últimos artículos de todas las fuentes",
}
EDITION_NAMES = {"fr": "Français", "ar": "العربية", "en": "English", "es": "Español"}
CATEGORY_BY_SLUG = {c.slug: c for c in CATEGORIES}
# Feeds and sitemaps change when articles land; a few minutes of client caching spares the database.
CACHE_CONTROL = "public, max-age=300"
COPIES_NOTE = "et {n} autres sources"


def xml_response(request: Request, body: bytes, media_type: str) -> Response:
    """Answer an XML body with an ETag, or 304 when the client already holds this version.

    The response is also marked for the page cache, which (when installed) answers the next requests from
    memory with its own validators until new articles land.
    """
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"etag": etag, "cache-control": CACHE_CONTROL}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return mark_cacheable(Response(body, media_type=f"{media_type}; charset=utf-8", headers=headers))


def _context(request: Request) -> tuple[Store, Links, int]:
    settings = get_settings(request)
    return get_store(request), Links.of(settings), int(settings.feed_items)


def _answer(request: Request, name: str, meta: FeedMeta, query: ArticleQuery) -> Response:
    store, links, limit = _context(request)
    build, media_type = FORMATS[name]
    # One entry per copied text: the copies are counted in the original's summary, not listed.
    items = store.list_articles(replace(query, originals_only=True), limit=limit)
    items = note_copies(items, with_copies(store, items), COPIES_NOTE)
    return xml_response(request, build(meta, items, links), media_type)


def _site_feed(name: str) -> Callable[[Request], Response]:
    def site_feed(request: Request) -> Response:
        links = Links.of(get_settings(request))
        lang = DEFAULT_EDITION
        meta = FeedMeta(SITE, EVERYTHING[lang], lang, links.home(), links.absolute(f"/{name}"))
        return _answer(request, name, meta, ArticleQuery())

    return site_feed


def _edition(request: Request, code: str) -> tuple[Links, Edition]:
    links = Links.of(get_settings(request))
    return links, links.editions[code]


def _edition_feed(code: str, name: str) -> Callable[[Request], Response]:
    def edition_feed(request: Request) -> Response:
        links, edition = _edition(request, code)
        title = f"{SITE} ({EDITION_NAMES[code]})"
        meta = FeedMeta(
            title, EVERYTHING[code], code, links.home(edition), links.absolute(f"/{code}/{name}"), edition
        )
        return _answer(request, name, meta, ArticleQuery(languages=edition.languages))

    return edition_feed


def _source_feed(name: str) -> Callable[[Request, str], Response]:
    def source_feed(request: Request, slug: str) -> Response:
        store, links, _ = _context(request)
        source = store.source_by_slug(slug)
        if source is None:
            raise HTTPException(404, f"no source {slug!r}")
        lang = source.language if source.language in EDITION_NAMES else DEFAULT_EDITION
        self_url = links.absolute(f"/source/{slug}/{name}")
        meta = FeedMeta(f"{SITE}: {source.name}", source.url, lang, links.source(slug), self_url)
        return _answer(request, name, meta, ArticleQuery(source_id=source.id))

    return source_feed


def _category_feed(code: str | None, name: str) -> Callable[[Request, str], Response]:
    def category_feed(request: Request, slug: str) -> Response:
        category = CATEGORY_BY_SLUG.get(slug)
        if category is None:
            raise HTTPException(404, f"no category {slug!r}")
        links = Links.of(get_settings(request))
        edition = links.editions[code] if code else None
        lang = code or DEFAULT_EDITION
        prefix = f"/{code}{WORDS[code].category}" if code else "/categorie"
        self_url = links.absolute(f"{prefix}/{slug}/{name}")
        title = f"{SITE}: {category.label(lang)}"
        meta = FeedMeta(title, category.label(lang), lang, links.category(slug, edition), self_url, edition)
        languages = edition.languages if edition else ()
        return _answer(request, name, meta, ArticleQuery(languages=languages, category=slug))

    return category_feed


def _register_feeds() -> None:
    for name in FORMATS:
        router.add_api_route(f"/{name}", _site_feed(name), methods=["GET"])
        router.add_api_route(f"/source/{{slug}}/{name}", _source_feed(name), methods=["GET"])
        router.add_api_route(f"/categorie/{{slug}}/{name}", _category_feed(None, name), methods=["GET"])
        for code in EDITION_CODES:
            category = f"/{code}{WORDS[code].category}/{{slug}}/{name}"
            router.add_api_route(f"/{code}/{name}", _edition_feed(code, name), methods=["GET"])
            router.add_api_route(category, _category_feed(code, name), methods=["GET"])


_register_feeds()


@router.get("/sources.opml")
def sources_opml(request: Request) -> Response:
    """Return the OPML of the enabled sources (their original feeds, by category)."""
    specs = [
        SourceSpec(url=s.url, name=s.name, feed_url=s.feed_url, language=s.language, category=s.category)
        for s in get_store(request).all_sources()
        if s.enabled
    ]
    return xml_response(request, export_opml(specs, title=f"{SITE} sources").encode(), "text/x-opml")


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    """Return robots.txt."""
    body = sitemaps.robots_txt(Links.of(get_settings(request)))
    headers = {"cache-control": CACHE_CONTROL}
    return mark_cacheable(Response(body, media_type="text/plain; charset=utf-8", headers=headers))


@router.get("/sitemap.xml")
def sitemap_index(request: Request) -> Response:
    """Return the sitemap index."""
    store, links, _ = _context(request)
    pages = sitemaps.article_sitemap_count(store.max_article_id())
    return xml_response(request, sitemaps.sitemap_index(links, pages), "application/xml")


@router.get("/sitemap-pages.xml")
def sitemap_pages(request: Request) -> Response:
    """Return the sitemap of the sections: edition homes, the sources directory, sources and categories."""
    store, links, _ = _context(request)
    urls: list[str] = [links.home(e) for e in links.editions.values()]
    urls += [links.absolute(e.path("/sources")) for e in links.editions.values()]
    urls += [links.source(s.slug) for s in store.all_sources() if s.enabled]
    urls += [links.category(c.slug) for c in CATEGORIES]
    return xml_response(request, sitemaps.urlset((url, None) for url in urls), "application/xml")


@router.get("/sitemap-articles-{page:int}.xml")
def sitemap_articles(request: Request, page: int) -> Response:
    """Return one article sitemap: the articles of a fixed id range."""
    store, links, _ = _context(request)
    if not 1 <= page <= sitemaps.article_sitemap_count(store.max_article_id()):
        raise HTTPException(404, f"no article sitemap {page}")
    entries = store.sitemap_entries(*sitemaps.id_range(page))
    return xml_response(request, sitemaps.urlset(sitemaps.article_urls(links, entries)), "application/xml")


@router.get("/sitemap-news.xml")
def sitemap_news(request: Request) -> Response:
    """Return the Google News sitemap: the articles of the last 48 hours."""
    store, links, _ = _context(request)
    since = datetime.now(UTC) - timedelta(hours=sitemaps.NEWS_WINDOW_HOURS)
    entries = store.recent_sitemap_entries(since, sitemaps.NEWS_MAX_URLS)
    return xml_response(request, sitemaps.news_sitemap(links, entries), "application/xml")
