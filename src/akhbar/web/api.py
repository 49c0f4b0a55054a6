"""The JSON API under /api/v1 (placeholder until the API lands)."""

from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Mount the API on the application (nothing yet)."""
