"""GET /img/{signature}/{token}: outlet images served from our own cache, the placeholder once blocked."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from akhbar.images import ImageCache, ImageLinks, verify
from akhbar.images.public import PLACEHOLDER
from akhbar.web.assets import ASSETS
from akhbar.web.deps import get_settings, get_store
from akhbar.web.keys import secret_key

router = APIRouter()

# A cached image's bytes never change under its URL; a blocked one switches the page to the placeholder
# URL as soon as the page cache refreshes, so the image itself may stay a day in browsers.
IMAGE_CACHE_CONTROL = "public, max-age=86400"
# The placeholder stands in for an image that may be restored: readers see the change within minutes.
PLACEHOLDER_CACHE_CONTROL = "public, max-age=300"
_BLOCKED_ASSET = PLACEHOLDER.removeprefix("/static/")


def image_cache(request: Request) -> ImageCache:
    """Return the application's image cache, made on first use."""
    cache: ImageCache | None = getattr(request.app.state, "image_cache", None)
    if cache is None:
        cache = ImageCache(get_settings(request), get_store(request))
        request.app.state.image_cache = cache
    return cache


def image_links(request: Request, *, absolute: bool = False) -> ImageLinks:
    """Return the resolver of image URLs for one response (absolute URLs for feeds, the API, OpenGraph)."""
    settings = get_settings(request)
    base = str(settings.base_url).rstrip("/") if absolute else ""
    return ImageLinks(secret_key(settings), get_store(request).image_states, base_url=base)


def _placeholder(request: Request) -> Response:
    asset = ASSETS[_BLOCKED_ASSET]
    headers = {"etag": asset.etag.decode(), "cache-control": PLACEHOLDER_CACHE_CONTROL}
    if request.headers.get("if-none-match") == headers["etag"]:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type="image/svg+xml", headers=headers)


@router.get("/img/{signature}/{token}", include_in_schema=False)
async def cached_image(request: Request, signature: str, token: str) -> Response:
    """Serve an image from the cache (fetching it on first request); 404 for a URL we did not sign."""
    url = verify(secret_key(get_settings(request)), signature, token)
    if url is None:
        raise HTTPException(status_code=404)
    served = await image_cache(request).serve(url)
    if served.path is None:
        return _placeholder(request)
    etag = f'"{served.record.sha256[:32]}"'
    headers = {"etag": etag, "cache-control": IMAGE_CACHE_CONTROL}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return FileResponse(served.path, media_type=served.record.content_type, headers=headers)
