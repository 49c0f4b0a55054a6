"""Store fixtures: a fresh database per test, on SQLite and (when reachable) on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from akhbar.store import Store


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite file inside a directory that does not exist yet."""
    return f"sqlite:///{tmp_path / 'data' / 'akhbar.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Return the URL of a fresh database on each engine."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """Open a fresh, migrated store; close it after the test."""
    opened = Store.open(db_url)
    yield opened
    opened.close()
