"""Shared helpers for the stories tests: small documents and a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from akhbar.enrich.stories import Doc

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

MakeDoc = Callable[..., Doc]


@pytest.fixture
def make_doc() -> MakeDoc:
    """Return a factory of documents with increasing ids, an hour apart unless told."""
    counter = {"n": 0}

    def make(title: str, text: str = "", language: str = "fr", source: int = 0, hours: float = 0) -> Doc:
        counter["n"] += 1
        n = counter["n"]
        when = START + timedelta(hours=hours or n / 60)
        return Doc(n, source or n, language, title, text, when)

    return make
