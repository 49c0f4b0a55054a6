"""Long prefixes (gouv*) are spelled out into the index's words: the same hits as FTS5's own prefix query."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from akhbar.models import Article, SourceSpec
from akhbar.search import SearchQuery
from akhbar.store import Store
from akhbar.store import search as fulltext

TEXTS = [
    "Le gouvernement présente un budget",
    "Les gouverneurs des régions se réunissent",
    "Gouvernance : un rapport sévère",
    "Le gouvernail du port est réparé",
    "Une goutte d'eau à Rabat",
    "Rien de tout cela",
    "Économie et économies : le débat",
    "L'économiste parle au gouvernement",
]
QUERIES = ["gouv*", "gouvern*", "econom*", "gouv* -rabat", "econom* gouv*", "gouv* OR rabat", "zzzz*"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'prefixes.db'}")
    source = opened.add_source(SourceSpec(url="https://one.example/", name="One"))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    opened.save_refresh(
        source,
        [
            Article(
                source_id=source.id,
                guid=f"g{n}",
                url=f"https://one.example/{n}",
                canonical_url=f"https://one.example/{n}",
                title=f"Titre {n}",
                text=body,
                language="fr",
                published_at=start + timedelta(hours=n),
            )
            for n, body in enumerate(TEXTS)
        ],
    )
    yield opened
    opened.close()


def found(store: Store, text: str, sort: str) -> list[str]:
    return [hit.article.text for hit in store.search(SearchQuery(text, sort=sort)).hits]


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("text", QUERIES)
def test_spelled_out_prefixes_find_what_fts5_prefixes_find(
    store: Store, monkeypatch: pytest.MonkeyPatch, text: str, sort: str
) -> None:
    spelled = found(store, text, sort)
    monkeypatch.setattr(fulltext, "MAX_SPELLED", 0)  # every prefix left to FTS5
    assert spelled == found(store, text, sort)


def test_a_prefix_is_spelled_out_into_its_words(store: Store) -> None:
    with store.engine.connect() as conn:
        words = fulltext._words_starting(conn, "gouv")
        assert words == ["gouvernail", "gouvernance", "gouvernement", "gouverneurs"]
        assert fulltext._words_starting(conn, "zzzz") == []


def test_a_prefix_of_too_many_words_is_left_to_fts5(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fulltext, "MAX_SPELLED", 2)
    with store.engine.connect() as conn:
        assert fulltext._words_starting(conn, "gouv") is None
    assert len(found(store, "gouv*", "date")) == 5
