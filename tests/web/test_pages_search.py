"""The search page: filters, highlighted hits, pages, and a message (never a 500) for any input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from akhbar.models import Article, SourceSpec
from akhbar.store import Store
from akhbar.web.app import create_app


def make(source_id: int, n: int, title: str, lang: str = "fr", category: str = "politique") -> Article:
    url = f"https://outlet{source_id}.example/{n}"
    return Article(
        source_id=source_id,
        guid=url,
        url=url,
        canonical_url=url,
        title=title,
        text=f"{title}. Un texte de suite.",
        language=lang,
        category=category,
        published_at=datetime(2025, 1, 30, 10, tzinfo=UTC) - timedelta(hours=n),
    )


@pytest.fixture
def client(settings):
    store = Store.open(settings.database_url_effective)
    fr = store.add_source(SourceSpec(url="https://outlet1.example/", name="Premier", language="fr"))
    ar = store.add_source(SourceSpec(url="https://outlet2.example/", name="Thani", language="ar"))
    store.save_refresh(
        fr,
        [make(fr.id, 1, "Sécurité : le Maroc et l'Espagne renforcent leur coopération")]
        + [make(fr.id, n, f"Économie du Maroc, épisode {n}", category="economie") for n in range(2, 30)],
    )
    store.save_refresh(ar, [make(ar.id, 1, "الحكومة تعلن عن برنامج جديد", lang="ar")])
    with TestClient(create_app(settings, store)) as client:
        yield client
    store.close()


def hits(page: str) -> list[str]:
    return re.findall(r'<a class="title" href="[^"]+">(.*?)</a>', page)


def test_search_without_accents_finds_and_highlights(client):
    page = client.get("/recherche", params={"q": "securite"}).text
    assert hits(page) and "<mark>Sécurité</mark>" in hits(page)[0]
    assert 'value="securite"' in page


def test_search_in_the_arabic_edition(client):
    page = client.get("/ar/search", params={"q": "الحكومه"}).text
    assert '<html lang="ar" dir="rtl">' in page
    assert len(hits(page)) == 1


def test_filters_and_pages(client):
    page = client.get("/recherche", params={"q": "maroc", "cat": "economie", "sort": "date"}).text
    assert len(hits(page)) == 20 and all("Économie" in h for h in hits(page))
    next_href = re.search(r'href="([^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    second = client.get(next_href).text
    assert len(hits(second)) == 8 and 'rel="prev"' in second
    one_source = client.get("/recherche", params={"q": "maroc", "source": "thani"}).text
    assert hits(one_source) == []
    assert "Aucun article ne correspond" in one_source


def test_date_range_filter(client):
    params = {"q": "maroc", "start": "2025-01-30", "end": "2025-01-30"}
    page = client.get("/recherche", params=params).text
    # Casablanca is UTC+1 in January: its 30th runs from 23:00 UTC on the 29th, so 09:00 back to 23:00 UTC.
    assert len(hits(page)) == 11


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"maroc',
        "*",
        "mar*",
        "-",
        "-maroc",
        "NEAR(a b",
        "((",
        "title:x",
        "^maroc",
        "\x00",
        "a" * 10_000,
        "AND OR NOT",
        "<script>alert(1)</script>",
        "'; DROP TABLE articles; --",
    ],
)
def test_any_query_gives_results_or_a_message(client, q):
    response = client.get("/recherche", params={"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"start": "30/01/2025"},
        {"start": "2025-02-01", "end": "2025-01-01"},
        {"page": "999999999"},
        {"page": "-1"},
        {"sort": "weird"},
        {"lang": "xx"},
        {"cat": "nothing"},
        {"source": "nobody"},
    ],
)
def test_bad_filters_give_a_message_not_an_error(client, params):
    response = client.get("/recherche", params={"q": "maroc", **params})
    assert response.status_code == 200


def test_bad_date_is_explained(client):
    page = client.get("/recherche", params={"q": "maroc", "start": "30/01/2025"}).text
    assert "La recherche n&#39;a pas pu être faite" in page


def test_empty_search_shows_the_form_and_a_hint(client):
    page = client.get("/en/search").text
    assert "Type one or more words" in page and 'name="sort"' in page


def test_the_source_filter_lists_the_sources_and_marks_the_chosen_one(client):
    page = client.get("/recherche", params={"q": "maroc", "source": "thani"}).text
    assert '<option value="premier">Premier</option>' in page
    assert '<option value="thani" selected>Thani</option>' in page


def test_a_new_source_joins_the_filter_once_the_list_is_read_again(client, monkeypatch):
    from akhbar.web.views import search as view

    # A new address each time: the page cache would otherwise answer the same page.
    assert "Thalith" not in client.get("/recherche?n=1").text
    client.app.state.store.add_source(SourceSpec(url="https://outlet3.example/", name="Thalith"))
    assert "Thalith" not in client.get("/recherche?n=2").text  # the list is kept SOURCES_TTL seconds
    monkeypatch.setattr(view, "SOURCES_TTL", 0.0)
    assert '<option value="thalith">Thalith</option>' in client.get("/recherche?n=3").text
