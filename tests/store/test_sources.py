"""Sources: adding, slugs, listing, removing, enabling and scheduling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from akhbar.models import Article, SourceSpec
from akhbar.store import Store, StoreError
from akhbar.store.sources import base_slug, slugify

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "url", "slug"),
    [
        ("Médias24", "https://www.medias24.com/", "medias24"),
        ("Le Monde — International", "https://www.lemonde.fr/", "le-monde-international"),
        ("El País", "https://elpais.com/", "el-pais"),
        ("الجزيرة", "https://www.aljazeera.net/", "aljazeera-net"),
        ("", "https://hespress.com/feed", "hespress-com"),
        ("!!!", "not a url", "source"),
    ],
)
def test_base_slug_folds_to_ascii_or_falls_back_to_the_host(name: str, url: str, slug: str) -> None:
    assert base_slug(name, url) == slug


def test_slugify_is_bounded() -> None:
    assert len(slugify("a" * 500)) <= 60


def test_add_list_and_find_sources(store: Store) -> None:
    b = store.add_source(SourceSpec(url="https://b.example/", name="Beta", feed_url="https://b.example/rss"))
    a = store.add_source(SourceSpec(url="https://a.example/", name="Alpha", language="fr"), now=T0)
    assert a.created_at == T0 and a.language == "fr" and a.enabled
    assert [s.name for s in store.all_sources()] == ["Alpha", "Beta"]
    assert store.count_sources() == 2
    assert store.source_by_id(b.id) == b
    assert store.source_by_slug("alpha") == a
    assert store.source_by_url("https://b.example/rss") == b
    assert store.source_by_url("https://b.example/") == b
    assert store.source_by_url("https://c.example/") is None
    assert store.source_by_id(9999) is None


@pytest.mark.parametrize(
    "spec",
    [
        SourceSpec(url="https://a.example/", name="Other"),
        SourceSpec(url="https://a.example/feed"),
        SourceSpec(url="https://new.example/", feed_url="https://a.example/"),
    ],
)
def test_duplicate_url_is_refused(store: Store, spec: SourceSpec) -> None:
    store.add_source(SourceSpec(url="https://a.example/", feed_url="https://a.example/feed", name="A"))
    with pytest.raises(StoreError, match=r"^store: a source with URL https://\S+ already exists$"):
        store.add_source(spec)
    assert store.count_sources() == 1


def test_slugs_are_unique(store: Store) -> None:
    slugs = [
        store.add_source(SourceSpec(url=f"https://n{i}.example/", name="Médias 24")).slug for i in range(4)
    ]
    assert slugs == ["medias-24", "medias-24-2", "medias-24-3", "medias-24-4"]


def test_remove_source_deletes_its_articles(store: Store) -> None:
    keep = store.add_source(SourceSpec(url="https://keep.example/", name="Keep"))
    gone = store.add_source(SourceSpec(url="https://gone.example/", name="Gone"))
    for source in (keep, gone):
        arts = [
            Article(source.id, f"g{i}", f"{source.url}{i}", f"{source.url}{i}", f"t{i}") for i in range(3)
        ]
        store.save_refresh(source, arts)
    store.remove_source(gone.id)
    assert store.source_by_id(gone.id) is None
    assert store.count_articles() == 3 and store.count_articles(keep.id) == 3


def test_due_sources_order_and_limit(store: Store) -> None:
    never = store.add_source(SourceSpec(url="https://never.example/", name="Never"))
    late = store.add_source(SourceSpec(url="https://late.example/", name="Late"))
    later = store.add_source(SourceSpec(url="https://later.example/", name="Later"))
    future = store.add_source(SourceSpec(url="https://future.example/", name="Future"))
    off = store.add_source(SourceSpec(url="https://off.example/", name="Off"))
    for source, due in (
        (late, T0 - timedelta(hours=2)),
        (later, T0 - timedelta(hours=1)),
        (future, T0 + timedelta(hours=1)),
    ):
        source.next_check_at = due
        store.save_refresh(source, [])
    store.set_source_enabled(off.id, False, now=T0)
    assert [s.id for s in store.due_sources(T0)] == [never.id, late.id, later.id]
    assert [s.id for s in store.due_sources(T0, limit=2)] == [never.id, late.id]
    assert store.next_due_at() == T0 - timedelta(hours=2)


def test_enabling_resets_failures_and_makes_due(store: Store) -> None:
    source = store.add_source(SourceSpec(url="https://x.example/", name="X"))
    source.consecutive_failures, source.enabled, source.next_check_at = 10, False, T0 + timedelta(days=1)
    store.save_refresh(source, [])
    assert store.due_sources(T0) == [] and store.next_due_at() is None
    store.set_source_enabled(source.id, True, now=T0)
    again = store.source_by_id(source.id)
    assert again is not None and again.enabled and again.consecutive_failures == 0
    assert again.next_check_at == T0
    assert [s.id for s in store.due_sources(T0)] == [source.id]


def test_enabling_an_unknown_source_is_an_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no such source"):
        store.set_source_enabled(42, True, now=T0)


def test_datetimes_come_back_aware_utc(store: Store) -> None:
    source = store.add_source(SourceSpec(url="https://x.example/", name="X"))
    paris = timezone(timedelta(hours=1))
    source.last_checked_at = datetime(2026, 3, 1, 13, 30, tzinfo=paris)
    store.save_refresh(source, [])
    again = store.source_by_id(source.id)
    assert again is not None and again.last_checked_at == datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    assert again.last_checked_at.tzinfo == UTC


def test_save_states_writes_many_sources_together(store: Store) -> None:
    named = store.add_source(SourceSpec(url="https://named.example/", name="Named"))
    unnamed = store.add_source(SourceSpec(url="https://unnamed.example/", name=""))
    for n, source in enumerate((named, unnamed)):
        source.etag, source.consecutive_failures, source.next_check_at = f'"e{n}"', n, T0 + timedelta(hours=n)
        source.name = f"From the feed {n}"
    assert store.save_states([named, unnamed]) == {}
    first, second = store.source_by_id(named.id), store.source_by_id(unnamed.id)
    assert first is not None and second is not None
    assert (first.etag, first.consecutive_failures, first.next_check_at) == ('"e0"', 0, T0)
    assert (second.etag, second.consecutive_failures) == ('"e1"', 1)
    assert first.name == "Named"  # a stored name is kept
    assert second.name == "From the feed 1"  # an empty one takes the feed's
    assert store.save_states([]) == {}


def test_save_states_fails_a_removed_source_alone(store: Store) -> None:
    kept = [store.add_source(SourceSpec(url=f"https://k{n}.example/", name=f"K{n}")) for n in range(3)]
    gone = store.add_source(SourceSpec(url="https://gone.example/", name="Gone"))
    store.remove_source(gone.id)
    for source in (*kept, gone):
        source.etag = '"new"'
    failures = store.save_states([kept[0], gone, kept[1], kept[2]])
    assert list(failures) == [gone.id]
    assert "no such source" in str(failures[gone.id])
    assert all(store.source_by_id(s.id).etag == '"new"' for s in kept)  # type: ignore[union-attr]
