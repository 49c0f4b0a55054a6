"""What the reader views share: the request's edition, keyset cursors in the query string, page responses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from akhbar.models import Article
from akhbar.store.reading import Cursor
from akhbar.web.cache import mark_cacheable
from akhbar.web.deps import get_settings
from akhbar.web.editions import Edition, parse_editions
from akhbar.web.paths import edition_code_of
from akhbar.web.rendering import Helpers, render

PAGE_SIZE = 30
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


@cache
def _editions(spec: str) -> dict[str, Edition]:
    return parse_editions(spec)


def edition_of(request: Request) -> Edition:
    """Return the edition a request is in, from its path prefix and the edition_languages setting."""
    code = edition_code_of(request.url.path)
    settings = getattr(request.app.state, "settings", None)
    spec = str(getattr(settings, "edition_languages", "") or "") if settings is not None else ""
    return _editions(spec)[code]


def base_url(request: Request) -> str:
    """Return the portal's public URL without a trailing slash."""
    return str(get_settings(request).base_url).rstrip("/")


def encode_cursor(article: Article) -> str:
    """Return the query-string form of the keyset position after an article ("<microseconds>-<id>")."""
    assert article.published_at is not None and article.id is not None
    return f"{(article.published_at - _EPOCH) // _MICRO}-{article.id}"


def decode_cursor(raw: str) -> Cursor | None:
    """Read a cursor from the query string; an empty one is the first page, a bad one is a 404."""
    if not raw:
        return None
    micros, _, ident = raw.partition("-")
    try:
        return Cursor(_EPOCH + int(micros) * _MICRO, int(ident))
    except (ValueError, OverflowError):
        raise HTTPException(status_code=404) from None


def next_cursor(items: list[Article], page_size: int = PAGE_SIZE) -> str:
    """Return the cursor of the next page, "" when this page is the last (fetched page_size + 1)."""
    return encode_cursor(items[page_size - 1]) if len(items) > page_size else ""


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    edition: Edition,
    helpers: Helpers | None = None,
    cacheable: bool = True,
) -> HTMLResponse:
    """Render a reader page; cacheable pages are the same for every reader and go through the page cache."""
    response = render(request, template, context, edition=edition, helpers=helpers)
    if cacheable:
        mark_cacheable(response)
    return response
