"""Paginated lists: a source's page, a category's page, a day's archive; and the sources directory."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from akhbar.enrich.categories import SLUGS
from akhbar.store.reading import ArticleQuery
from akhbar.web.deps import get_store
from akhbar.web.editions import Edition
from akhbar.web.paths import archive_path, category_path, source_path
from akhbar.web.rendering import Helpers, helpers_for
from akhbar.web.views.common import PAGE_SIZE, base_url, decode_cursor, edition_of, next_cursor, page


def _list_page(
    request: Request,
    query: ArticleQuery,
    path: str,
    cursor: str,
    edition: Edition,
    helpers: Helpers,
    **context: Any,
) -> HTMLResponse:
    """Render one page of a list, with links to the next page and back to the first."""
    items = get_store(request).list_articles(query, limit=PAGE_SIZE + 1, after=decode_cursor(cursor))
    following = next_cursor(items)
    full = {
        "articles": items[:PAGE_SIZE],
        "next_href": f"{path}?cursor={following}" if following else "",
        "first_href": path if cursor else "",
        "canonical": base_url(request) + path,
        **context,
    }
    return page(request, "list.html", full, edition=edition, helpers=helpers)


def source(request: Request, slug: str, cursor: str = "") -> HTMLResponse:
    """Show the articles of one source, in every language it writes."""
    found = get_store(request).source_by_slug(slug)
    if found is None:
        raise HTTPException(status_code=404)
    edition = edition_of(request)
    helpers = helpers_for(request, edition)
    query = ArticleQuery(source_id=found.id)
    return _list_page(
        request,
        query,
        source_path(edition, slug),
        cursor,
        edition,
        helpers,
        heading=found.name,
        source=found,
        with_source=False,
    )


def category(request: Request, slug: str, cursor: str = "") -> HTMLResponse:
    """Show the articles of one category in the edition's languages."""
    if slug not in SLUGS:
        raise HTTPException(status_code=404)
    edition = edition_of(request)
    helpers = helpers_for(request, edition, category=slug)
    query = ArticleQuery(languages=edition.languages, category=slug)
    return _list_page(
        request,
        query,
        category_path(edition, slug),
        cursor,
        edition,
        helpers,
        heading=helpers.category_label(slug),
        with_source=True,
    )


def archive(request: Request, year: int, month: int, day: int, cursor: str = "") -> HTMLResponse:
    """Show the articles published on one day (in the display time zone)."""
    try:
        when = date(year, month, day)
    except ValueError:
        raise HTTPException(status_code=404) from None
    edition = edition_of(request)
    helpers = helpers_for(request, edition)
    start = datetime(when.year, when.month, when.day, tzinfo=helpers.tz)
    query = ArticleQuery(languages=edition.languages, since=start, until=start + timedelta(days=1))
    return _list_page(
        request,
        query,
        archive_path(edition, when),
        cursor,
        edition,
        helpers,
        heading=helpers.long_day(when),
        with_source=True,
        previous_day=archive_path(edition, when - timedelta(days=1)),
        next_day=archive_path(edition, when + timedelta(days=1)) if when < date.today() else "",
    )


def directory(request: Request) -> HTMLResponse:
    """Show every source, by name."""
    edition = edition_of(request)
    sources = sorted(get_store(request).all_sources(), key=lambda s: s.name.casefold())
    context = {"sources": sources, "canonical": base_url(request) + edition.path("/sources")}
    return page(request, "sources.html", context, edition=edition)
