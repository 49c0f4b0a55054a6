"""Hostile XML: entity bombs and external entities are refused; external DTDs are never fetched or read."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from akhbar.parse import FeedError, parse_feed

URL = "https://feeds.example.org/rss.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>"""


def quadratic_blowup() -> bytes:
    """Return a document with one 50,000-character entity referenced 50,000 times (2.5 GB expanded)."""
    big = "A" * 50_000
    refs = "&a;" * 50_000
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
        f"<rss><channel><title>{refs}</title></channel></rss>"
    ).encode()


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.hits.append(self.path)
        body = b'<!ENTITY leak "LEAKED-FROM-NETWORK">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def dtd_server() -> Iterator[tuple[str, list[str]]]:
    """Serve a DTD on loopback and record every request made to it."""
    _Recorder.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("data", [BILLION_LAUGHS, quadratic_blowup()], ids=["billion-laughs", "quadratic"])
def test_entity_bombs_are_refused(data: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(data, URL)
    assert caught.value.kind == "hostile"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "/etc/passwd"])
def test_external_file_entity_is_refused(target: str) -> None:
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>'
        "<rss><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>"
    ).encode()
    with pytest.raises(FeedError) as caught:
        parse_feed(data, URL)
    assert caught.value.kind == "hostile"
    assert "root:" not in str(caught.value)


def test_external_parameter_entity_is_refused_and_not_fetched(dtd_server: tuple[str, list[str]]) -> None:
    base, hits = dtd_server
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "{base}/evil.dtd"> %ext;]>'
        "<rss><channel><title>&leak;</title></channel></rss>"
    ).encode()
    with pytest.raises(FeedError) as caught:
        parse_feed(data, URL)
    assert caught.value.kind == "hostile"
    assert hits == []


@pytest.mark.parametrize(
    "size", [100, 600_000]
)  # both engines: feedparser below 512 KiB, fastfeedparser above
def test_external_dtd_is_not_fetched(dtd_server: tuple[str, list[str]], size: int) -> None:
    base, hits = dtd_server
    filler = "".join(f"<item><guid>{n}</guid><title>{'x' * 80}</title></item>" for n in range(size // 100))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{base}/rss.dtd">'
        f"<rss version='2.0'><channel><title>Safe &leak;</title>{filler}</channel></rss>"
    ).encode()
    try:
        feed = parse_feed(data, URL)
    except FeedError:
        feed = None
    assert hits == []
    assert feed is None or "LEAKED" not in feed.title


def test_external_dtd_file_is_not_read(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "LEAKED-FROM-FILE">')
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}">'
        "<rss version='2.0'><channel><title>T &leak;</title><item><guid>1</guid></item></channel></rss>"
    ).encode()
    try:
        feed = parse_feed(data, URL)
    except FeedError as exc:
        assert "LEAKED" not in str(exc)
    else:
        assert "LEAKED" not in feed.title


def test_bytes_naming_a_file_are_not_opened() -> None:
    # feedparser.parse(b"/etc/passwd") would read the file; parse_feed must treat the bytes as the document.
    with pytest.raises(FeedError) as caught:
        parse_feed(b"/etc/passwd", URL)
    assert caught.value.kind == "not_xml"


def test_small_literal_entities_are_still_expanded() -> None:
    data = (
        b'<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss version="2.0"><channel>'
        b"<item><guid isPermaLink='false'>&id;2026:1</guid></item></channel></rss>"
    )
    assert parse_feed(data, URL).items[0].guid == "tag:example.com,2026:1"


def test_deeply_nested_document_is_bounded() -> None:
    data = b"<rss><channel><title>t</title>" + b"<x>" * 100_000 + b"</x>" * 100_000 + b"</channel></rss>"
    with pytest.raises(FeedError) as caught:
        parse_feed(data, URL)
    assert caught.value.kind == "hostile"
