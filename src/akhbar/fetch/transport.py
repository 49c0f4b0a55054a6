"""An httpx transport that connects only to the addresses the SSRF guard checked (no DNS rebinding)."""

from __future__ import annotations

import asyncio
import contextlib
import select
import ssl
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

import httpcore
import httpx
from httpcore._async.interfaces import AsyncConnectionInterface

from akhbar.fetch.errors import FetchError

# host -> addresses checked by the guard for the request running in this task. httpcore opens a new
# connection in the task that sends the request, so a context variable reaches the backend below.
_PINS: ContextVar[dict[str, list[str]] | None] = ContextVar("akhbar_fetch_pins", default=None)


@contextlib.contextmanager
def pinned(host: str, addresses: list[str]) -> Iterator[None]:
    """Pin host to addresses for connections opened inside this block."""
    token = _PINS.set({host.lower(): list(addresses)})
    try:
        yield
    finally:
        _PINS.reset(token)


class ReadableSockets:
    """Tell which kept-alive sockets are readable (closed by the server): one epoll_wait per loop turn.

    httpcore asks every pooled connection "has the server closed you?" each time it queues a request and
    each time a response is closed; anyio answered by building all of a socket's attributes (getpeername
    and more), then one poll(2) per connection: with tens of kept-alive connections, a third of a 304
    pass's CPU. Here the sockets sit in one epoll set and the answer of one epoll_wait serves every
    question asked until the event loop's next turn (the pool asks them all in one synchronous sweep).
    """

    def __init__(self) -> None:
        self._epoll = select.epoll() if hasattr(select, "epoll") else None
        self._watched: set[int] = set()
        self._ready: frozenset[int] | None = None

    def watch(self, fd: int) -> bool:
        """Add a socket's descriptor; return False where it cannot be watched (then poll it alone)."""
        if self._epoll is None or fd < 0:
            return False
        if fd in self._watched:  # the same socket again, under TLS
            return True
        try:
            self._epoll.register(fd, select.EPOLLIN)
        except OSError:
            return False
        self._watched.add(fd)
        return True

    def forget(self, fd: int) -> None:
        """Remove a descriptor before its socket is closed (its number can then be reused)."""
        if self._epoll is None or fd not in self._watched:
            return
        self._watched.discard(fd)
        with contextlib.suppress(OSError, ValueError):  # already closed: the kernel dropped it
            self._epoll.unregister(fd)

    def readable(self, fd: int) -> bool:
        """Return whether the descriptor is readable, as of this turn of the event loop."""
        ready = self._ready
        if ready is None:
            assert self._epoll is not None
            ready = frozenset(found for found, _ in self._epoll.poll(0, len(self._watched) + 1))
            try:
                asyncio.get_running_loop().call_soon(self._expire)
                self._ready = ready
            except RuntimeError:  # no running loop: this answer serves this question only
                pass
        return fd in ready

    def _expire(self) -> None:
        self._ready = None

    def close(self) -> None:
        """Close the epoll set."""
        if self._epoll is not None:
            self._epoll.close()


class PolledStream(httpcore.AsyncNetworkStream):
    """A connection's stream whose idle check is answered by ReadableSockets."""

    def __init__(self, inner: httpcore.AsyncNetworkStream, sockets: ReadableSockets) -> None:
        self._inner = inner
        self._sockets = sockets
        sock = inner.get_extra_info("socket")
        self._fd = sock.fileno() if sock is not None else -1
        if not sockets.watch(self._fd):
            self._fd = -1  # asked of the stream itself, as httpcore does

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read from the wrapped stream."""
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Write to the wrapped stream."""
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        """Stop watching the socket, then close the wrapped stream."""
        if self._fd >= 0:
            self._sockets.forget(self._fd)
            self._fd = -1
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        """Start TLS on the wrapped stream; the TLS stream's socket stays watched."""
        return PolledStream(await self._inner.start_tls(ssl_context, server_hostname, timeout), self._sockets)

    def get_extra_info(self, info: str) -> object:
        """Answer is_readable from the shared epoll set (a closed peer reads as readable)."""
        if info == "is_readable" and self._fd >= 0:
            return self._sockets.readable(self._fd)
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Open TCP connections to the pinned addresses of a host instead of resolving it again."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()
        self.sockets = ReadableSockets()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the first pinned address that answers; refuse a host that was not checked."""
        addresses = (_PINS.get() or {}).get(host.lower())
        if not addresses:
            raise FetchError("blocked_address", f"refused to connect to unchecked host {host}")
        last: Exception | None = None
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
                return PolledStream(stream, self.sockets)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refuse Unix sockets: the fetcher only speaks TCP."""
        raise FetchError("scheme", "Unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        """Sleep with the wrapped backend."""
        await self._inner.sleep(seconds)


class KeptAlivePool(httpcore.AsyncConnectionPool):
    """httpcore's pool with its clean-up sweep made linear: it counted every connection for each idle one.

    httpcore 1.0 asks `len([c.is_idle() for c in connections])` (which is `len(connections)`) inside its
    loop over the connections: with 32 kept-alive connections, 1,000 calls each time a request is queued
    or a response closed, a quarter of a 304 pass's CPU. The rest is httpcore 1.0.9's code unchanged.
    """

    def _assign_requests_to_connections(self) -> list[AsyncConnectionInterface]:
        closing: list[AsyncConnectionInterface] = []
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif connection.has_expired() or (
                connection.is_idle() and len(self._connections) > self._max_keepalive_connections
            ):
                self._connections.remove(connection)
                closing.append(connection)
        for pool_request in [request for request in self._requests if request.is_queued()]:
            origin = pool_request.request.url.origin
            available = [c for c in self._connections if c.can_handle_request(origin) and c.is_available()]
            if available:
                pool_request.assign_to_connection(available[0])
                continue
            if len(self._connections) >= self._max_connections:
                idle = next((c for c in self._connections if c.is_idle()), None)
                if idle is None:
                    continue  # the request waits for a connection to be released
                self._connections.remove(idle)
                closing.append(idle)
            connection = self.create_connection(origin)
            self._connections.append(connection)
            pool_request.assign_to_connection(connection)
        return closing


class PinnedTransport(httpx.AsyncHTTPTransport):
    """The default httpx transport, with its connection pool using PinnedBackend."""

    def __init__(self, *, http2: bool, limits: httpx.Limits, verify: bool = True) -> None:
        super().__init__(http2=http2, limits=limits, trust_env=False, verify=verify)
        # httpx 0.28 does not take a network backend, so rebuild its pool with the same options plus ours.
        self._backend = PinnedBackend()
        self._pool = KeptAlivePool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=self._backend,
        )

    async def aclose(self) -> None:
        """Close the pool's connections, then the set that watched their sockets."""
        await super().aclose()
        self._backend.sockets.close()
