"""The page cache: ETag / Last-Modified with 304s, invalidation when articles land, expiry, scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from akhbar.models import Article, SourceSpec
from akhbar.store import Store
from akhbar.web.app import create_app
from akhbar.web.cache import Entry, PageCache


class Clock:
    """A hand-moved clock for the cache's time-to-live."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def article(source_id: int, n: int, title: str) -> Article:
    url = f"https://outlet.example/{n}"
    return Article(
        source_id=source_id,
        guid=url,
        url=url,
        canonical_url=url,
        title=title,
        language="fr",
        category="politique",
        published_at=datetime.now(UTC) - timedelta(minutes=n),
    )


@pytest.fixture
def setup(settings):
    store = Store.open(settings.database_url_effective)
    source = store.add_source(SourceSpec(url="https://outlet.example/", name="Outlet", language="fr"))
    store.save_refresh(source, [article(source.id, 1, "Premier titre")])
    app = create_app(settings, store)
    clock = Clock()
    app.state.page_cache.clock = clock
    app.state.page_cache.check_every = 0.0  # read the version on every request
    with TestClient(app) as client:
        yield client, store, source, clock
    store.close()


def test_page_has_validators_and_answers_304(setup):
    client = setup[0]
    first = client.get("/")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert "x-akhbar-cacheable" not in first.headers
    assert client.get("/").headers["etag"] == etag
    by_etag = client.get("/", headers={"if-none-match": etag})
    assert by_etag.status_code == 304 and by_etag.content == b"" and by_etag.headers["etag"] == etag
    by_date = client.get("/", headers={"if-modified-since": modified})
    assert by_date.status_code == 304
    assert client.get("/", headers={"if-none-match": '"other"'}).status_code == 200


def test_cached_pages_keep_the_security_headers(setup):
    client = setup[0]
    client.get("/")
    assert "frame-ancestors 'none'" in client.get("/").headers["content-security-policy"]


def test_new_article_invalidates_the_cache_once_the_page_is_min_fresh_old(setup):
    client, store, source, clock = setup
    before = client.get("/")
    store.save_refresh(source, [article(source.id, 2, "Nouvelle arrivée")])
    assert client.get("/").headers["etag"] == before.headers["etag"]  # rendered under min_fresh seconds ago
    clock.now += client.app.state.page_cache.min_fresh
    after = client.get("/")
    assert "Nouvelle arrivée" in after.text and after.headers["etag"] != before.headers["etag"]
    assert client.get("/", headers={"if-none-match": before.headers["etag"]}).status_code == 200


def test_min_fresh_comes_from_the_settings(settings):
    store = Store.open(settings.database_url_effective)
    app = create_app(settings.replace(page_cache_min_fresh=2.5), store)
    assert app.state.page_cache.min_fresh == 2.5
    store.close()


def test_search_pages_are_cached_and_follow_new_articles(setup):
    client, store, source, clock = setup
    first = client.get("/recherche?q=titre")
    assert client.get("/recherche?q=titre").headers["etag"] == first.headers["etag"]
    store.save_refresh(source, [article(source.id, 2, "Second titre")])
    clock.now += client.app.state.page_cache.min_fresh
    assert "Second <mark>titre</mark>" in client.get("/recherche?q=titre").text


def test_entries_expire_after_the_time_to_live(setup, monkeypatch):
    client, store, _, clock = setup
    client.get("/")
    calls = []
    original = store.list_articles
    monkeypatch.setattr(store, "list_articles", lambda *a, **k: calls.append(1) or original(*a, **k))
    client.get("/")
    assert calls == []  # served from the cache: no query
    clock.now += 61
    client.get("/")
    assert calls  # rendered again


def test_query_string_is_part_of_the_key(setup):
    client = setup[0]
    assert (
        client.get("/source/outlet").headers["etag"]
        != client.get("/source/outlet?cursor=1-1").headers["etag"]
    )


@pytest.mark.parametrize("path", ["/nope", "/healthz"])
def test_only_marked_pages_are_cached(setup, path):
    response = setup[0].get(path)
    assert "etag" not in response.headers


def test_zero_ttl_turns_the_cache_off(settings):
    store = Store.open(settings.database_url_effective)
    with TestClient(create_app(settings.replace(page_cache_ttl=0.0), store)) as client:
        assert "etag" not in client.get("/").headers
    store.close()


def test_least_recently_used_pages_are_evicted():
    cache = PageCache(lambda: 1, max_entries=2)
    for n in range(3):
        cache.put((f"/{n}", b""), Entry(200, [], b"x", b'"e"', 0.0, cache.clock()))
    assert list(cache.entries) == [("/1", b""), ("/2", b"")]
