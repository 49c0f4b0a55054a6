"""The portal's own feeds, OPML, sitemaps and robots.txt (placeholder until they land)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
