"""Fixtures of the fetch tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .loopback import AsyncServer


@pytest.fixture
async def server() -> AsyncIterator[AsyncServer]:
    """Start an AsyncServer for one test."""
    srv = AsyncServer()
    await srv.start()
    yield srv
    await srv.close()
