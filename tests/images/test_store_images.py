"""The images table: stable ids, batch states, blocking by bytes, links to articles, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from akhbar.models import Article, SourceSpec
from akhbar.store import Store, StoreError

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def fetched(store: Store, url: str, sha: str) -> int:
    image = store.ensure_image(url)
    store.record_image_fetch(image.id, sha256=sha, width=10, height=8, content_type="image/jpeg", now=NOW)
    return image.id


def test_ensure_image_creates_a_pending_row_once(store: Store) -> None:
    first = store.ensure_image("https://o.example/a.jpg")
    again = store.ensure_image("https://o.example/a.jpg")
    assert first == again
    assert (first.state, first.sha256, first.fetched_at) == ("pending", "", None)
    assert store.image_by_url("https://o.example/a.jpg") == first
    assert store.image_by_id(first.id) == first
    assert store.image_by_id(first.id + 1000) is None


def test_image_states_in_one_batch(store: Store) -> None:
    a = fetched(store, "https://o.example/a.jpg", "a" * 64)
    store.ensure_image("https://o.example/b.jpg")
    store.set_image_state(a, "blocked")
    states = store.image_states(["https://o.example/a.jpg", "https://o.example/b.jpg", "https://o.example/c"])
    assert states == {"https://o.example/a.jpg": "blocked", "https://o.example/b.jpg": "pending"}


def test_state_applies_to_every_copy_of_the_same_bytes(store: Store) -> None:
    a = fetched(store, "https://one.example/a.jpg", "s" * 64)
    fetched(store, "https://two.example/copy.jpg", "s" * 64)
    other = fetched(store, "https://two.example/other.jpg", "t" * 64)
    until = NOW + timedelta(days=7)
    store.set_image_state(a, "blocked")
    states = store.image_states(["https://one.example/a.jpg", "https://two.example/copy.jpg"])
    assert set(states.values()) == {"blocked"}
    store.set_image_state(a, "ok", protected_until=until)
    copy = store.image_by_url("https://two.example/copy.jpg")
    assert copy is not None and copy.state == "ok" and copy.protected_until == until
    assert store.image_by_id(other) is not None and store.image_by_id(other).state == "ok"  # type: ignore[union-attr]


@pytest.mark.parametrize("strongest", ["blocked", "confirmed"])
def test_a_new_copy_of_blocked_bytes_arrives_blocked(store: Store, strongest: str) -> None:
    first = fetched(store, "https://one.example/a.jpg", "c" * 64)
    store.set_image_state(first, strongest)
    newcomer = store.ensure_image("https://elsewhere.example/renamed.jpg")
    recorded = store.record_image_fetch(
        newcomer.id, sha256="c" * 64, width=1, height=1, content_type="image/jpeg", now=NOW
    )
    assert recorded.state == strongest


def test_failure_keeps_a_block(store: Store) -> None:
    image = store.ensure_image("https://o.example/a.jpg")
    store.record_image_failure(image.id, "fetch: 404", now=NOW)
    failed = store.image_by_id(image.id)
    assert failed is not None and (failed.state, failed.error) == ("failed", "fetch: 404")
    store.set_image_state(image.id, "blocked")
    store.record_image_failure(image.id, "fetch: timeout", now=NOW)
    assert store.image_by_id(image.id).state == "blocked"  # type: ignore[union-attr]


def test_unknown_state_or_image_is_a_clear_error(store: Store) -> None:
    image = store.ensure_image("https://o.example/a.jpg")
    with pytest.raises(StoreError, match="unknown image state 'gone'"):
        store.set_image_state(image.id, "gone")
    with pytest.raises(StoreError, match="no such image"):
        store.set_image_state(image.id + 99, "blocked")


def _article(source_id: int, n: int) -> Article:
    url = f"https://o.example/articles/{n}"
    return Article(source_id=source_id, guid=url, url=url, canonical_url=url, title=f"t{n}", fetched_at=NOW)


def test_links_between_articles_and_images(store: Store) -> None:
    source = store.add_source(SourceSpec(url="https://o.example/", name="O"))
    other = store.add_source(SourceSpec(url="https://p.example/", name="P"))
    store.save_refresh(source, [_article(source.id, 1), _article(source.id, 2)])
    store.save_refresh(other, [_article(other.id, 3)])
    lead, inline, shared = (
        "https://o.example/lead.jpg",
        "https://o.example/in.png",
        "https://cdn.example/s.jpg",
    )
    written = store.link_article_images(
        {
            "https://o.example/articles/1": [lead, inline, lead],
            "https://o.example/articles/2": [shared],
            "https://o.example/articles/3": [shared],
            "https://o.example/unknown": ["https://o.example/x.jpg"],
        }
    )
    assert written == 4
    one = store.article_by_id(1)
    assert one is not None
    assert [i.url for i in store.images_of_article(one.id or 0)] == [lead, inline]
    assert {i.url for i in store.images_of_source(source.id)} == {lead, inline, shared}
    assert [i.url for i in store.images_of_source(other.id)] == [shared]
    shared_id = store.image_by_url(shared).id  # type: ignore[union-attr]
    assert len(store.articles_of_image(shared_id)) == 2
    store.link_article_images({"https://o.example/articles/1": [inline]})  # the lead image was replaced
    assert [i.url for i in store.images_of_article(one.id or 0)] == [inline]


def test_articles_of_image_follow_copies_of_the_bytes(store: Store) -> None:
    source = store.add_source(SourceSpec(url="https://o.example/", name="O"))
    store.save_refresh(source, [_article(source.id, 1), _article(source.id, 2)])
    store.link_article_images(
        {
            "https://o.example/articles/1": ["https://a.example/x.jpg"],
            "https://o.example/articles/2": ["https://b.example/y.jpg"],
        }
    )
    first = fetched(store, "https://a.example/x.jpg", "d" * 64)
    fetched(store, "https://b.example/y.jpg", "d" * 64)
    assert len(store.articles_of_image(first)) == 2


def test_state_survives_reopening_the_database(db_url: str) -> None:
    store = Store.open(db_url)
    image_id = fetched(store, "https://o.example/a.jpg", "e" * 64)
    store.set_image_state(image_id, "confirmed")
    store.close()
    reopened = Store.open(db_url, auto_migrate=False)
    try:
        again = reopened.image_by_url("https://o.example/a.jpg")
        assert again is not None and (again.id, again.state, again.sha256) == (
            image_id,
            "confirmed",
            "e" * 64,
        )
    finally:
        reopened.close()
