"""Tests for OPML import/export and for reading a sources file of either format."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.models import SourceSpec
from akhbar.sources import SourceFileError, export_opml, export_toml, parse_opml, read_sources_file

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Top-level site" type="rss" xmlUrl="https://top.example/feed" htmlUrl="https://top.example/"/>
    <outline text="Sport">
      <outline text="Foot" title="Foot News" type="rss" xmlUrl="https://foot.example/rss" language="fr"/>
      <outline text="Afrique">
        <outline text="Deep" type="rss" xmlUrl="https://deep.example/atom.xml" htmlUrl="https://deep.example/"/>
      </outline>
    </outline>
    <outline text="Tagged" type="rss" xmlUrl="https://tagged.example/feed" category="/News/Economie,/Other"/>
    <outline text="Site only" type="link" url="https://site.example/"/>
    <outline text="Again" type="rss" xmlUrl="https://foot.example/rss"/>
    <outline text="Empty folder"/>
  </body>
</opml>
"""


def test_nested_outlines() -> None:
    assert parse_opml(NESTED) == [
        SourceSpec("https://top.example/", "Top-level site", "https://top.example/feed"),
        SourceSpec("https://foot.example/rss", "Foot News", "https://foot.example/rss", "fr", "Sport"),
        SourceSpec("https://deep.example/", "Deep", "https://deep.example/atom.xml", "", "Afrique"),
        SourceSpec("https://tagged.example/feed", "Tagged", "https://tagged.example/feed", "", "Economie"),
        SourceSpec("https://site.example/", "Site only"),
        # the repeated feed (https://foot.example/rss) is kept once
    ]


SPECS = [
    SourceSpec("https://a.example/", "A & <b>", "https://a.example/feed", "fr", "sport", "always"),
    SourceSpec("https://b.example/", "ب", "", "ar", "sport", ""),
    SourceSpec("https://c.example/", "", "https://c.example/rss", "", "Économie", "never"),
    SourceSpec("https://d.example/", "Dee", "", "es", "", "auto"),
]


@pytest.mark.parametrize("specs", [SPECS, SPECS[:1], [], SPECS[3:]])
def test_round_trip(specs: list[SourceSpec]) -> None:
    # Specs already grouped by category come back in the same order.
    assert parse_opml(export_opml(specs).encode()) == specs


def test_round_trip_groups_by_category() -> None:
    mixed = [SPECS[0], SPECS[2], SPECS[1]]  # sport, Économie, sport
    back = parse_opml(export_opml(mixed).encode())
    assert back == [SPECS[0], SPECS[1], SPECS[2]]


def test_export_is_opml_2_with_title() -> None:
    text = export_opml(SPECS, title="Mes sources")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert '<opml xmlns:akhbar="urn:akhbar:opml:1" version="2.0">' in text
    assert "<title>Mes sources</title>" in text
    assert 'xmlUrl="https://a.example/feed"' in text


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.example/feed"/></body></opml>"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<opml version="2.0"><body><outline text="&d;" xmlUrl="https://x.example/feed"/></body></opml>"""


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (XXE, "OPML refused: it declares XML entities"),
        (BOMB, "OPML refused: it declares XML entities"),
        (b"this is not xml", "not an OPML file: invalid XML at line 1"),
        (b"", "not an OPML file: invalid XML at line 1"),
        (b"<opml><body><outline></body></opml>", "invalid XML at line 1, column 23 (mismatched tag)"),
        (b'<rss version="2.0"><channel/></rss>', "not an OPML file: the root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "not an OPML file: it has no <body> element"),
        (b'<opml><body><outline text="X" xmlUrl="javascript:alert(1)"/></body></opml>',
         "outline 'X': url is not an http(s) URL"),
        (b'<opml><body><outline text="Y" xmlUrl="https://y.example/" language="english"/></body></opml>',
         "outline 'Y': language must be an ISO 639 code"),
    ],
)
def test_errors_are_one_clear_line(data: bytes, cause: str) -> None:
    with pytest.raises(SourceFileError) as info:
        parse_opml(data)
    message = str(info.value)
    assert message.startswith("sources: ") and cause in message and "\n" not in message
    assert "root:" not in message  # the XXE entity was never expanded


def test_read_sources_file_tells_formats_apart(tmp_path: Path) -> None:
    opml = tmp_path / "subscriptions.txt"  # the name does not matter, the content does
    opml.write_bytes(b"\xef\xbb\xbf\n  " + export_opml(SPECS).encode())
    toml = tmp_path / "sources.opml"
    toml.write_text(export_toml(SPECS), encoding="utf-8")
    assert read_sources_file(opml) == parse_opml(export_opml(SPECS).encode())
    assert read_sources_file(toml) == SPECS


def test_read_utf16_opml(tmp_path: Path) -> None:
    path = tmp_path / "utf16.opml"
    path.write_bytes(export_opml(SPECS).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert read_sources_file(path) == SPECS


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (b"\xff\xfe\x00garbage\x80", "neither OPML nor a UTF-8 sources.toml"),
        (b"<html><body>hi</body></html>", "not an OPML file: the root element is <html>"),
        (b"url = https://x", "not a sources.toml file"),
    ],
)
def test_read_sources_file_errors(tmp_path: Path, content: bytes, cause: str) -> None:
    path = tmp_path / "sources"
    path.write_bytes(content)
    with pytest.raises(SourceFileError, match=cause):
        read_sources_file(path)


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match=r"sources: cannot read .*missing\.toml: No such file"):
        read_sources_file(tmp_path / "missing.toml")
