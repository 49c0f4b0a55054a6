"""The reader pages: home, article, lists, sources, errors, in the four editions."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from akhbar.models import Article, Source, SourceSpec
from akhbar.store import Store
from akhbar.web.app import create_app

DAY = datetime(2025, 1, 30, 10, 0, tzinfo=UTC)


def make(
    source: Source,
    n: int,
    *,
    lang: str,
    category: str = "politique",
    when: datetime | None = None,
    title: str = "",
) -> Article:
    url = f"{source.url}articles/{n}"
    return Article(
        source_id=source.id,
        guid=url,
        url=url,
        canonical_url=url,
        title=title or f"{source.name} titre {n}",
        summary=f"Résumé {n}",
        html=f"<p>Le texte numéro {n}.</p>",
        image=f"{source.url}img/{n}.jpg",
        published_at=when or datetime.now(UTC) - timedelta(minutes=5 * n),
        language=lang,
        category=category,
    )


@pytest.fixture
def store(settings):
    store = Store.open(settings.database_url_effective)
    yield store
    store.close()


@pytest.fixture
def seeded(store):
    """Return the store with a French, an Arabic, an English and a Spanish source."""
    specs = {
        "fr": SourceSpec(url="https://yabiladi.example/", name="Yabiladi", language="fr"),
        "ar": SourceSpec(url="https://hespress.example/", name="Hespress", language="ar"),
        "en": SourceSpec(url="https://mwn.example/", name="Morocco World", language="en"),
        "es": SourceSpec(url="https://atalayar.example/", name="Atalayar", language="es"),
    }
    for lang, spec in specs.items():
        source = store.add_source(spec)
        store.save_refresh(
            source,
            [make(source, n, lang=lang, category="sport" if n == 1 else "politique") for n in range(1, 4)],
        )
    return store


@pytest.fixture
def client(settings, seeded):
    with TestClient(create_app(settings.replace(page_cache_ttl=0.0), seeded)) as client:
        yield client


def text_of(html: str) -> str:
    """Return the visible text of some HTML, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def article_of(store: Store, title_part: str) -> Article:
    return next(a for a in store.latest_headlines(100) if title_part in a.title)


@pytest.mark.parametrize(
    ("path", "lang", "direction", "age"),
    [
        ("/", "fr", "ltr", "il y a 5\xa0min"),
        ("/ar/", "ar", "rtl", "قبل 5 دقائق"),
        ("/en/", "en", "ltr", "5 min. ago"),
        ("/es/", "es", "ltr", "hace 5 min"),
    ],
)
def test_home_of_each_edition(client, path, lang, direction, age):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in response.text
    assert 'class="ticker"' in response.text
    assert age in response.text
    assert response.text.count("<h1") == 1


@pytest.mark.parametrize(
    ("path", "present", "absent"),
    [
        ("/", ["Yabiladi", "Morocco World", "Atalayar"], ["Hespress titre"]),
        ("/ar/", ["Hespress titre", "Yabiladi titre"], ["Morocco World titre"]),
        ("/en/", ["Morocco World titre", "Yabiladi titre"], ["Hespress titre"]),
    ],
)
def test_home_carries_the_edition_languages(client, path, present, absent):
    page = client.get(path).text
    assert all(name in page for name in present)
    assert not any(name in page for name in absent)


def test_home_has_category_blocks_with_source_and_age(client):
    page = client.get("/").text
    assert 'href="/categorie/sport"' in page and 'id="cat-sport"' in page
    assert re.search(r'<a href="/source/yabiladi">Yabiladi</a> · <time[^>]*>il y a \d+\xa0min</time>', page)


def test_article_page_french_attribution_and_source_link(client, seeded):
    source = seeded.source_by_slug("yabiladi")
    seeded.save_refresh(
        source, [make(source, 9, lang="fr", when=DAY, title="Sécurité : le Maroc et l'Espagne")]
    )
    article = article_of(seeded, "Sécurité")
    page = client.get(f"/article/{article.id}").text
    assert "Publié dans Yabiladi le 30 - 01 - 2025" in text_of(page)
    assert re.search(
        r'Publié dans <a href="/source/yabiladi">Yabiladi</a> le <a href="/archives/2025/01/30">', page
    )
    link = re.search(r'<a [^>]*href="https://yabiladi.example/articles/9"[^>]*>([^<]+)</a>', page)
    assert link and link.group(1) == "Cliquez ici pour lire l&#39;article depuis sa source"
    assert 'rel="noopener nofollow"' in link.group(0)
    assert "<p>Le texte numéro 9.</p>" in page


