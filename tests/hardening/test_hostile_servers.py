"""Hostile servers on loopback, refreshed together with good sources: none stalls the others, each bad one
leaves one clear line on its source's health; compression bombs are cut at the cap end to end."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import subprocess
from pathlib import Path

import brotli
import httpx
import pytest

from akhbar.fetch import Fetcher
from akhbar.pipeline import PipelineContext, RefreshReport, refresh_source
from akhbar.runner.local import pipeline_context, refresh_many

CAP = 256 * 1024
DEADLINE = 2.0
BOMB = b"\0" * (64 * 1024 * 1024)
BROTLI_BOMB = brotli.compress(BOMB, quality=5)


def self_signed(tmp_path: Path) -> ssl.SSLContext:
    """Return a server TLS context with a self-signed certificate for 127.0.0.1, made now with openssl."""
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key_file), "-out", str(cert_file), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Send a head, then one byte a second."""
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nContent-Type: application/rss+xml\r\n\r\n")
    while True:
        writer.write(b"<")
        await writer.drain()
        await asyncio.sleep(1)


async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Send a body that never ends."""
    writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/rss+xml\r\n\r\n")
    while True:
        writer.write(b"<rss>" * 13_000)
        await writer.drain()
        await asyncio.sleep(0)  # let the other test servers on this loop answer too


async def huge_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Send 150 KB of headers before a small body (httpcore reads at most 100 KiB of a response head)."""
    filler = "".join(f"X-Filler-{n}: {'y' * 90}\r\n" for n in range(1500))
    writer.write(f"HTTP/1.1 200 OK\r\n{filler}Content-Length: 2\r\n\r\nok".encode())


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accept the request and never answer."""
    await asyncio.sleep(3600)


def bad_routes(kit: type) -> dict[str, tuple[object, str]]:
    """Return bad servers by name: (route, a word the health line must hold)."""
    return {
        "trickle": (trickle, "within"),
        "endless": (endless, "cap"),
        "headers": (huge_headers, "bad HTTP response"),
        "silent": (silent, "within"),
        "gzip-bomb": (kit.fixed(gzip.compress(BOMB), headers={"Content-Encoding": "gzip"}), "cap"),
        "brotli-bomb": (kit.fixed(BROTLI_BOMB, headers={"Content-Encoding": "br"}), "cap"),
    }


async def test_hostile_servers_do_not_stall_good_sources(settings, servers, kit, store, tmp_path) -> None:
    quick = settings.replace(
        fetch_total_timeout=DEADLINE, fetch_max_bytes=CAP, fetch_article_pages="never", extract_processes=1
    )
    feeds = [kit.feed.replace("g1", f"good{n}") for n in range(3)]
    good = [kit.add_source(store, f"{(await servers(kit.fixed(feed))).url}/feed") for feed in feeds]
    bad = {}
    for name, (route, word) in bad_routes(kit).items():
        bad[kit.add_source(store, f"{(await servers(route)).url}/{name}", name=name)] = word
    tls = await servers(kit.fixed(kit.feed), tls=self_signed(tmp_path))
    bad[kit.add_source(store, f"{tls.url}/feed", name="tls")] = "certificate verify failed"
    order: list[RefreshReport] = []
    async with pipeline_context(quick, store) as ctx:
        sources = [store.source_by_id(i) for i in [*bad, *good]]
        reports = await asyncio.wait_for(refresh_many(ctx, sources, order.append), 8 * DEADLINE)
    by_id = {s.id: r for s, r in zip(sources, reports, strict=True)}
    assert all(by_id[i].ok and by_id[i].new == 1 for i in good), [by_id[i] for i in good]
    # The good sources are done before the slow servers hit their deadline: nothing waited on them.
    position = {r.slug: n for n, r in enumerate(order)}
    good_done = max(position[store.source_by_id(i).slug] for i in good)
    assert good_done < min(position["trickle"], position["silent"])
    for source_id, word in bad.items():
        health = store.source_by_id(source_id)
        assert not by_id[source_id].ok, health.name
        assert word in health.last_error and "\n" not in health.last_error, health.name


async def test_self_signed_certificate_is_accepted_when_configured(
    settings, servers, kit, store, tmp_path
) -> None:
    tls = await servers(kit.fixed(kit.feed), tls=self_signed(tmp_path))
    source_id = kit.add_source(store, f"{tls.url}/feed")
    lenient = settings.replace(fetch_verify_tls=False, fetch_article_pages="never")
    async with Fetcher(lenient) as fetcher:
        ctx = PipelineContext(settings=lenient, fetcher=fetcher, store=store)
        report = await refresh_source(store.source_by_id(source_id), ctx)
    assert report.ok and report.new == 1


PUBLIC = {"news.example.com": ["93.184.215.14"], "inside.example.com": ["127.0.0.1"]}


async def public_looking(host: str, port: int) -> list[str]:
    """Resolve two names without DNS: one to a public address, one to loopback."""
    return PUBLIC[host]


@pytest.mark.parametrize(
    ("location", "word"),
    [
        ("file:///etc/passwd", "refused file: URL scheme"),
        ("http://inside.example.com:{port}/feed", "refused non-public address 127.0.0.1"),
        ("http://127.0.0.1:{port}/feed", "refused non-public address 127.0.0.1"),
        ("http://[::ffff:127.0.0.1]:{port}/feed", "refused non-public address"),
        ("http://169.254.169.254/latest/meta-data/", "refused non-public address 169.254.169.254"),
    ],
)
async def test_redirect_to_file_or_private_address_is_refused(
    location, word, settings, servers, kit, store
) -> None:
    inside = await servers(kit.fixed(kit.feed))  # the private target: it must never see a connection
    target = location.format(port=inside.port)

    def outside(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": target})

    guarded = settings.replace(fetch_allow_private=False, fetch_article_pages="never")
    source_id = kit.add_source(store, "http://news.example.com/feed")
    transport = httpx.MockTransport(outside)
    async with Fetcher(guarded, transport=transport, resolver=public_looking) as fetcher:
        ctx = PipelineContext(settings=guarded, fetcher=fetcher, store=store)
        report = await refresh_source(store.source_by_id(source_id), ctx)
    assert not report.ok
    assert word in store.source_by_id(source_id).last_error
    assert inside.connections == 0
