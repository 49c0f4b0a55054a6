"""Request dependencies shared by the routers: the store and the settings on app.state."""

from __future__ import annotations

from fastapi import Request

from akhbar.config import Settings
from akhbar.store import Store


def get_store(request: Request) -> Store:
    """Return the application's store."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """Return the application's settings."""
    settings: Settings = request.app.state.settings
    return settings
