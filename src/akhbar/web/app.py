"""The FastAPI application factory: state, routers, middleware."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from akhbar import __version__
from akhbar.config import Settings
from akhbar.store import Store
from akhbar.web import admin, api, feeds_out, images, moderation, pages, report
from akhbar.web.assets import StaticAssets
from akhbar.web.cache import PageCache, PageCacheMiddleware

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """Add the security headers to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings, store: Store) -> FastAPI:
    """Build the web application over an open store (routers reach it through app.state)."""
    app = FastAPI(title="akhbar", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.store = store
    api.mount(app)
    app.include_router(feeds_out.router)
    app.include_router(admin.router)
    app.include_router(moderation.router)
    app.include_router(report.router)  # before images: /img/report is not a signed image path
    app.include_router(images.router)
    app.include_router(pages.router)  # last: its catch-all edition routes must not shadow the others
    pages.install_error_pages(app)
    app.state.page_cache = PageCache(
        store.latest_article_id,
        ttl=float(settings.page_cache_ttl),
        min_fresh=float(settings.page_cache_min_fresh),
    )
    app.add_middleware(PageCacheMiddleware, cache=app.state.page_cache)
    app.add_middleware(StaticAssets)  # outside the cache and the router: served straight from memory
    app.add_middleware(SecurityHeaders)
    return app
