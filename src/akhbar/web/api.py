"""The JSON API under /api/v1: a FastAPI sub-application, so its OpenAPI document describes only the API."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount

from akhbar import __version__
from akhbar.enrich import CATEGORIES
from akhbar.search import SearchQuery, SearchQueryError
from akhbar.store import Store
from akhbar.store.reading import ArticleQuery, Cursor
from akhbar.web import api_docs, api_stories
from akhbar.web.api_models import (
    ArticleDetailOut,
    ArticlePage,
    CategoriesOut,
    ErrorOut,
    SearchOut,
    SourceOut,
    SourcesOut,
    article_detail_out,
    article_out,
    category_out,
    hit_out,
    source_out,
)
from akhbar.web.deps import get_settings, get_store
from akhbar.web.images import image_links
from akhbar.web.syndication.links import Links

PREFIX = "/api/v1"
MAX_LIMIT = 100
SLUG = r"^[a-z0-9][a-z0-9_-]{0,79}$"
LANGUAGES = r"^[a-z]{2,3}(,[a-z]{2,3})*$"
CATEGORY = "^(" + "|".join(sorted(c.slug for c in CATEGORIES)) + ")$"
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorOut,
        "description": "A parameter cannot be used (e.g. a cursor this API did not give).",
    },
    404: {"model": ErrorOut, "description": "No such article, source or category."},
    422: {"model": ErrorOut, "description": "A parameter is missing or malformed."},
}

SourceSlug = Annotated[str | None, Query(pattern=SLUG, description="Only this source (its slug).")]
Languages = Annotated[
    str | None, Query(pattern=LANGUAGES, description="Only these languages: `fr` or `ar,fr`.")
]
CategorySlug = Annotated[str | None, Query(pattern=CATEGORY, description="Only this category (its slug).")]
# Times are ISO 8601 text only (a date, or a date and time; no zone means UTC): pydantic's own datetime
# would also take bare numbers as Unix times, which the document could not say.
TIME = r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$"
Since = Annotated[str | None, Query(pattern=TIME, description="Published at or after this time (ISO 8601).")]
Until = Annotated[str | None, Query(pattern=TIME, description="Published before this time (ISO 8601).")]


class ApiError(Exception):
    """A request the API refuses, with its status and one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def encode_cursor(cursor: Cursor) -> str:
    """Return the opaque form of a keyset position."""
    raw = f"{cursor.published_at.isoformat()}|{cursor.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> Cursor:
    """Read a cursor this API gave; anything else is an ApiError (400)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        when, _, ident = raw.partition("|")
        published_at = datetime.fromisoformat(when)
        if published_at.tzinfo is None:
            raise ValueError("no time zone")
        return Cursor(published_at.astimezone(UTC), int(ident))
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise ApiError(400, "api: the cursor is not one this API gave; start again without it") from None


def parse_time(value: str | None, name: str) -> datetime | None:
    """Return an ISO 8601 parameter as a UTC time (no zone means UTC); ApiError (400) when it is no time."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ApiError(400, f"api: {name} is not a valid time: {value!r}") from None


def _source_id(store: Store, slug: str | None) -> int | None:
    if slug is None:
        return None
    source = store.source_by_slug(slug)
    if source is None:
        raise ApiError(404, f"api: no source {slug!r}")
    return source.id


def _languages(value: str | None) -> tuple[str, ...]:
    return tuple(value.split(",")) if value else ()


def _links(request: Request) -> Links:
    return Links.of(get_settings(request))


def list_articles(
    request: Request,
    source: SourceSlug = None,
    language: Languages = None,
    category: CategorySlug = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Articles per page.")] = 20,
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the previous page.")
    ] = None,
) -> ArticlePage:
    """List articles, newest first, with filters and cursor pagination."""
    store = get_store(request)
    query = ArticleQuery(
        languages=_languages(language),
        source_id=_source_id(store, source),
        category=category,
        since=parse_time(since, "since"),
        until=parse_time(until, "until"),
    )
    after = decode_cursor(cursor) if cursor else None
    found = store.list_articles(query, limit=limit + 1, after=after)  # one more tells if a next page exists
    page, more = found[:limit], len(found) > limit
    last = page[-1] if page else None
    next_cursor = None
    if more and last is not None and last.published_at is not None and last.id is not None:
        next_cursor = encode_cursor(Cursor(last.published_at, last.id))
    links, images = _links(request), image_links(request, absolute=True)
    images.prefetch(a.image for a in page)
    return ArticlePage(articles=[article_out(a, links, images) for a in page], next_cursor=next_cursor)


def get_article(request: Request, article_id: int) -> ArticleDetailOut:
    """Return one article with its text."""
    if not 0 < article_id < 2**63:
        raise ApiError(404, f"api: no article {article_id}")
    article = get_store(request).article_by_id(article_id)
    if article is None:
        raise ApiError(404, f"api: no article {article_id}")
    return article_detail_out(article, _links(request), image_links(request, absolute=True))


