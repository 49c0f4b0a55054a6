"""save_refresh: source state and deduplicating article upserts in one transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from akhbar.models import Article, Source, SourceSpec
from akhbar.store import Store, StoreError, UpsertCounts

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def make(source: Source, n: int, **changes: object) -> Article:
    """Return article n of a source."""
    article = Article(
        source_id=source.id,
        guid=f"{source.slug}-{n}",
        url=f"https://{source.slug}.example/{n}?utm=x",
        canonical_url=f"https://{source.slug}.example/{n}",
        title=f"Titre {n}",
        summary=f"Résumé {n}",
        published_at=T0 + timedelta(minutes=n),
    )
    return replace(article, **changes)


@pytest.fixture
def source(store: Store) -> Source:
    return store.add_source(SourceSpec(url="https://one.example/", name="One"))


@pytest.fixture
def other(store: Store) -> Source:
    return store.add_source(SourceSpec(url="https://two.example/", name="Two"))


def test_new_then_unchanged(store: Store, source: Source) -> None:
    batch = [make(source, n) for n in range(3)]
    assert store.save_refresh(source, batch) == UpsertCounts(new=3)
    assert store.save_refresh(source, batch) == UpsertCounts(unchanged=3)
    assert store.count_articles(source.id) == 3


def test_same_guid_is_updated_in_place(store: Store, source: Source) -> None:
    store.save_refresh(source, [make(source, 1, fetched_at=T0)])
    first = store.latest_headlines()[0]
    changed = make(source, 1, title="Titre corrigé", text="Texte", fetched_at=T0 + timedelta(hours=1))
    assert store.save_refresh(source, [changed]) == UpsertCounts(updated=1)
    [row] = store.latest_headlines()
    assert (row.id, row.fetched_at) == (first.id, T0)
    assert (row.title, row.text, row.summary) == ("Titre corrigé", "Texte", "Résumé 1")


def test_same_canonical_url_from_another_guid_is_one_row(store: Store, source: Source) -> None:
    store.save_refresh(source, [make(source, 1)])
    assert store.save_refresh(source, [make(source, 1, guid="renamed", title="Neuf")]) == UpsertCounts(
        updated=1
    )
    assert store.count_articles() == 1
    assert store.known_guids(source.id, ["renamed", "one-1"]) == {"renamed"}


def test_same_canonical_url_across_sources_is_one_row(store: Store, source: Source, other: Source) -> None:
    store.save_refresh(source, [make(source, 1)])
    shared = make(source, 1, source_id=other.id, guid="two-x", title="Titre 1")
    assert store.save_refresh(other, [shared]) == UpsertCounts(unchanged=1)
    assert store.count_articles() == 1
    assert store.latest_headlines()[0].source_slug == "one"  # the first source keeps the article


def test_duplicates_inside_one_batch_are_merged(store: Store, source: Source) -> None:
    batch = [
        make(source, 1),
        make(source, 1, title="Titre 1 bis"),  # same guid
        make(source, 2, canonical_url="https://one.example/1", author="A"),  # same canonical URL: later wins
        make(source, 3),
    ]
    assert store.save_refresh(source, batch) == UpsertCounts(new=2)
    merged = [a for a in store.latest_headlines() if a.canonical_url == "https://one.example/1"]
    assert len(merged) == 1 and (merged[0].title, merged[0].author) == ("Titre 2", "A")


def test_guid_and_canonical_matching_different_rows_stay_two_rows(store: Store, source: Source) -> None:
    store.save_refresh(source, [make(source, 1), make(source, 2)])
    crossed = make(source, 1, canonical_url="https://one.example/2", title="Croisé")
    counts = store.save_refresh(source, [crossed])
    assert counts == UpsertCounts(updated=1) and store.count_articles() == 2


def test_missing_dates_keep_the_first_fetch_time(store: Store, source: Source) -> None:
    store.save_refresh(source, [make(source, 1, published_at=T0, date_note="missing")])
    later = make(source, 1, published_at=T0 + timedelta(hours=3), date_note="missing")
    assert store.save_refresh(source, [later]) == UpsertCounts(unchanged=1)
    assert store.latest_headlines()[0].published_at == T0


def test_source_state_is_saved_with_the_articles(store: Store) -> None:
    source = store.add_source(SourceSpec(url="https://nameless.example/"))
    source.name, source.etag, source.last_checked_at, source.items_per_day = "Found", '"v1"', T0, 12.5
    source.feed_url, source.last_error, source.consecutive_failures = "https://nameless.example/rss", "x", 2
    store.save_refresh(source, [make(source, 1)])
    stored = store.source_by_id(source.id)
    assert stored == source
    source.name = "Renamed"
    store.save_refresh(source, [])
    assert store.source_by_id(source.id).name == "Found"


def test_failed_refresh_rolls_back_source_state_and_articles(store: Store, source: Source) -> None:
    store.save_refresh(source, [make(source, 0)])
    source.etag, source.consecutive_failures = '"new"', 5
    batch = [make(source, 1), make(source, 2, title=None), make(source, 3)]
    with pytest.raises(StoreError, match=r"^store: cannot upsert article https://one.example/2\?utm=x: "):
        store.save_refresh(source, batch)
    stored = store.source_by_id(source.id)
    assert stored is not None and (stored.etag, stored.consecutive_failures) == ("", 0)
    assert store.count_articles() == 1


def test_refresh_of_a_removed_source_is_an_error(store: Store, source: Source) -> None:
    store.remove_source(source.id)
    with pytest.raises(StoreError, match="no such source"):
        store.save_refresh(source, [make(source, 1)])
    assert store.count_articles() == 0


def test_known_guids(store: Store, source: Source, other: Source) -> None:
    store.save_refresh(source, [make(source, n) for n in range(3)])
    assert store.known_guids(source.id, ["one-0", "one-2", "nope"]) == {"one-0", "one-2"}
    assert store.known_guids(other.id, ["one-0"]) == set()
    assert store.known_guids(source.id, (f"x{i}" for i in range(1000))) == set()


def test_latest_headlines_newest_first_with_source(store: Store, source: Source, other: Source) -> None:
    store.save_refresh(source, [make(source, 1), make(source, 5), make(source, 9, published_at=None)])
    store.save_refresh(other, [make(other, 3)])
    heads = store.latest_headlines()
    assert [(a.source_slug, a.title) for a in heads] == [
        ("one", "Titre 5"),
        ("two", "Titre 3"),
        ("one", "Titre 1"),
        ("one", "Titre 9"),
    ]
    assert heads[1].source_name == "Two" and heads[0].published_at == T0 + timedelta(minutes=5)
    assert len(store.latest_headlines(limit=2)) == 2


def test_article_by_id_and_counts(store: Store, source: Source, other: Source) -> None:
    store.save_refresh(source, [make(source, 1, html="<p>x</p>", summary_only=True)])
    store.save_refresh(other, [make(other, 1), make(other, 2)])
    [head] = [a for a in store.latest_headlines() if a.source_id == source.id]
    assert head.id is not None
    found = store.article_by_id(head.id)
    assert (
        found is not None and found.html == "<p>x</p>" and found.summary_only and found.source_name == "One"
    )
    assert store.article_by_id(10**9) is None
    assert (store.count_articles(), store.count_articles(source.id), store.count_articles(other.id)) == (
        3,
        1,
        2,
    )
