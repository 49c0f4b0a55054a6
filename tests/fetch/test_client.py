"""Fetcher against real loopback servers: validators, limits, deadlines, caps, redirects, errors."""

from __future__ import annotations

import asyncio
import gzip
import socket
import zlib
from collections.abc import Awaitable, Callable

import brotli
import pytest

from akhbar.config import Settings
from akhbar.fetch import FEED_ACCEPT, Fetcher, FetchError
from akhbar.fetch.inflate import PIECE, InflateError, decoder_for

from .loopback import AsyncServer, Request, http_response

ETAG = '"v1"'
LAST_MODIFIED = "Sat, 28 Nov 2026 10:00:00 GMT"


def conditional_route(request: Request) -> bytes:
    """Answer 304 when the client's validators match, else the feed with validators."""
    validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED, "Cache-Control": "public, max-age=600"}
    if (
        request.headers.get("if-none-match") == ETAG
        or request.headers.get("if-modified-since") == LAST_MODIFIED
    ):
        return http_response(304, b"", validators)
    return http_response(
        200, b"<rss>1</rss>", {**validators, "Content-Type": "application/rss+xml; charset=utf-8"}
    )


def route(make: Callable[[Request], bytes]) -> Callable[[Request, asyncio.StreamWriter], Awaitable[None]]:
    """Wrap a function building a whole response into a server route."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(make(request))

    return handler


async def test_first_fetch_returns_body_and_validators(settings: Settings, server: AsyncServer) -> None:
    server.routes["/feed"] = route(conditional_route)
    async with Fetcher(settings) as fetcher:
        result = await fetcher.get(f"{server.url}/feed")
    assert (result.status, result.content, result.not_modified) == (200, b"<rss>1</rss>", False)
    assert (result.etag, result.last_modified, result.max_age) == (ETAG, LAST_MODIFIED, 600)
    assert result.content_type == "application/rss+xml"
    assert result.text() == "<rss>1</rss>"
    assert result.headers["CONTENT-TYPE"].startswith("application/rss+xml")
    assert "if-none-match" not in server.requests[0].headers


@pytest.mark.parametrize(("etag", "last_modified"), [(ETAG, ""), ("", LAST_MODIFIED), (ETAG, LAST_MODIFIED)])
async def test_conditional_get_gives_not_modified(
    settings: Settings, server: AsyncServer, etag: str, last_modified: str
) -> None:
    server.routes["/feed"] = route(conditional_route)
    async with Fetcher(settings) as fetcher:
        result = await fetcher.get(f"{server.url}/feed", etag=etag, last_modified=last_modified)
    assert (result.status, result.not_modified, result.content) == (304, True, b"")
    sent = server.requests[0].headers
    assert sent.get("if-none-match", "") == etag
    assert sent.get("if-modified-since", "") == last_modified


async def test_user_agent_accept_and_encodings_are_sent(settings: Settings, server: AsyncServer) -> None:
    server.reply("/feed", b"x")
    async with Fetcher(settings) as fetcher:
        await fetcher.get(f"{server.url}/feed")
    sent = server.requests[0].headers
    assert sent["user-agent"] == settings.user_agent
    assert "akhbar/" in sent["user-agent"] and settings.base_url in sent["user-agent"]
    assert sent["accept"] == FEED_ACCEPT
    assert {"gzip", "deflate", "br"} <= {c.strip() for c in sent["accept-encoding"].split(",")}


def slow_route(counter: dict[str, int]) -> Callable[[Request, asyncio.StreamWriter], Awaitable[None]]:
    """Return a route that holds each request briefly and records the most requests seen at once."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        counter["now"] += 1
        counter["max"] = max(counter["max"], counter["now"])
        await asyncio.sleep(0.05)
        counter["now"] -= 1
        writer.write(http_response(200, b"ok"))

    return handler


async def test_no_more_than_two_requests_in_flight_per_host(settings: Settings, server: AsyncServer) -> None:
    counter = {"now": 0, "max": 0}
    server.routes["/slow"] = slow_route(counter)
    async with Fetcher(settings.replace(fetch_per_host=2)) as fetcher:
        results = await asyncio.gather(*(fetcher.get(f"{server.url}/slow?{i}") for i in range(8)))
    assert [r.content for r in results] == [b"ok"] * 8
    assert counter["max"] == 2


