"""The operator's side behind a login (placeholder until it lands)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
