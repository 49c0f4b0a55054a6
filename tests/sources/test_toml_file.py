"""Tests for akhbar's sources.toml format."""

from __future__ import annotations

import pytest

from akhbar.models import SourceSpec
from akhbar.sources import SourceFileError, export_toml, parse_sources_toml

SPECS = [
    SourceSpec(url="https://www.example.ma/"),
    SourceSpec(url="https://www.example.ma/", name="Exemple", language="fr", category="economie"),
    SourceSpec(
        url="https://ar.example.ma/", name="مثال \"نيوز\"", feed_url="https://ar.example.ma/feed",
        language="ar", category="sport", fetch_article_pages="always",
    ),
    SourceSpec(url="https://es.example.ma/", name="Ejemplo", language="es", fetch_article_pages="never"),
]


def test_parse_all_fields() -> None:
    text = """
[[source]]
url = "https://www.example.ma/"
name = "Exemple"
feed_url = "https://www.example.ma/rss"
language = "FR"
category = "politique"
fetch_article_pages = "auto"

[[source]]
url = "  https://en.example.ma/  "
"""
    assert parse_sources_toml(text) == [
        SourceSpec("https://www.example.ma/", "Exemple", "https://www.example.ma/rss", "fr", "politique",
                   "auto"),
        SourceSpec("https://en.example.ma/"),
    ]


@pytest.mark.parametrize(("value", "mode"), [("true", "always"), ("false", "never")])
def test_boolean_fetch_article_pages(value: str, mode: str) -> None:
    text = f'[[source]]\nurl = "https://x.ma/"\nfetch_article_pages = {value}\n'
    assert parse_sources_toml(text)[0].fetch_article_pages == mode


def test_empty_document_has_no_sources() -> None:
    assert parse_sources_toml("# nothing yet\n") == []


@pytest.mark.parametrize("specs", [SPECS, SPECS[:1], [], list(reversed(SPECS))])
def test_round_trip(specs: list[SourceSpec]) -> None:
    assert parse_sources_toml(export_toml(specs)) == specs


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("[[source]\nurl = 1", "not a sources.toml file"),
        ('[[source]]\nurl = "https://x.ma/"\nlang = "fr"\n', "unknown key(s) lang"),
        ('[[source]]\nname = "X"\n', "the url key is missing"),
        ('[[source]]\nurl = "ftp://x.ma/"\n', "url is not an http(s) URL"),
        ('[[source]]\nurl = "x.ma"\n', "url is not an http(s) URL"),
        ('[[source]]\nurl = "https://x.ma/"\nfeed_url = "/rss"\n', "feed_url is not an http(s) URL"),
        ('[[source]]\nurl = "https://x.ma/"\nlanguage = "French"\n', "language must be an ISO 639 code"),
        ('[[source]]\nurl = "https://x.ma/"\nfetch_article_pages = "often"\n', "auto, always or never"),
        ('[[source]]\nurl = "https://x.ma/"\nname = 3\n', "name must be a string, got int"),
        ('title = "mine"\n[[source]]\nurl = "https://x.ma/"\n', "unknown top-level key(s) title"),
        ('source = "https://x.ma/"\n', "'source' must be an array of tables"),
    ],
)
def test_errors_are_one_clear_line(text: str, cause: str) -> None:
    with pytest.raises(SourceFileError) as info:
        parse_sources_toml(text)
    message = str(info.value)
    assert message.startswith("sources: ")
    assert cause in message
    assert "\n" not in message


def test_error_names_the_entry() -> None:
    text = '[[source]]\nurl = "https://a.ma/"\n\n[[source]]\nurl = "nope"\nname = "Broken"\n'
    with pytest.raises(SourceFileError, match=r"\[\[source\]\] number 2 \(Broken\)"):
        parse_sources_toml(text)
