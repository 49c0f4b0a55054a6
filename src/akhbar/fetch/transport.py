"""An httpx transport that connects only to the addresses the SSRF guard checked (no DNS rebinding)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

import httpcore
import httpx

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


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Open TCP connections to the pinned addresses of a host instead of resolving it again."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

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
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
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


class PinnedTransport(httpx.AsyncHTTPTransport):
    """The default httpx transport, with its connection pool using PinnedBackend."""

    def __init__(self, *, http2: bool, limits: httpx.Limits, verify: bool = True) -> None:
        super().__init__(http2=http2, limits=limits, trust_env=False, verify=verify)
        # httpx 0.28 does not take a network backend, so rebuild its pool with the same options plus ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=PinnedBackend(),
        )
