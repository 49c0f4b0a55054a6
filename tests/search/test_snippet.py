"""Snippets: matches marked in the original text, accents kept, everything else escaped."""

from __future__ import annotations

import pytest

from akhbar.search import highlight_html, parse_query, snippet_html


@pytest.mark.parametrize(
    ("text", "query", "marked"),
    [
        ("La crise ÉCONOMIQUE au Maroc.", "economique", "<mark>ÉCONOMIQUE</mark>"),
        ("أعلنت الحكومةُ المغربية", "الحكومة", "<mark>الحكومةُ</mark>"),
        ("Le plan économique du roi", '"plan economique"', "<mark>plan économique</mark>"),
        ("Le gouvernement a parlé", "gouv*", "<mark>gouvernement</mark>"),
    ],
)
def test_matches_are_marked_in_the_original_text(text: str, query: str, marked: str) -> None:
    assert marked in snippet_html(text, parse_query(query).terms())


def test_snippet_escapes_everything_but_the_marks() -> None:
    html = snippet_html('<script>alert("x")</script> maroc', parse_query("maroc script").terms())
    assert "<script>" not in html and "&lt;<mark>script</mark>&gt;" in html
    assert "<mark>maroc</mark>" in html


def test_snippet_shows_the_window_around_a_late_match() -> None:
    text = "début " + "mot " * 400 + "la sécheresse frappe"
    html = snippet_html(text, parse_query("secheresse").terms())
    assert html.startswith("…") and "<mark>sécheresse</mark>" in html and len(html) < 320


def test_snippet_without_match_is_the_beginning() -> None:
    assert snippet_html("Un texte sans le mot.", parse_query("maroc").terms()) == "Un texte sans le mot."


def test_highlight_keeps_the_whole_title() -> None:
    title = "Rabat & Casablanca : le Maroc investit"
    assert highlight_html(title, parse_query("maroc").terms()) == (
        "Rabat &amp; Casablanca : le <mark>Maroc</mark> investit"
    )
