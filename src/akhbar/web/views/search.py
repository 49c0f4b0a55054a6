"""The search page: a form with filters, highlighted hits, pages; any input gives results or a message."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from akhbar.enrich.categories import SLUGS
from akhbar.models import Source
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
# Seconds the form's list of sources is kept: reading 200 sources costs ~12 ms (measured at 1,000,000
# articles on the 2-core machine, more than the search itself); a source added meanwhile shows up after this.
SOURCES_TTL = 30.0


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


@dataclass
class _SourceList:
    """The sources of the filter, sorted by name, as read at `read_at` (time.monotonic), and their <option>s.

    The options are rendered once per list: 200 of them through the template cost more than the 20 hits.
    """

    sources: list[Source]
    read_at: float
    ids: dict[str, int] = field(init=False)  # slug -> id
    options: str = field(init=False)

    def __post_init__(self) -> None:
        self.ids = {s.slug: s.id for s in self.sources}
        self.options = "".join(
            Markup('<option value="{}">{}</option>').format(s.slug, s.name) for s in self.sources
        )

    def options_html(self, selected: str) -> Markup:
        """Return the <option> of every source, the selected one marked."""
        if not selected:
            return Markup(self.options)
        value = Markup('<option value="{}"').format(selected)
        return Markup(self.options.replace(f"{value}>", f"{value} selected>", 1))


def source_list(request: Request) -> _SourceList:
    """Return every source sorted by name, read again when the copy is SOURCES_TTL seconds old."""
    state = request.app.state
    cached: _SourceList | None = getattr(state, "search_sources", None)
    now = time.monotonic()
    if cached is None or now - cached.read_at >= SOURCES_TTL:
        sources = sorted(get_store(request).all_sources(), key=lambda s: s.name.casefold())
        cached = state.search_sources = _SourceList(sources, now)
    return cached


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
    listed = source_list(request)
    results: SearchResults | None = None
    message = ""
    if form.q.strip():
        try:
            query = build_query(form, listed.ids, edition.languages, helpers.tz)
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
        "source_options": listed.options_html(form.source),
        "search_text": form.q,
        "categories": sorted(SLUGS),
        "languages": EDITION_CODES,
        "next_href": f"{base}?{form.params(page=form.page + 1)}" if results and results.has_next else "",
        "prev_href": f"{base}?{form.params(page=form.page - 1)}" if results and form.page > 1 else "",
    }
    # The same page for every reader of the same address: cached like the others, so a popular search is
    # rendered once per page-cache period, not once per reader (benchmarks/load.py).
    return page(request, "search.html", context, edition=edition, helpers=helpers)
