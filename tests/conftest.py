"""Shared fixtures: settings for tests, the ../shared folder, and service requirements."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from akhbar.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def require_services() -> bool:
    """Return True when a missing PostgreSQL/Redis must fail the run instead of skipping."""
    return os.environ.get("AKHBAR_REQUIRE_SERVICES", "") == "1"


def shared_dir() -> Path:
    """Return ../shared, skipping the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Return settings for a test: a fresh data dir, private addresses allowed, no default sources."""
    return load_settings(
        {
            "AKHBAR_DATA_DIR": str(tmp_path / "data"),
            "AKHBAR_FETCH_ALLOW_PRIVATE": "1",
            "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
            "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
            "AKHBAR_FETCH_TOTAL_TIMEOUT": "5",
            "AKHBAR_FETCH_CONNECT_TIMEOUT": "2",
            "AKHBAR_FETCH_RETRIES": "0",
        },
        env_file=None,
    )
