"""Snippets: matches marked in the original text, accents kept, everything else escaped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.search import highlight_html, parse_query, snippet, snippet_html


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


@pytest.mark.parametrize(
    ("text", "query", "marked"),
    [
        ("Le cœur du Maroc", "coeur", "<mark>cœur</mark>"),  # œ folds to two letters: the word-by-word path
        ("Die Straße nach Rabat", "strasse", "<mark>Straße</mark>"),
        ("الحكـــومة تعلن", "الحكومه", "<mark>الحكـــومة</mark>"),  # tatweel inside the word
        ("المغرب ـ الحكومة", '"المغرب الحكومه"', "<mark>المغرب ـ الحكومة</mark>"),  # a lone tatweel between
        ("la_maroc", "maroc", "la_<mark>maroc</mark>"),  # "_" separates words, as in the index
    ],
)
def test_marks_through_folding_and_word_by_word(text: str, query: str, marked: str) -> None:
    assert marked in highlight_html(text, parse_query(query).terms())


WORDS = ["maroc", "Maroc", "économie", "ÉCONOMIE", "gouvernement", "le", "de", "الحكومةُ", "المغرب", "ـ", "ُ"]
SEPARATORS = [" ", "  ", ", ", "\n", "_", "’", " ء "]


@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=40),
    st.sampled_from(["maroc", "economie", "gouv*", '"le maroc"', "maroc gouvernement", "الحكومه", "ا*"]),
)
def test_the_folded_text_finds_what_words_find(pieces: list[tuple[str, str]], query: str) -> None:
    text = "".join(word + separator for word, separator in pieces)
    terms = parse_query(query).terms()
    expected = snippet._word_spans(text, terms, snippet.SCAN_CHARS, snippet.EXCERPT_CHARS)
    assert snippet.match_spans(text, terms) == expected


def test_a_long_text_is_read_only_around_its_first_match() -> None:
    later = "mot " * 200 + "maroc gouvernement "
    text = "début " + "mot " * 300 + "le maroc avance " + later + "mot " * 20_000
    html = snippet_html(text, parse_query("maroc gouvernement").terms())
    # The later window would show both words, but it starts past the excerpt: the first match is shown.
    assert "<mark>maroc</mark> avance" in html and "gouvernement" not in html
    assert html.startswith("…") and html.endswith("…")
