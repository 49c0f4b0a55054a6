"""Fixtures of the hardening tests: a raw hostile server, a connection counter and a store with sources."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from akhbar.config import Settings
from akhbar.fetch import Fetcher
from akhbar.models import SourceSpec
from akhbar.pipeline import PipelineContext
from akhbar.store import Store

T = TypeVar("T")
Route = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Good wire</title>'
    "<item><guid>g1</guid><title>Le port de Tanger agrandit son terminal</title>"
    "<link>http://127.0.0.1:9/a/g1</link><description>Un texte court pour la source saine.</description>"
    "</item></channel></rss>"
)


def response(body: bytes, *, status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    """Return a whole HTTP/1.1 response with Content-Length and Connection: close."""
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class RawServer:
    """An asyncio server on 127.0.0.1 that counts connections and runs one route for every request."""

    route: Route | None = None
    tls: ssl.SSLContext | None = None
    connections: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> RawServer:
        """Listen on an ephemeral port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        return self

    @property
    def port(self) -> int:
        """Return the port listened on."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """Return the base URL (no trailing slash)."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    async def close(self) -> None:
        """Stop listening and cancel handlers still running."""
        for task in list(self._tasks):
            task.cancel()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            if self.route is not None:
                with contextlib.suppress(asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    await reader.readuntil(b"\r\n\r\n")
                    await self.route(reader, writer)
                    await writer.drain()
        except (ConnectionError, asyncio.CancelledError, ssl.SSLError):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()


class ServerThread:
    """An event loop in its own thread for the hostile servers, so that a greedy one cannot starve the
    loop of the code under test (a real hostile server is another machine)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.started: list[RawServer] = []

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the servers' loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=10)

    async def start(self, route: Route | None = None, tls: ssl.SSLContext | None = None) -> RawServer:
        """Start a RawServer on the servers' loop."""
        server = RawServer(route=route, tls=tls)
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(server.start(), self.loop))
        self.started.append(server)
        return server

    def stop(self) -> None:
        """Close every server and stop the loop."""
        for server in self.started:
            self.call(server.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def servers() -> Iterator[Callable[..., Awaitable[RawServer]]]:
    """Start RawServers on demand (on their own thread's loop) and close them all afterwards."""
    pool = ServerThread()
    yield pool.start
    pool.stop()


def fixed(body: bytes | str, **kwargs: object) -> Route:
    """Return a route answering every request with the same response."""
    data = response(body.encode() if isinstance(body, str) else body, **kwargs)  # type: ignore[arg-type]

    async def route(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(data)

    return route


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """Open a fresh SQLite store for one test."""
    opened = Store.open(settings.database_url_effective)
    yield opened
    opened.close()


def add_source(store: Store, feed_url: str, name: str = "") -> int:
    """Register a source whose feed is feed_url and return its id."""
    return store.add_source(SourceSpec(url=feed_url, feed_url=feed_url, name=name or feed_url)).id


@pytest.fixture
async def context(settings: Settings, store: Store) -> AsyncIterator[PipelineContext]:
    """Return a pipeline context with extraction in process and article pages never fetched."""
    quick = settings.replace(fetch_article_pages="never")
    async with Fetcher(quick) as fetcher:
        yield PipelineContext(settings=quick, fetcher=fetcher, store=store)


class Kit:
    """The helpers above, handed to test modules as a fixture (test modules do not import conftest)."""

    feed = FEED
    response = staticmethod(response)
    fixed = staticmethod(fixed)
    add_source = staticmethod(add_source)


@pytest.fixture
def kit() -> type[Kit]:
    """Return the helpers of the hardening tests."""
    return Kit