@pytest.mark.parametrize(
    ("prefix", "published", "click"),
    [
        ("/ar", "نُشر في Yabiladi بتاريخ 30 - 01 - 2025", "انقر هنا لقراءة المقال من مصدره"),
        ("/en", "Published in Yabiladi on 30 - 01 - 2025", "Click here to read the article at its source"),
        (
            "/es",
            "Publicado en Yabiladi el 30 - 01 - 2025",
            "Haga clic aquí para leer el artículo en su fuente",
        ),
    ],
)
def test_article_page_is_translated(client, seeded, prefix, published, click):
    source = seeded.source_by_slug("yabiladi")
    seeded.save_refresh(source, [make(source, 9, lang="fr", when=DAY, title="Sécurité")])
    page = client.get(f"{prefix}/article/{article_of(seeded, 'Sécurité').id}").text
    assert published in text_of(page)
    assert click in page
    assert f'href="{prefix}/source/yabiladi"' in page


@pytest.mark.parametrize(
    ("prefix", "title", "page_attrs", "article_attrs"),
    [
        ("", "Hespress titre 1", 'lang="fr" dir="ltr"', 'lang="ar" dir="rtl"'),
        ("/ar", "Yabiladi titre 1", 'lang="ar" dir="rtl"', 'lang="fr" dir="ltr"'),
        ("/ar", "Hespress titre 1", 'lang="ar" dir="rtl"', 'lang="ar" dir="rtl"'),
    ],
)
def test_article_direction_follows_its_language(client, seeded, prefix, title, page_attrs, article_attrs):
    page = client.get(f"{prefix}/article/{article_of(seeded, title).id}-any-slug").text
    assert f"<html {page_attrs}>" in page
    assert f'<article class="article" {article_attrs}>' in page