async def test_global_limit_spans_hosts(settings: Settings, server: AsyncServer) -> None:
    other = AsyncServer()
    await other.start()
    counter = {"now": 0, "max": 0}
    server.routes["/slow"] = other.routes["/slow"] = slow_route(counter)
    try:
        async with Fetcher(settings.replace(fetch_per_host=2, fetch_concurrency=3)) as fetcher:
            urls = [f"{s.url}/slow?{i}" for s in (server, other) for i in range(4)]
            await asyncio.gather(*(fetcher.get(u) for u in urls))
    finally:
        await other.close()
    assert counter["max"] == 3


async def test_trickling_body_is_cut_by_total_deadline(settings: Settings, server: AsyncServer) -> None:
    async def trickle(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(1000):
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(0.05)

    server.routes["/feed"] = trickle
    async with Fetcher(settings.replace(fetch_total_timeout=0.4)) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/feed")
    assert info.value.kind == "timeout"
    assert str(info.value) == f"fetch: no complete response within 0.4 s from {server.url}/feed"


async def test_endless_body_is_cut_at_the_cap(settings: Settings, server: AsyncServer) -> None:
    async def endless(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        while True:
            writer.write(b"a" * 65536)
            await writer.drain()

    server.routes["/feed"] = endless
    async with Fetcher(settings.replace(fetch_max_bytes=300_000)) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/feed")
    assert info.value.kind == "too_large"
    assert str(info.value) == f"fetch: body exceeds the 300000 bytes cap for {server.url}/feed"


async def test_announced_length_over_the_cap_is_refused_before_reading(
    settings: Settings, server: AsyncServer
) -> None:
    async def huge(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 20000000\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(30)  # never sends the body: reading it would hit the deadline instead

    server.routes["/feed"] = huge
    async with Fetcher(settings.replace(fetch_max_bytes=10 * 1024 * 1024, fetch_total_timeout=20)) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/feed")
    assert info.value.kind == "too_large"
    assert "exceeds the 10 MB cap" in str(info.value)


ZEROS = b"\0" * (64 * 1024 * 1024)


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", lambda: gzip.compress(ZEROS, compresslevel=9)),
        ("deflate", lambda: zlib.compress(ZEROS, 9)),
        ("br", lambda: brotli.compress(ZEROS, quality=5)),
    ],
)
async def test_compression_bomb_is_cut_at_the_cap(
    settings: Settings, server: AsyncServer, coding: str, compress: Callable[[], bytes]
) -> None:
    bomb = compress()
    assert len(bomb) < 1024 * 1024
    server.reply("/feed", bomb, headers={"Content-Encoding": coding})
    async with Fetcher(settings.replace(fetch_max_bytes=1024 * 1024)) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/feed")
    assert info.value.kind == "too_large"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_decoders_never_produce_a_large_piece(coding: str) -> None:
    payloads = {
        "gzip": lambda: gzip.compress(ZEROS[: 8 << 20]),
        "deflate": lambda: zlib.compress(ZEROS[: 8 << 20]),
        "br": lambda: brotli.compress(ZEROS[: 8 << 20], quality=5),
    }
    decoder = decoder_for(coding)
    sizes = [len(p) for p in decoder.feed(payloads[coding]())] + [len(p) for p in decoder.finish()]
    assert max(sizes) <= 2 * PIECE  # brotli's limit stops buffer growth, so it can overshoot a little
    assert sum(sizes) == 8 << 20


def test_unknown_content_encoding_is_refused() -> None:
    with pytest.raises(InflateError, match="unsupported content encoding 'zstd'"):
        decoder_for("zstd")


BODY = ("<rss>" + "Nouvelles du jour, أخبار اليوم, noticias del día. " * 200 + "</rss>").encode("utf-8")


@pytest.mark.parametrize(
    ("coding", "payload"),
    [
        ("gzip", gzip.compress(BODY)),
        ("deflate", zlib.compress(BODY)),
        ("deflate", zlib.compress(BODY)[2:-4]),  # raw deflate, as some servers send it
        ("br", brotli.compress(BODY)),
        ("identity", BODY),
    ],
)
async def test_compressed_bodies_are_decoded(
    settings: Settings, server: AsyncServer, coding: str, payload: bytes
) -> None:
    server.reply("/feed", payload, headers={"Content-Encoding": coding})
    async with Fetcher(settings) as fetcher:
        result = await fetcher.get(f"{server.url}/feed")
    assert result.content == BODY


async def test_body_exactly_at_the_cap_is_accepted(settings: Settings, server: AsyncServer) -> None:
    server.reply("/feed", b"z" * 4096)
    async with Fetcher(settings.replace(fetch_max_bytes=4096)) as fetcher:
        assert len((await fetcher.get(f"{server.url}/feed")).content) == 4096


async def test_redirects_are_followed_to_the_final_url(settings: Settings, server: AsyncServer) -> None:
    server.reply("/old", status=301, headers={"Location": f"{server.url}/middle"})
    server.reply("/middle", status=307, headers={"Location": "/new?x=1"})
    server.reply("/new", b"here")
    async with Fetcher(settings) as fetcher:
        result = await fetcher.get(f"{server.url}/old")
    assert (result.url, result.content) == (f"{server.url}/new?x=1", b"here")


async def test_redirect_loop_is_refused(settings: Settings, server: AsyncServer) -> None:
    server.reply("/a", status=302, headers={"Location": "/b"})
    server.reply("/b", status=302, headers={"Location": "/a"})
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/a")
    assert info.value.kind == "redirects"
    assert "redirect loop" in str(info.value)


@pytest.mark.parametrize(("hops", "ok"), [(5, True), (6, False)])
async def test_redirect_count_is_capped(settings: Settings, server: AsyncServer, hops: int, ok: bool) -> None:
    for i in range(hops):
        server.reply(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    server.reply(f"/r{hops}", b"end")
    async with Fetcher(settings.replace(fetch_max_redirects=5)) as fetcher:
        if ok:
            assert (await fetcher.get(f"{server.url}/r0")).content == b"end"
            return
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/r0")
    assert info.value.kind == "redirects"
    assert "more than 5 redirects" in str(info.value)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://127.0.0.1/", "ftp://example.org/feed"])
async def test_redirect_to_other_scheme_is_refused(
    settings: Settings, server: AsyncServer, location: str
) -> None:
    server.reply("/feed", status=302, headers={"Location": location})
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/feed")
    assert info.value.kind == "scheme"


@pytest.mark.parametrize(
    ("status", "permanent", "message"),
    [
        (404, False, "HTTP 404 Not Found"),
        (500, False, "HTTP 500 Internal Server Error"),
        (410, True, "HTTP 410 Gone"),
    ],
)
async def test_http_errors(
    settings: Settings, server: AsyncServer, status: int, permanent: bool, message: str
) -> None:
    async def answer(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(http_response(status).replace(b" X\r\n", b"\r\n", 1))  # no reason phrase: ours is used

    server.routes["/feed"] = answer
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}/feed")
    assert (info.value.kind, info.value.status, info.value.permanent) == ("http", status, permanent)
    assert str(info.value) == f"fetch: {message} for {server.url}/feed"


async def test_connection_refused(settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"http://127.0.0.1:{port}/feed")
    assert info.value.kind == "connect"
    assert str(info.value) == f"fetch: connection refused by 127.0.0.1:{port}"


async def raw_server(reply: bytes) -> asyncio.Server:
    """Start a TCP server that writes reply to every connection and closes it."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(reply)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0)


@pytest.mark.parametrize(
    ("scheme", "reply", "kind"),
    [
        ("https", b"HTTP/1.1 400 Bad Request\r\n\r\nnot tls at all", "tls"),
        ("http", b"this is not HTTP\r\n\r\n", "protocol"),
    ],
)
async def test_broken_servers_give_typed_errors(
    settings: Settings, scheme: str, reply: bytes, kind: str
) -> None:
    srv = await raw_server(reply)
    port = srv.sockets[0].getsockname()[1]
    try:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(FetchError) as info:
                await fetcher.get(f"{scheme}://127.0.0.1:{port}/feed")
    finally:
        srv.close()
    assert info.value.kind == kind
    assert "\n" not in str(info.value) and str(info.value).startswith("fetch: ")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("ftp://example.org/feed", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("http://", "url"),
        ("feed", "scheme"),
    ],
)
async def test_bad_urls_are_refused(settings: Settings, url: str, kind: str) -> None:
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(url)
    assert info.value.kind == kind
