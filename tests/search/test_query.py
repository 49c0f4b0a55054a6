"""Query parsing: terms, phrases, exclusions, prefixes; any input parses, none becomes FTS syntax."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.search import SearchQuery, SearchQueryError, Term, parse_query
from akhbar.search.query import MAX_TERMS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maroc", '"maroc"'),
        ("Économie maroc", '"economie" AND "maroc"'),
        ('"le roi" visite', '"le roi" AND "visite"'),
        ("gouv*", '"gouv"*'),
        ("maroc -football", '("maroc") NOT "football"'),
        ('maroc -"coupe du monde"', '("maroc") NOT "coupe du monde"'),
        ("rabat OR casablanca port", '("rabat" OR "casablanca") AND "port"'),
        ("rabat AND port", '"rabat" AND "port"'),
        ("l’économie", '"l economie"'),
        ('"unbalanced phrase', '"unbalanced phrase"'),
        ("a*", '"a"'),  # a one-letter prefix is searched as a word
        ("title:maroc", '"title maroc"'),
        ("NEAR(maroc rabat)", '"near maroc" AND "rabat"'),
    ],
)
def test_match_expression(text: str, expected: str) -> None:
    assert parse_query(text).match_expression() == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "-", "*", '""', "((( )))", "-maroc", "AND OR", "\x00", "^ : ' \""]
)
def test_queries_without_words_are_empty(text: str) -> None:
    assert parse_query(text).empty


def test_terms_are_capped_with_a_note() -> None:
    parsed = parse_query(" ".join(f"mot{i}" for i in range(50)))
    assert len(parsed.terms()) == MAX_TERMS
    assert parsed.notes


def test_very_long_input_is_cut_with_a_note() -> None:
    parsed = parse_query("x" * 10_000)
    assert parsed.notes and not parsed.empty


def test_prefix_term() -> None:
    assert parse_query("GOUV*").terms() == [Term(("gouv",), prefix=True)]


@given(st.text(max_size=300))
def test_any_text_parses_into_quoted_terms_only(text: str) -> None:
    parsed = parse_query(text)
    for term in parsed.terms() + list(parsed.excluded):
        assert term.words and all(word.isalnum() and '"' not in word for word in term.words)
    if not parsed.empty:
        assert parsed.match_expression().count('"') % 2 == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sort": "random"}, "unknown sort"),
        ({"page": 0}, "page number"),
        ({"per_page": 0}, "per page"),
        ({"per_page": 1000}, "per page"),
        (
            {"since": datetime(2025, 2, 1, tzinfo=UTC), "until": datetime(2025, 1, 1, tzinfo=UTC)},
            "start date",
        ),
    ],
)
def test_search_query_refuses_bad_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SearchQueryError, match=message) as info:
        SearchQuery("maroc", **changes)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