def test_article_meta_tags_and_json_ld(client, seeded):
    source = seeded.source_by_slug("yabiladi")
    evil = 'Titre </script><script>alert(1)</script> "fin"'
    seeded.save_refresh(source, [make(source, 7, lang="fr", title=evil)])
    article = article_of(seeded, "alert(1)")
    page = client.get(f"/article/{article.id}").text
    assert "<script>alert(1)" not in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert page.count("</script>") == len(scripts)  # the title broke out of no element
    for attrs, body in scripts:
        assert 'type="application/ld+json"' in attrs or ("src=" in attrs and not body)
    assert re.search(r'<link rel="canonical" href="http://127\.0\.0\.1:8000/article/\d+-titre-script', page)
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card"' in page
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(raw.group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == evil
    assert data["isBasedOn"] == "https://yabiladi.example/articles/7"
    assert data["publisher"] == {"@type": "Organization", "name": "Yabiladi"}


def test_article_page_offers_more_from_the_source_and_empty_slots(client, seeded):
    page = client.get(f"/article/{article_of(seeded, 'Yabiladi titre 1').id}").text
    assert "Plus d&#39;articles de Yabiladi" in page
    assert "Yabiladi titre 2" in page and "Yabiladi titre 3" in page
    assert 'data-slot="same-story"></section>' in page


@pytest.mark.parametrize(
    "path",
    [
        "/article/999999",
        "/article/abc",
        "/source/nobody",
        "/categorie/nothing",
        "/archives/2025/02/30",
        "/categorie/sport?cursor=zz",
        "/no/such/page",
    ],
)
def test_unknown_things_are_friendly_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page introuvable" in response.text and "Retour à l&#39;accueil" in response.text


@pytest.mark.parametrize(
    ("path", "heading", "direction"),
    [
        ("/x", "Page introuvable", "ltr"),
        ("/ar/x", "الصفحة غير موجودة", "rtl"),
        ("/en/x", "Page not found", "ltr"),
        ("/es/x", "Página no encontrada", "ltr"),
    ],
)
def test_404_page_in_each_edition(client, path, heading, direction):
    response = client.get(path)
    assert response.status_code == 404
    assert heading in response.text and f'dir="{direction}"' in response.text


def test_500_page_without_traceback(settings, seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail in /srv/akhbar/x.py line 3")

    monkeypatch.setattr(seeded, "list_articles", broken)
    with TestClient(create_app(settings, seeded), raise_server_exceptions=False) as client:
        response = client.get("/en/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Traceback" not in response.text and "secret detail" not in response.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/source/hespress", "Hespress titre 2"),
        ("/categorie/sport", "Yabiladi titre 1"),
        ("/en/category/sport", "Morocco World titre 1"),
        ("/sources", "Atalayar"),
        ("/ar/sources", "Yabiladi"),
    ],
)
def test_list_pages_render(client, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    assert expected in response.text


def test_category_page_keeps_to_its_category(client):
    page = client.get("/categorie/sport").text
    assert "Yabiladi titre 1" in page and "Yabiladi titre 2" not in page
    assert 'href="/categorie/sport" aria-current="page"' in page


def test_date_archive_lists_that_day_only(client, seeded):
    source = seeded.source_by_slug("yabiladi")
    seeded.save_refresh(
        source,
        [
            make(source, 8, lang="fr", when=DAY, title="Archive du jour"),
            make(source, 9, lang="fr", when=DAY + timedelta(days=1), title="Le lendemain"),
        ],
    )
    page = client.get("/archives/2025/01/30").text
    assert "30 janvier 2025" in page and "Archive du jour" in page and "Le lendemain" not in page
    assert 'href="/archives/2025/01/29"' in page and 'href="/archives/2025/01/31"' in page


def test_source_pages_paginate_with_a_keyset_cursor(client, seeded):
    source = seeded.source_by_slug("atalayar")
    seeded.save_refresh(source, [make(source, n, lang="es") for n in range(10, 50)])  # 43 articles in all
    first = client.get("/source/atalayar").text
    next_href = re.search(r'href="(/source/atalayar\?cursor=[^"]+)" rel="next"', first).group(1)
    second = client.get(next_href.replace("&amp;", "&")).text
    titles = [re.findall(r'class="title" href="[^"]+">([^<]+)<', page) for page in (first, second)]
    assert len(titles[0]) == 30 and len(titles[1]) == 13
    assert not set(titles[0]) & set(titles[1])
    assert 'rel="next"' not in second and 'href="/source/atalayar">' in second  # back to the first page


@pytest.mark.parametrize("path", ["/", "/ar/"])
def test_home_weight_under_100_kb_and_nothing_third_party(client, path):
    page = client.get(path)
    assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', page.text)
    fetched = [a for a in assets if not a.startswith("http://127.0.0.1:8000/")]  # canonical link is ours
    assert all(a.startswith("/") and not a.startswith("//") for a in fetched), fetched
    weight = len(page.content) + sum(len(client.get(a).content) for a in fetched)
    assert weight < 100_000


def test_static_assets_are_cached_for_a_year_and_revalidate(client):
    page = client.get("/").text
    css = re.search(r'href="(/static/site\.css\?v=[0-9a-f]+)"', page).group(1)
    response = client.get(css)
    assert response.status_code == 200 and "immutable" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/css")
    again = client.get(css, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/static/nothing.css").status_code == 404


def test_stylesheet_uses_logical_properties_only():
    from akhbar.web.assets import STATIC_DIR

    css = (STATIC_DIR / "site.css").read_text()
    assert not re.search(r"\b(left|right)\b", css)


def test_every_page_has_a_skip_link_landmarks_and_one_h1(client, seeded):
    paths = ["/", "/ar/", f"/article/{article_of(seeded, 'Yabiladi titre 1').id}", "/sources", "/recherche"]
    for path in paths:
        page = client.get(path).text
        assert 'class="skip-link" href="#main"' in page and '<main id="main"' in page
        assert "<header" in page and "<footer" in page and 'role="search"' in page
        assert page.count("<h1") == 1, path
