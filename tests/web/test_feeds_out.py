"""Feeds out: RSS and Atom per site, edition, source and category; OPML; sitemaps; robots.txt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from akhbar.models import Article, Source, SourceSpec
from akhbar.store import Store
from akhbar.web.app import create_app
from akhbar.web.syndication import sitemaps

BASE = "https://akhbar.example"
NOW = datetime.now(UTC).replace(microsecond=0)
NASTY = 'Budget <script>alert(1)</script> & "quotes"\x0b'


def _article(
    source: Source, n: int, language: str, category: str, age: timedelta, title: str = ""
) -> Article:
    return Article(
        source_id=source.id,
        guid=f"{source.slug}-{n}",
        url=f"{source.url}/a/{n}",
        canonical_url=f"{source.url}/a/{n}",
        title=title or f"{source.name} article {n}",
        summary=f"Summary {n} of {source.name}",
        published_at=NOW - age,
        language=language,
        category=category,
    )


SOURCES = {  # key: (host, name, language, category)
    "fr": ("lematin", "Le Matin", "fr", "politique"),
    "ar": ("hespress", "هسبريس", "ar", "societe"),
    "en": ("wire", "The Wire", "en", "monde"),
}


def _seed(store: Store) -> dict[str, Source]:
    made = {}
    for key, (host, name, language, category) in SOURCES.items():
        url = f"https://{host}.example"
        source = store.add_source(SourceSpec(url, name, f"{url}/rss", language, category))
        batch = [_article(source, n, language, category, timedelta(hours=n * 20)) for n in range(1, 5)]
        if key == "fr":
            batch.append(_article(source, 9, language, "economie", timedelta(minutes=5), NASTY))
        source.last_checked_at = NOW
        store.save_refresh(source, batch)
        made[key] = source
    return made


@pytest.fixture
def client(settings):
    store = Store.open(settings.database_url_effective)
    _seed(store)
    with TestClient(create_app(settings.replace(base_url=BASE + "/"), store)) as client:
        yield client
    store.close()


def _entries(response):
    assert response.status_code == 200, response.text
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_site_feed_lists_every_language_newest_first_with_links_to_our_pages(client, name):
    parsed = _entries(client.get(f"/{name}"))
    assert len(parsed.entries) == 13
    assert {e.link.split("/article/")[0] for e in parsed.entries} == {BASE, BASE + "/ar", BASE + "/en"}
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    assert parsed.entries[0].title == NASTY[:-1]  # the control character is dropped, the rest kept as text


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_items_credit_and_link_the_original_source(client, name):
    entry = next(e for e in _entries(client.get(f"/en/{name}")).entries if "The Wire" in e.summary)
    assert "https://wire.example/a/1" in entry.summary
    assert "The Wire" in entry.summary
    assert "Read the original article on" in entry.summary
    assert entry.link.startswith(f"{BASE}/en/article/")
    assert "https://wire.example/a/1" in [link.href for link in entry.links]


@pytest.mark.parametrize(
    ("path", "languages"),
    [
        ("/ar/feed.xml", {"ar", "fr"}),
        ("/en/atom.xml", {"en", "fr"}),
        ("/fr/feed.xml", {"fr", "en"}),
        ("/source/the-wire/atom.xml", {"en"}),
        ("/categorie/societe/feed.xml", {"ar"}),
        ("/ar/category/politique/atom.xml", {"fr"}),
        ("/en/category/societe/feed.xml", set()),
    ],
)
def test_each_feed_carries_its_own_articles(client, path, languages):
    parsed = _entries(client.get(path))
    found = {
        e.get("dc_language") or e.get("language") or e.get("title_detail", {}).get("language")
        for e in parsed.entries
    }
    assert found == languages


def test_script_in_a_title_stays_text_in_the_feed(client):
    body = client.get("/feed.xml").content
    assert b"<script>" not in body
    etree.fromstring(body)


@pytest.mark.parametrize(
    "path", ["/source/nobody/feed.xml", "/categorie/nothing/atom.xml", "/sitemap-articles-9.xml"]
)
def test_unknown_feed_is_404(client, path):
    assert client.get(path).status_code == 404


def test_feed_answers_304_to_its_etag(client):
    first = client.get("/feed.xml")
    again = client.get("/feed.xml", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_opml_lists_the_sources_feeds(client):
    response = client.get("/sources.opml")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    outlines = {o.get("text") for o in root.iter("outline") if o.get("type") == "rss"}
    assert outlines == {"Le Matin", "هسبريس", "The Wire"}


def _locs(response) -> list[str]:
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{{{sitemaps.SITEMAP_NS}}}loc")]


def test_sitemap_index_points_to_pages_and_article_sitemaps(client):
    assert _locs(client.get("/sitemap.xml")) == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-articles-1.xml",
    ]
    pages = _locs(client.get("/sitemap-pages.xml"))
    assert f"{BASE}/ar/" in pages and f"{BASE}/source/le-matin" in pages
    articles = _locs(client.get("/sitemap-articles-1.xml"))
    assert len(articles) == 13
    assert f"{BASE}/ar/article/" in " ".join(articles)


@pytest.mark.parametrize(("max_id", "pages"), [(0, 0), (1, 1), (50_000, 1), (50_001, 2), (1_000_000, 20)])
def test_article_sitemaps_cover_fixed_id_ranges(max_id, pages):
    assert sitemaps.article_sitemap_count(max_id) == pages
    if pages:
        assert sitemaps.id_range(pages)[1] >= max_id > sitemaps.id_range(pages)[0] - 1


def test_news_sitemap_holds_the_last_48_hours(client):
    response = client.get("/sitemap-news.xml")
    root = etree.fromstring(response.content)
    news = f"{{{sitemaps.NEWS_NS}}}"
    titles = [t.text for t in root.iter(news + "title")]
    assert len(titles) == 7  # per source: 20 h and 40 h old ones, plus the fresh French one
    names = {n.text for n in root.iter(news + "name")}
    assert names == {"Le Matin", "هسبريس", "The Wire"}
    assert {n.text for n in root.iter(news + "language")} == {"fr", "ar", "en"}
    assert all(d.text and d.text.endswith("+00:00") for d in root.iter(news + "publication_date"))


def test_robots_txt_opens_the_site_but_admin_and_names_sitemaps(client):
    text = client.get("/robots.txt").text
    assert "Disallow: /admin\n" in text
    assert f"Sitemap: {BASE}/sitemap.xml" in text
    assert f"Sitemap: {BASE}/sitemap-news.xml" in text


def test_every_link_of_the_sitemaps_and_feeds_is_a_page_of_ours(client):
    locs = _locs(client.get("/sitemap-pages.xml")) + _locs(client.get("/sitemap-articles-1.xml"))
    locs += [e.link for e in _entries(client.get("/ar/atom.xml")).entries]
    for loc in locs:
        assert client.get(loc.removeprefix(BASE)).status_code == 200, loc


def test_a_new_article_reaches_the_feed(client):
    cache = getattr(client.app.state, "page_cache", None)
    if cache is not None:
        cache.check_every = 0  # read the article version on every request, not once a second
        cache.min_fresh = 0  # and let new articles replace a page at once
    assert "Fresh news" not in client.get("/feed.xml").text
    store = client.app.state.store
    source = store.source_by_slug("the-wire")
    store.save_refresh(source, [_article(source, 50, "en", "monde", timedelta(0), "Fresh news")])
    assert "Fresh news" in client.get("/feed.xml").text
