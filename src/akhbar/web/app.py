"""The FastAPI application factory (a plain latest-articles page until the portal issue lands)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from akhbar import __version__
from akhbar.config import Settings
from akhbar.store import Store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

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


def age_label(when: datetime | None, now: datetime) -> str:
    """Return a short French relative age ("il y a 5 min") for a publication time."""
    if when is None:
        return ""
    minutes = max(int((now - when).total_seconds() // 60), 0)
    if minutes < 60:
        return f"il y a {minutes} min"
    if minutes < 60 * 24:
        return f"il y a {minutes // 60} h"
    return f"il y a {minutes // (60 * 24)} j"


def create_app(settings: Settings, store: Store) -> FastAPI:
    """Build the web application over an open store."""
    app = FastAPI(title="akhbar", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/", response_class=HTMLResponse)
    def latest(request: Request) -> HTMLResponse:
        now = datetime.now(UTC)
        articles = store.latest_headlines(100)
        context = {
            "articles": articles,
            "age": lambda a: age_label(a.published_at, now),
            "source_count": store.count_sources(),
        }
        return TEMPLATES.TemplateResponse(request, "latest.html", context)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "articles": store.count_articles()})

    app.add_middleware(SecurityHeaders)
    return app
