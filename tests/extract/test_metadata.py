"""JSON-LD, OpenGraph and meta-tag metadata; date parsing; the `akhbar extract` rendering."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest

from akhbar.extract import render_extracted
from akhbar.extract.dates import parse_date
from akhbar.extract.metadata import PageMeta, language_code, read_metadata
from akhbar.models import ExtractedArticle

URL = "https://news.example.ma/societe/2025/article.html"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def meta_of(head: str, ld: object = None, html_attrs: str = "") -> PageMeta:
    """Return the metadata of a page made of a <head> and optional JSON-LD data."""
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld is not None else ""
    page = f"<html {html_attrs}><head>{head}{script}</head><body><p>texte</p></body></html>"
    return read_metadata(lxml.html.document_fromstring(page), URL, NOW)


def article(**fields: object) -> dict[str, object]:
    """Return a JSON-LD NewsArticle node with the given fields."""
    return {"@context": "https://schema.org", "@type": "NewsArticle", **fields}


@pytest.mark.parametrize(
    ("image", "want"),
    [
        ("https://cdn.example/a.jpg", "https://cdn.example/a.jpg"),
        (["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"], "https://cdn.example/a.jpg"),
        ({"@type": "ImageObject", "url": "https://cdn.example/o.jpg"}, "https://cdn.example/o.jpg"),
        ({"@type": "ImageObject", "contentUrl": "https://cdn.example/c.jpg"}, "https://cdn.example/c.jpg"),
        (
            [{"@type": "ImageObject", "url": "data:image/png;base64,AA"}, {"url": "/img/b.jpg"}],
            "https://news.example.ma/img/b.jpg",
        ),
        ("javascript:alert(1)", ""),
        (42, ""),
    ],
)
def test_jsonld_image_forms(image, want):
    assert meta_of("", article(image=image)).image == want


@pytest.mark.parametrize(
    ("author", "want"),
    [
        ("Nadia El Idrissi", "Nadia El Idrissi"),
        ({"@type": "Person", "name": "Omar Chaoui"}, "Omar Chaoui"),
        ([{"@type": "Person", "name": "A. Un"}, "B. Deux", {"name": "A. Un"}], "A. Un, B. Deux"),
        ({"@type": "Organization", "name": "Rédaction"}, "Rédaction"),
        ("https://news.example.ma/auteurs/x", ""),
        (None, ""),
    ],
)
def test_jsonld_author_forms(author, want):
    assert meta_of("", article(author=author)).author == want


def test_jsonld_graph_with_id_references():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Person", "@id": "#p", "name": "Leila Amrani"},
            {"@type": "ImageObject", "@id": "#i", "url": "https://cdn.example/g.jpg"},
            {
                "@type": ["Article", "BlogPosting"],
                "headline": "Titre &amp; suite",
                "author": {"@id": "#p"},
                "image": {"@id": "#i"},
                "datePublished": "2025-05-01T10:00:00+02:00",
            },
        ],
    }
    meta = meta_of("", graph)
    assert (meta.title, meta.author, meta.image) == (
        "Titre & suite",
        "Leila Amrani",
        "https://cdn.example/g.jpg",
    )
    assert meta.published == datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


def test_first_article_node_wins_over_other_types_and_broken_scripts():
    head = (
        '<script type="application/ld+json">{not json</script>'
        '<script type="application/ld+json">{"@type": "BreadcrumbList", "name": "Accueil"}</script>'
    )
    meta = meta_of(head, [{"@type": "WebSite", "name": "Site"}, article(headline="Le vrai titre")])
    assert meta.title == "Le vrai titre"


def test_schema_prefixed_type_and_article_body():
    meta = meta_of("", {"@type": "schema:NewsArticle", "headline": "H", "articleBody": "Corps."})
    assert (meta.title, meta.body) == ("H", "Corps.")


def test_opengraph_and_meta_tags():
    head = (
        '<meta property="og:title" content="Titre OG">'
        '<meta property="og:image" content="//cdn.example/og.jpg">'
        '<meta property="og:url" content="https://news.example.ma/canon">'
        '<meta property="article:published_time" content="2025-03-01T09:00:00Z">'
        '<meta property="article:author" content="https://facebook.com/x">'
        '<meta name="author" content="Karima B.">'
        '<meta property="og:locale" content="es_ES">'
    )
    meta = meta_of(head)
    assert (meta.title, meta.image, meta.canonical_url, meta.author, meta.language) == (
        "Titre OG",
        "https://cdn.example/og.jpg",
        "https://news.example.ma/canon",
        "Karima B.",
        "es",
    )
    assert meta.published == datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_jsonld_date_wins_but_an_implausible_one_falls_back_to_meta():
    head = '<meta property="article:published_time" content="2025-03-01T09:00:00Z">'
    assert meta_of(head, article(datePublished="2025-02-01")).published == datetime(2025, 2, 1, tzinfo=UTC)
    assert meta_of(head, article(datePublished="1970-01-01")).published == datetime(2025, 3, 1, 9, tzinfo=UTC)
    assert meta_of(head, article(datePublished="demain")).published == datetime(2025, 3, 1, 9, tzinfo=UTC)


def test_canonical_link_beats_og_url_and_is_resolved():
    head = (
        '<link rel="canonical" href="/c.html"><meta property="og:url" content="https://news.example.ma/og">'
    )
    assert meta_of(head).canonical_url == "https://news.example.ma/c.html"


def test_base_href_is_used_for_relative_urls():
    meta = meta_of('<base href="https://static.example/root/"><meta property="og:image" content="a.jpg">')
    assert meta.image == "https://static.example/root/a.jpg"


@pytest.mark.parametrize(
    ("attrs", "head", "want"),
    [
        ('lang="fr-MA"', "", "fr"),
        ("", '<meta property="og:locale" content="ar_MA">', "ar"),
        ("", '<meta http-equiv="content-language" content="en-GB, fr">', "en"),
        ('lang="bogus value"', '<meta property="og:locale" content="es_ES">', "es"),
        ("", "", ""),
    ],
)
def test_language_sources(attrs, head, want):
    assert meta_of(head, html_attrs=attrs).language == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("fr", "fr"),
        ("fr-MA", "fr"),
        ("ar_MA", "ar"),
        ("EN-gb", "en"),
        ("ara", "ar"),
        ("fra", "fr"),
        ("zgh", ""),
        ("x", ""),
        ("", ""),
        ("12", ""),
        ("français", ""),
    ],
)
def test_language_code(raw, want):
    assert language_code(raw) == want


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("Un titre assez long pour rester | Le Site", "Un titre assez long pour rester"),
        ("COP 30 - Bilan", "COP 30 - Bilan"),
        ("Sans séparateur", "Sans séparateur"),
    ],
)
def test_document_title_loses_the_site_name(title, want):
    assert meta_of(f"<title>{title}</title>").title == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2025-04-17T08:45:00+01:00", datetime(2025, 4, 17, 7, 45, tzinfo=UTC)),
        ("2025-04-17T08:45:00Z", datetime(2025, 4, 17, 8, 45, tzinfo=UTC)),
        ("2025-04-17", datetime(2025, 4, 17, tzinfo=UTC)),
        ("2025-04-17 08:45", datetime(2025, 4, 17, 8, 45, tzinfo=UTC)),
        ("2025-04-17T08:45:00.000+0100", datetime(2025, 4, 17, 7, 45, tzinfo=UTC)),
        ("Thu, 17 Apr 2025 08:45:00 +0000", datetime(2025, 4, 17, 8, 45, tzinfo=UTC)),
        ("1994-12-31", None),
        ("2099-01-01T00:00:00Z", None),
        ("hier soir", None),
        ("", None),
        (None, None),
        (20250417, None),
    ],
)
def test_parse_date(raw, want):
    assert parse_date(raw, NOW) == want


def test_parse_date_allows_only_a_little_clock_skew():
    assert parse_date((NOW + timedelta(minutes=5)).isoformat(), NOW) is not None
    assert parse_date((NOW + timedelta(hours=2)).isoformat(), NOW) is None


def test_render_as_json_and_text():
    extracted = ExtractedArticle(
        text="Corps du texte.", title="Titre", published=datetime(2025, 1, 2, tzinfo=UTC), language="fr"
    )
    data = json.loads(render_extracted(extracted, as_json=True))
    assert (
        data["title"] == "Titre" and data["published"] == "2025-01-02T00:00:00+00:00" and data["image"] == ""
    )
    text = render_extracted(extracted, as_json=False)
    assert "Titre" in text and "2025-01-02" in text and text.endswith("Corps du texte.")
    assert "no article text" in render_extracted(ExtractedArticle(), as_json=False)
