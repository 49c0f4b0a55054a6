"""Friendly 404 and 500 pages in the edition's language (the JSON API keeps its own JSON errors)."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from akhbar.web.rendering import render
from akhbar.web.views.common import edition_of

log = logging.getLogger(__name__)
API_PREFIX = "/api/"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIX)


def error_page(request: Request, status: int) -> HTMLResponse:
    """Render the error page of a status in the request's edition."""
    return render(request, "error.html", {"status": status}, edition=edition_of(request), status_code=status)


async def not_found(request: Request, exc: Exception) -> Response:
    """Answer 404s of pages with the friendly page; other HTTP errors keep FastAPI's answer."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code != 404 or not _wants_html(request):
        return await http_exception_handler(request, exc)
    return error_page(request, 404)


async def server_error(request: Request, exc: Exception) -> Response:
    """Answer an unexpected error with a short page, never a traceback."""
    log.error("web: %s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
    if not _wants_html(request):
        return PlainTextResponse('{"detail": "internal error"}', 500, media_type="application/json")
    try:
        return error_page(request, 500)
    except Exception:  # noqa: BLE001 - the page itself failed: answer in plain words
        return PlainTextResponse("500: internal error", status_code=500)