def list_sources(request: Request) -> SourcesOut:
    """List every enabled source with the public part of its health."""
    links = _links(request)
    return SourcesOut(sources=[source_out(s, links) for s in get_store(request).all_sources() if s.enabled])


def get_source(request: Request, slug: Annotated[str, Path(pattern=SLUG)]) -> SourceOut:
    """Return one source."""
    source = get_store(request).source_by_slug(slug)
    if source is None or not source.enabled:
        raise ApiError(404, f"api: no source {slug!r}")
    return source_out(source, _links(request))


def list_categories(request: Request, language: Languages = None) -> CategoriesOut:
    """List the categories with their labels and how many articles each holds (of these languages)."""
    counts = get_store(request).category_counts(_languages(language))
    return CategoriesOut(categories=[category_out(c, counts.get(c.slug, 0)) for c in CATEGORIES])


def search(
    request: Request,
    q: Annotated[
        str, Query(min_length=1, max_length=500, description='Words to find; "a phrase", prefix*, -not.')
    ],
    source: SourceSlug = None,
    language: Languages = None,
    category: CategorySlug = None,
    since: Since = None,
    until: Until = None,
    sort: Annotated[str, Query(pattern="^(relevance|date)$")] = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> SearchOut:
    """Search titles and texts (accents, case and Arabic letter variants ignored)."""
    store = get_store(request)
    try:
        query = SearchQuery(
            text=q,
            sources=tuple(filter(None, [_source_id(store, source)])),
            languages=_languages(language),
            category=category,
            since=parse_time(since, "since"),
            until=parse_time(until, "until"),
            sort=sort,
            page=page,
            per_page=per_page,
        )
        results = store.search(query)
    except SearchQueryError as exc:
        raise ApiError(400, str(exc)) from None
    links, images = _links(request), image_links(request, absolute=True)
    images.prefetch(h.article.image for h in results.hits)
    return SearchOut(
        hits=[hit_out(h, links, images) for h in results.hits],
        total=results.total,
        capped=results.capped,
        has_next=results.has_next,
        page=page,
        per_page=per_page,
        message=results.message,
    )


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "api: invalid request"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("query", "path"))
    return f"api: {where or 'request'}: {first.get('msg', 'invalid')}".replace("\n", " ")


def _add_error_handlers(api: FastAPI) -> None:
    async def on_api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return _error(exc.status, exc.message)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return _error(exc.status_code, f"api: {exc.detail}", exc.headers)

    async def on_invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _error(422, _validation_message(exc))

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(StarletteHTTPException, on_http_error)
    api.add_exception_handler(RequestValidationError, on_invalid)


def get_story(request: Request, story_id: int) -> api_stories.StoryOut:
    """Return one story: every article of every outlet and language telling it, oldest first."""
    try:
        return api_stories.get_story(request, story_id)
    except api_stories.StoryNotFound as exc:
        raise ApiError(404, str(exc)) from exc


def _add_routes(api: FastAPI) -> None:
    routes: list[tuple[str, Any, Any, str]] = [
        ("/articles", list_articles, ArticlePage, "articles"),
        ("/articles/{article_id}", get_article, ArticleDetailOut, "articles"),
        ("/sources", list_sources, SourcesOut, "sources"),
        ("/sources/{slug}", get_source, SourceOut, "sources"),
        ("/categories", list_categories, CategoriesOut, "categories"),
        ("/search", search, SearchOut, "search"),
        ("/stories", api_stories.list_stories, api_stories.StoriesOut, "stories"),
        ("/stories/{story_id}", get_story, api_stories.StoryOut, "stories"),
    ]
    for path, endpoint, model, tag in routes:
        api.add_api_route(path, endpoint, methods=["GET"], response_model=model, responses=ERRORS, tags=[tag])


def build_api() -> FastAPI:
    """Return the API application (its state is set by mount)."""
    api = FastAPI(
        title="akhbar API",
        version=__version__,
        description="Read-only access to the articles, sources and categories of this portal.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        servers=[{"url": PREFIX}],
    )
    _add_error_handlers(api)
    _add_routes(api)
    # Open to every origin, for reading only: the API holds nothing private and takes no cookies.
    api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"], allow_headers=["*"])
    return api


def mount(app: FastAPI) -> None:
    """Mount the API at /api/v1 (sharing the application's state) and its documentation at /api/docs."""
    api = build_api()
    api.state = app.state  # the same store and settings, even when a test swaps them after mounting
    mount = Mount(PREFIX, app=api)
    # Starlette's pattern stops at a newline ("." without DOTALL): such a path would miss the API and get the
    # site's 404 page instead of the API's JSON error.
    mount.path_regex = re.compile(mount.path_regex.pattern, re.DOTALL)
    app.router.routes.append(mount)
    api_docs.add_docs_route(app, api, PREFIX)
