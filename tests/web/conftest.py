"""Web fixtures: every test that takes `settings` runs on SQLite and on PostgreSQL.

The PostgreSQL run shares one migrated database per session, emptied before each test
(tests/conftest.py postgresql_clean_url); under AKHBAR_REQUIRE_SERVICES=1 a missing server fails.
"""

from __future__ import annotations

import pytest

from akhbar.config import Settings


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """Return the test settings on the engine under test (SQLite: the data dir's file)."""
    if request.param == "sqlite":
        return settings
    return settings.replace(database_url=str(request.getfixturevalue("postgresql_clean_url")))
