"""The search page: a form with filters, highlighted hits, pages; any input gives results or a message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from akhbar.enrich.categories import SLUGS
from akhbar.search import SearchQuery, SearchQueryError, SearchResults
from akhbar.store import StoreError
from akhbar.web.deps import get_store
from akhbar.web.editions import EDITION_CODES
from akhbar.web.i18n import gettext_for
from akhbar.web.paths import search_path
from akhbar.web.rendering import helpers_for
from akhbar.web.views.common import edition_of, page

MAX_TEXT = 500  # characters of a query kept: longer ones are cut, never refused
MAX_PAGE = 50
UNAVAILABLE = "unavailable"


@dataclass
class Form:
    """What the reader asked, as typed (strings), so the form shows it back."""

    q: str = ""
    source: str = ""
    lang: str = ""
    cat: str = ""
    start: str = ""
    end: str = ""
    sort: str = "relevance"
    page: int = 1

    def params(self, **changes: Any) -> str:
        """Return the query string of this form with some fields changed."""
        values = {**self.__dict__, **changes}
        return urlencode({k: v for k, v in values.items() if v not in ("", None) and (k, v) != ("page", 1)})


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise SearchQueryError("search: a date must be written yyyy-mm-dd") from None


def _int(raw: str, default: int) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 6 else default


def build_query(form: Form, source_ids: dict[str, int], languages: tuple[str, ...], tz: Any) -> SearchQuery:
    """Turn the form into a SearchQuery (SearchQueryError with a one-line reason when it cannot)."""
    start, end = _day(form.start), _day(form.end)
    since = datetime(start.year, start.month, start.day, tzinfo=tz) if start else None
    until = datetime(end.year, end.month, end.day, tzinfo=tz) + timedelta(days=1) if end else None
    return SearchQuery(
        text=form.q[:MAX_TEXT],
        sources=(source_ids[form.source],) if form.source in source_ids else (),
        languages=(form.lang,) if form.lang in EDITION_CODES else languages,
        category=form.cat if form.cat in SLUGS else None,
        since=since,
        until=until,
        sort=form.sort if form.sort in ("relevance", "date") else "relevance",
        page=min(form.page, MAX_PAGE),
    )


def _run(request: Request, query: SearchQuery) -> SearchResults | str:
    store = get_store(request)
    search = getattr(store, "search", None)
    if search is None:
        return UNAVAILABLE
    try:
        results: SearchResults = search(query)
    except (SearchQueryError, StoreError) as error:
        return str(error)
    return results


def search(request: Request) -> HTMLResponse:
    """Show the search form and, when a query is given, its results."""
    edition = edition_of(request)
    helpers = helpers_for(request, edition)
    _ = gettext_for(edition.code)
    params = request.query_params
    form = Form(
        **{k: params.get(k, "")[:MAX_TEXT] for k in ("q", "source", "lang", "cat", "start", "end")},
        sort=params.get("sort", "relevance"),
        page=_int(params.get("page", ""), 1),
    )
    sources = sorted(get_store(request).all_sources(), key=lambda s: s.name.casefold())
    results: SearchResults | None = None
    message = ""
    if form.q.strip():
        try:
            query = build_query(form, {s.slug: s.id for s in sources}, edition.languages, helpers.tz)
            outcome = _run(request, query)
        except SearchQueryError as error:
            outcome = str(error)
        if outcome == UNAVAILABLE:
            message = _("La recherche n'est pas disponible pour l'instant.")
        elif isinstance(outcome, str):
            message = _("La recherche n'a pas pu être faite : {reason}").format(reason=outcome)
        else:
            results = outcome
    base = search_path(edition)
    context = {
        "form": form,
        "results": results,
        "message": message,
        "sources": sources,
        "search_text": form.q,
        "categories": sorted(SLUGS),
        "languages": EDITION_CODES,
        "next_href": f"{base}?{form.params(page=form.page + 1)}" if results and results.has_next else "",
        "prev_href": f"{base}?{form.params(page=form.page - 1)}" if results and form.page > 1 else "",
    }
    return page(request, "search.html", context, edition=edition, helpers=helpers, cacheable=False)
