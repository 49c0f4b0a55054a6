"""Reader pages: every page family (views/) registered under each edition's prefix (/, /ar, /en, /es)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from akhbar.web.deps import get_store
from akhbar.web.editions import DEFAULT_EDITION, EDITION_CODES
from akhbar.web.paths import WORDS, archive_path, article_path, category_path, search_path, source_path
from akhbar.web.views import article, errors, home, lists, search, stories

__all__ = [
    "archive_path",
    "article_path",
    "category_path",
    "install_error_pages",
    "router",
    "search_path",
    "source_path",
]

router = APIRouter(include_in_schema=False)


def _routes(code: str) -> list[tuple[str, Callable[..., Any]]]:
    words = WORDS[code]
    return [
        ("/", home.home),
        (f"{words.article}/{{ref}}", article.article),
        (f"{words.source}/{{slug}}", lists.source),
        (f"{words.category}/{{slug}}", lists.category),
        (f"{words.archives}/{{year:int}}/{{month:int}}/{{day:int}}", lists.archive),
        (words.sources, lists.directory),
        (words.search, search.search),
        ("/story/{story_id:int}", stories.story),
    ]


for _code in EDITION_CODES:
    _prefix = "" if _code == DEFAULT_EDITION else f"/{_code}"
    for _path, _endpoint in _routes(_code):
        router.add_api_route(_prefix + _path, _endpoint, methods=["GET"], response_class=HTMLResponse)


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """Answer a liveness probe with the article count."""
    return JSONResponse({"status": "ok", "articles": get_store(request).count_articles()})


def install_error_pages(app: FastAPI) -> None:
    """Register the friendly 404 and 500 pages."""
    app.add_exception_handler(StarletteHTTPException, errors.not_found)
    app.add_exception_handler(Exception, errors.server_error)
