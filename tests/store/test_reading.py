"""The reading side: filters and keyset pagination."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from akhbar.models import Article, SourceSpec
from akhbar.store import ArticleQuery, Cursor

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def seed(store):
    a = store.add_source(SourceSpec(url="https://a.example/", name="A"))
    b = store.add_source(SourceSpec(url="https://b.example/", name="B"))
    batch = {a.id: [], b.id: []}
    for i in range(30):
        source = a if i % 2 else b
        batch[source.id].append(
            Article(
                source_id=source.id,
                guid=f"g{i}",
                url=f"https://x.example/{i}",
                canonical_url=f"https://x.example/{i}",
                title=f"t{i}",
                fetched_at=T0,
                published_at=T0 - timedelta(hours=i // 2),
                language="ar" if i % 3 == 0 else "fr",
                category="sport" if i % 5 == 0 else "politique",
            )
        )
    for source in (a, b):
        store.save_refresh(source, batch[source.id])
    return a, b


def test_keyset_pages_cover_everything_once_in_order(store):
    seed(store)
    seen, after = [], None
    while True:
        page = store.list_articles(ArticleQuery(), limit=7, after=after)
        if not page:
            break
        seen.extend(page)
        after = Cursor(page[-1].published_at, page[-1].id)
    assert len(seen) == 30 and len({a.id for a in seen}) == 30
    keys = [(a.published_at, a.id) for a in seen]
    assert keys == sorted(keys, reverse=True)


def test_filters_combine(store):
    a, _ = seed(store)
    query = ArticleQuery(languages=("fr",), source_id=a.id, category="politique")
    found = store.list_articles(query, limit=100)
    assert found and all(
        x.language == "fr" and x.source_id == a.id and x.category == "politique" for x in found
    )
    assert store.count_matching(query) == len(found)
    since = store.list_articles(ArticleQuery(since=T0 - timedelta(hours=2)), limit=100)
    assert {x.title for x in since} == {"t0", "t1", "t2", "t3", "t4", "t5"}


def test_category_counts(store):
    seed(store)
    assert store.category_counts() == {"sport": 6, "politique": 24}
