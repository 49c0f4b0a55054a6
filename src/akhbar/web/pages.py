"""Reader pages (placeholder: a plain list of the latest articles until the portal pages land)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from akhbar.web.deps import get_store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter()


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


@router.get("/", response_class=HTMLResponse)
def latest(request: Request) -> HTMLResponse:
    """Show the latest stored articles."""
    store = get_store(request)
    now = datetime.now(UTC)
    context = {
        "articles": store.latest_headlines(100),
        "age": lambda a: age_label(a.published_at, now),
        "source_count": store.count_sources(),
    }
    return TEMPLATES.TemplateResponse(request, "latest.html", context)


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """Answer a liveness probe with the article count."""
    return JSONResponse({"status": "ok", "articles": get_store(request).count_articles()})
