"""Tests for the shipped list of outlets."""

from __future__ import annotations

from urllib.parse import urlsplit

from akhbar.enrich import SLUGS
from akhbar.sources import default_sources, export_opml, export_toml, parse_opml, parse_sources_toml


def test_default_list_is_complete_and_clean() -> None:
    specs = default_sources()
    assert len(specs) >= 25
    assert {"fr", "ar", "en", "es"} <= {s.language for s in specs}
    urls = [s.url for s in specs]
    assert len(set(urls)) == len(urls)
    assert all(urlsplit(u).scheme == "https" and urlsplit(u).hostname for u in urls)
    assert all(s.name for s in specs)
    assert len({s.name for s in specs}) == len(specs)
    assert all(s.category in SLUGS for s in specs)
    assert not any(s.feed_url for s in specs)  # home pages only: feeds are discovered on first run


def test_required_outlets_are_there() -> None:
    hosts = {urlsplit(s.url).hostname for s in default_sources()}
    required = [
        "yabiladi.com", "hespress.com", "le360.ma", "medias24.com", "lematin.ma", "telquel.ma", "h24info.ma",
        "ledesk.ma", "leconomiste.com", "moroccoworldnews.com", "mapexpress.ma", "alyaoum24.com",
        "barlamane.com", "maroc-diplomatique.net", "challenge.ma", "leseco.ma", "lopinion.ma", "libe.ma",
        "hibapress.com", "snrtnews.com", "jeuneafrique.com", "tsa-algerie.com", "kapitalis.com",
        "atalayar.com",
    ]
    missing = [h for h in required if not any(host == h or host.endswith("." + h) for host in hosts if host)]
    assert missing == []
    hespress = {s.language for s in default_sources() if "hespress.com" in s.url}
    assert {"fr", "ar", "en"} <= hespress  # separate sources per edition


def test_default_list_survives_both_formats() -> None:
    specs = default_sources()
    assert parse_sources_toml(export_toml(specs)) == specs
    back = parse_opml(export_opml(specs).encode())
    assert sorted(back, key=lambda s: s.url) == sorted(specs, key=lambda s: s.url)


def test_each_call_returns_fresh_objects() -> None:
    first = default_sources()
    first[0].name = "changed"
    assert default_sources()[0].name != "changed"
