"""Body choice between trafilatura and JSON-LD, title-heading removal and the first image."""

from __future__ import annotations

import pytest

from akhbar.extract.text import choose_body, drop_title_heading, first_image, jsonld_body_html

BASE = "https://news.example.ma/a/b.html"
FULL = "Premier paragraphe complet.\nDeuxième paragraphe, plus long que le premier.\nTroisième et dernier."


def test_a_teaser_gives_way_to_the_jsonld_body():
    body = choose_body("<p>Premier paragraphe complet.</p>", FULL, BASE)
    assert body.count("<p>") == 3 and "Troisième et dernier." in body


def test_a_full_visible_text_is_kept_with_its_markup():
    extracted = '<p>Premier paragraphe <em>complet</em>.</p><img src="https://c.example/i.jpg">'
    extracted += "<p>Deuxième paragraphe, plus long que le premier.</p><p>Troisième et dernier.</p>"
    assert choose_body(extracted, FULL, BASE) == extracted


def test_no_jsonld_body_keeps_the_extracted_html():
    assert choose_body("<p>x</p>", "  ", BASE) == "<p>x</p>"


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("Ligne une.\n\nLigne &amp; deux.", "<p>Ligne une.</p><p>Ligne &amp; deux.</p>"),
        ("<p>Déjà du <strong>HTML</strong></p><script>x()</script>", "<p>Déjà du <strong>HTML</strong></p>"),
        ("a < b et c > d", "<p>a &lt; b et c &gt; d</p>"),
        (
            '<p><a href="/suite">suite</a></p>',
            '<p><a href="https://news.example.ma/suite" rel="noopener noreferrer nofollow">suite</a></p>',
        ),
    ],
)
def test_jsonld_body_as_html(body, want):
    assert jsonld_body_html(body, BASE) == want


@pytest.mark.parametrize(
    ("html", "title", "want"),
    [
        ("<h2>Le Titre</h2><p>corps</p>", "Le titre", "<p>corps</p>"),
        ("  <h3>Le titre</h3>\n<p>corps</p>", "Le titre", "<p>corps</p>"),
        ("<h2>Autre chose</h2><p>corps</p>", "Le titre", "<h2>Autre chose</h2><p>corps</p>"),
        ("<p>corps</p><h2>Le titre</h2>", "Le titre", "<p>corps</p><h2>Le titre</h2>"),
        ("<h2>Le titre</h2><p>corps</p>", "", "<h2>Le titre</h2><p>corps</p>"),
    ],
)
def test_drop_title_heading(html, title, want):
    assert drop_title_heading(html, title) == want


@pytest.mark.parametrize(
    ("html", "want"),
    [
        (
            '<p>x</p><img src="https://c.example/a.jpg?w=1&amp;h=2" alt="a"><img src="https://c.example/b.jpg">',
            "https://c.example/a.jpg?w=1&h=2",
        ),
        ('<img alt="sans source"><img src="https://c.example/b.jpg">', "https://c.example/b.jpg"),
        ("<p>pas d'image</p>", ""),
    ],
)
def test_first_image(html, want):
    assert first_image(html) == want
