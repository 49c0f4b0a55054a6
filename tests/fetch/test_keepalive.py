"""Connection reuse: responses we do not read (304, redirects, error pages) leave their connection usable."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from akhbar.config import Settings
from akhbar.fetch import Fetcher, FetchError


class KeepAliveServer:
    """An HTTP/1.1 server on 127.0.0.1 that answers many requests per connection and counts connections."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        self.delay = 0.0
        self.hang_up = False  # close each connection after one response, without saying so
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen on an ephemeral port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    @property
    def url(self) -> str:
        """Return the base URL, without a trailing slash."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    @staticmethod
    def answer(path: str) -> bytes:
        """Return the whole response for a path: 304, a redirect, a 404 page, an ok page."""
        if path.startswith("/feed"):
            return b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n'
        if path.startswith("/moved"):
            return b"HTTP/1.1 301 Moved\r\nLocation: /ok\r\nContent-Length: 7\r\n\r\nmoved.\n"
        if path.startswith("/ok"):
            return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        body = b"<html>" + b"not found " * 200 + b"</html>"
        return b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests += 1
                if self.delay:
                    await asyncio.sleep(self.delay)
                writer.write(self.answer(head.split(b" ", 2)[1].decode()))
                await writer.drain()
                if self.hang_up:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def keepalive() -> AsyncIterator[KeepAliveServer]:
    """Start a KeepAliveServer for one test."""
    srv = KeepAliveServer()
    await srv.start()
    yield srv
    await srv.close()


@pytest.mark.parametrize("path", ["/feed", "/moved", "/missing"])
async def test_unread_bodies_leave_the_connection_reusable(
    settings: Settings, keepalive: KeepAliveServer, path: str
) -> None:
    async with Fetcher(settings) as fetcher:
        for _ in range(5):
            with contextlib.suppress(FetchError):  # the 404 raises; its connection must still be kept
                await fetcher.get(f"{keepalive.url}{path}", etag='"v1"')
    assert keepalive.requests >= 5
    assert keepalive.connections == 1


async def test_not_modified_still_reported(settings: Settings, keepalive: KeepAliveServer) -> None:
    async with Fetcher(settings) as fetcher:
        result = await fetcher.get(f"{keepalive.url}/feed", etag='"v1"')
    assert (result.not_modified, result.etag, result.content) == (True, '"v1"', b"")


async def test_connections_are_kept_with_many_requests_in_flight(
    settings: Settings, keepalive: KeepAliveServer
) -> None:
    # httpcore closes idle connections once the pool holds more than max_keepalive_connections in all:
    # with 30 requests at once, a second round must not open 30 new connections.
    keepalive.delay = 0.05
    async with Fetcher(settings.replace(fetch_per_host=30, fetch_concurrency=30)) as fetcher:
        for _ in range(3):
            await asyncio.gather(*(fetcher.get(f"{keepalive.url}/feed?{i}", etag='"v1"') for i in range(30)))
    assert keepalive.requests == 90
    assert keepalive.connections <= 30


async def test_a_connection_the_server_closed_is_not_reused(
    settings: Settings, keepalive: KeepAliveServer
) -> None:
    keepalive.hang_up = True
    async with Fetcher(settings) as fetcher:
        for _ in range(3):
            result = await fetcher.get(f"{keepalive.url}/ok")
            assert result.content == b"ok"
            await asyncio.sleep(0.05)  # the server's close reaches the idle connection
    assert keepalive.connections == 3


async def test_polled_stream_tells_an_idle_connection_from_a_closed_one() -> None:
    import httpcore

    from akhbar.fetch.transport import PolledStream, ReadableSockets

    closed = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await closed.wait()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sockets = ReadableSockets()
    stream = PolledStream(await httpcore.AnyIOBackend().connect_tcp("127.0.0.1", port), sockets)
    try:
        assert stream.get_extra_info("is_readable") is False
        closed.set()
        for _ in range(100):
            if stream.get_extra_info("is_readable"):
                break
            await asyncio.sleep(0.01)
        assert stream.get_extra_info("is_readable") is True
        assert stream.get_extra_info("server_addr")[1] == port
    finally:
        await stream.aclose()
        sockets.close()
        server.close()
    assert stream.get_extra_info("is_readable") is True  # closed: asked of the stream, as httpcore does


async def test_kept_alive_pool_shares_its_connections_within_its_limit() -> None:
    from akhbar.fetch.transport import KeptAlivePool

    first, second = KeepAliveServer(), KeepAliveServer()
    await first.start()
    await second.start()
    first.delay = 0.02
    try:
        async with KeptAlivePool(max_connections=2, max_keepalive_connections=2) as pool:
            answers = await asyncio.gather(*(pool.request("GET", f"{first.url}/ok?{n}") for n in range(6)))
            assert [a.status for a in answers] == [200] * 6
            assert first.connections == 2  # six requests queued on two connections
            assert (await pool.request("GET", f"{second.url}/ok")).status == 200
            assert second.connections == 1  # an idle connection of the other origin made room
            assert len(pool.connections) == 2
    finally:
        await first.close()
        await second.close()
