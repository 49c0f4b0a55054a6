"""The JSON API: filters, cursor pagination, one article, sources, categories, search, errors, CORS, docs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from akhbar.models import Article, SourceSpec
from akhbar.store import Store
from akhbar.store.reading import Cursor
from akhbar.web.api import decode_cursor, encode_cursor
from akhbar.web.app import create_app

NOW = datetime(2025, 1, 30, 12, 0, tzinfo=UTC)
SOURCES = [  # (host, name, language, category, titles)
    (
        "lematin",
        "Le Matin",
        "fr",
        "politique",
        ["L'été du gouvernement", "Le Maroc et l'Europe", "Élections"],
    ),
    ("hespress", "هسبريس", "ar", "economie", ["الحكومة تُقدّم الميزانية", "المغرب والاتحاد الأوروبي"]),
    ("wire", "The Wire", "en", "monde", ["Summer in Morocco", "Markets", "Rain", "Football"]),
]


def _seed(store: Store) -> None:
    age = 0
    for host, name, language, category, titles in SOURCES:
        url = f"https://{host}.example"
        source = store.add_source(SourceSpec(url, name, f"{url}/rss", language, category))
        batch = []
        for i, title in enumerate(titles):
            age += 1
            batch.append(
                Article(
                    source_id=source.id,
                    guid=f"{host}-{i}",
                    url=f"{url}/{i}?utm_source=x",
                    canonical_url=f"{url}/{i}",
                    title=title,
                    summary=f"{title}.",
                    text=f"{title}. Un texte.",
                    html=f"<p>{title}</p>",
                    published_at=NOW - timedelta(hours=age),
                    language=language,
                    category=category,
                )
            )
        source.last_checked_at = source.last_success_at = NOW
        source.last_error = "secret detail of the operator"
        store.save_refresh(source, batch)


@pytest.fixture
def client(settings):
    store = Store.open(settings.database_url_effective)
    _seed(store)
    app = create_app(settings.replace(base_url="https://akhbar.example"), store)
    with TestClient(app) as client:
        yield client
    store.close()


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["title"] for a in response.json()["articles"]]


def test_articles_come_newest_first_with_our_page_and_the_original(client):
    body = client.get("/api/v1/articles").json()
    assert [a["title"] for a in body["articles"]][:2] == ["L'été du gouvernement", "Le Maroc et l'Europe"]
    first = body["articles"][0]
    assert first["url"].startswith("https://akhbar.example/article/")
    assert first["original_url"] == "https://lematin.example/0"
    assert first["source"] == {"slug": "le-matin", "name": "Le Matin"}
    assert body["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language=ar", 2),
        ("language=ar,en", 6),
        ("source=the-wire", 4),
        ("category=politique", 3),
        ("since=2025-01-30T06:00:00Z", 6),
        ("until=2025-01-30T06:00:00%2B00:00", 3),
        ("since=2025-01-30T03:00:00&until=2025-01-30T07:00:00", 4),
        ("since=2025-01-30", 9),
    ],
)
def test_filters(client, query, expected):
    assert len(_titles(client.get(f"/api/v1/articles?{query}"))) == expected


def test_cursor_pagination_walks_every_article_once(client):
    seen: list[str] = []
    url = "/api/v1/articles?limit=2"
    for _ in range(10):
        body = client.get(url).json()
        seen += [a["title"] for a in body["articles"]]
        if body["next_cursor"] is None:
            break
        url = f"/api/v1/articles?limit=2&cursor={body['next_cursor']}"
    assert len(seen) == len(set(seen)) == 9


def test_cursor_round_trips():
    cursor = Cursor(NOW, 42)
    assert decode_cursor(encode_cursor(cursor)) == cursor


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/articles?cursor=bm9wZQ", 400),
        ("/api/v1/articles?limit=1000", 422),
        ("/api/v1/articles?language=Arabic", 422),
        ("/api/v1/articles?category=nothing", 422),
        ("/api/v1/articles?since=yesterday", 422),
        ("/api/v1/articles?since=2025-02-30", 400),
        ("/api/v1/articles?source=nobody", 404),
        ("/api/v1/articles/999999", 404),
        ("/api/v1/articles/abc", 422),
        ("/api/v1/sources/nobody", 404),
        ("/api/v1/search?q=", 422),
        ("/api/v1/search?q=x&sort=best", 422),
        ("/api/v1/nothing-here", 404),
    ],
)
def test_errors_are_one_line_json(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    message = response.json()["error"]
    assert message.startswith("api: ") or message.startswith("search: ")
    assert "\n" not in message


def test_one_article_has_its_text_and_html(client):
    first = client.get("/api/v1/articles?limit=1").json()["articles"][0]
    body = client.get(f"/api/v1/articles/{first['id']}").json()
    assert body["html"] == "<p>L'été du gouvernement</p>"
    assert body["text"].startswith("L'été")


def test_sources_show_only_their_public_health(client):
    sources = client.get("/api/v1/sources").json()["sources"]
    assert [s["name"] for s in sources] == ["Le Matin", "The Wire", "هسبريس"]
    wire = client.get("/api/v1/sources/the-wire").json()
    assert wire["last_success_at"].startswith("2025-01-30T12:00")
    assert wire["page_url"] == "https://akhbar.example/source/the-wire"
    assert "last_error" not in wire and "etag" not in wire


def test_categories_have_labels_and_counts(client):
    categories = {c["slug"]: c for c in client.get("/api/v1/categories").json()["categories"]}
    assert categories["economie"]["labels"] == {
        "fr": "Économie",
        "ar": "اقتصاد",
        "en": "Economy",
        "es": "Economía",
    }
    assert categories["monde"]["articles"] == 4
    only_fr = {
        c["slug"]: c["articles"] for c in client.get("/api/v1/categories?language=fr").json()["categories"]
    }
    assert only_fr["monde"] == 0 and only_fr["politique"] == 3


@pytest.mark.parametrize(
    ("q", "title"),
    [
        ("ete", "L'été du gouvernement"),
        ("GOUVERNEMENT", "L'été du gouvernement"),
        ("الحكومه", "الحكومة تُقدّم الميزانية"),
    ],
)
def test_search_ignores_accents_case_and_arabic_variants(client, q, title):
    body = client.get("/api/v1/search", params={"q": q}).json()
    assert [h["article"]["title"] for h in body["hits"]] == [title]
    assert "<mark>" in body["hits"][0]["title_html"] + body["hits"][0]["snippet_html"]


def test_search_filters_and_sorts(client):
    body = client.get(
        "/api/v1/search", params={"q": "maroc OR morocco", "sort": "date", "language": "en"}
    ).json()
    assert all(h["article"]["language"] == "en" for h in body["hits"])


@pytest.mark.parametrize(
    "q", ['"unbalanced', "NEAR(a b", "*", "-", "title:x", "((", "a AND OR b", "\x00", "x" * 500]
)
def test_search_never_fails_on_query_syntax(client, q):
    response = client.get("/api/v1/search", params={"q": q})
    assert response.status_code in (200, 400)
    assert "hits" in response.json() or "\n" not in response.json()["error"]


def test_cors_is_open_for_reading_the_api_only(client):
    origin = {"origin": "https://elsewhere.example"}
    assert client.get("/api/v1/articles", headers=origin).headers["access-control-allow-origin"] == "*"
    preflight = client.options("/api/v1/articles", headers={**origin, "access-control-request-method": "GET"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in client.get("/feed.xml", headers=origin).headers


def test_openapi_describes_only_the_api(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {
        "/articles",
        "/articles/{article_id}",
        "/sources",
        "/sources/{slug}",
        "/categories",
        "/search",
        "/stories",
        "/stories/{story_id}",
    }
    assert document["servers"] == [{"url": "/api/v1"}]


def test_docs_page_lists_every_endpoint_without_script(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "<script" not in response.text
    for path in ("GET /api/v1/articles", "GET /api/v1/search", "GET /api/v1/articles/{article_id}"):
        assert path in response.text
    assert "cursor" in response.text
