"""The Fetcher: polite, bounded, SSRF-guarded HTTP GETs for feeds and article pages."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType

import httpx

from akhbar.config import Settings
from akhbar.fetch.errors import FetchError
from akhbar.fetch.guard import Resolver, resolve_checked, system_resolver
from akhbar.fetch.inflate import ACCEPT_ENCODING
from akhbar.fetch.limits import Limiter
from akhbar.fetch.response import FetchResult, http_error, read_capped, result_from, transport_error
from akhbar.fetch.robots import RobotsCache
from akhbar.fetch.transport import PinnedTransport, pinned

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Longest single wait between retries; a server asking for more is left to the scheduler.
MAX_WAIT = 30.0
# First backoff step in seconds; it doubles on each retry (then jitter takes up to half of it off).
BACKOFF_BASE = 1.0
# Google reads the first 500 KiB of a robots.txt; a larger one is treated as absent.
ROBOTS_MAX_BYTES = 512 * 1024
# A body we do not want (304, redirect, error page) is read up to this size before the response is closed:
# httpcore keeps a connection for the next request only when its last response was read to the end, and
# without this every 304 cost a new TCP connection. A longer body is left unread and its connection closed.
DRAIN_MAX_BYTES = 64 * 1024
DRAIN_SECONDS = 1.0  # ...and for at most this long: a slow error page must not delay its error

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Redirect:
    location: str


def _http2_available() -> bool:
    """Return True when the h2 package is installed (httpx needs it for HTTP/2)."""
    return importlib.util.find_spec("h2") is not None


def _checked_url(url: str) -> tuple[str, int]:
    """Return (host, port) of an http(s) URL; raise FetchError for anything else."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchError("url", f"invalid URL {url!r}", url=url) from None
    if parsed.scheme not in ("http", "https"):
        if not parsed.scheme:
            raise FetchError("scheme", f"URL {url!r} has no scheme (only http and https)", url=url)
        message = f"refused {parsed.scheme}: URL scheme in {url} (only http and https)"
        raise FetchError("scheme", message, url=url)
    if not parsed.host:
        raise FetchError("url", f"invalid URL {url!r} (no host)", url=url)
    # The ASCII (IDNA) form is what DNS resolves and what httpcore names when it opens the connection.
    return parsed.raw_host.decode("ascii"), parsed.port or (443 if parsed.scheme == "https" else 80)


def _join(base: str, location: str) -> str:
    """Return the absolute URL of a redirect's Location."""
    try:
        return str(httpx.URL(base).join(location.strip()))
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchError("url", f"invalid redirect Location {location!r} from {base}", url=base) from None


async def _drain(response: httpx.Response) -> None:
    """Read a short unwanted body to its end, so that its connection can serve the next request."""
    length = response.headers.get("content-length", "").strip()
    if response.is_stream_consumed or (length.isdigit() and int(length) > DRAIN_MAX_BYTES):
        return
    read = 0
    # Closed unread (too long, too slow, broken), the response's connection is dropped as it always was.
    with contextlib.suppress(httpx.HTTPError, TimeoutError):
        async with asyncio.timeout(DRAIN_SECONDS):
            async for raw in response.aiter_raw():
                read += len(raw)
                if read > DRAIN_MAX_BYTES:
                    return


class Fetcher:
    """Fetch URLs with conditional GET, robots.txt, politeness limits, retries and hard size/time limits."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._settings = settings
        self._resolver = resolver or system_resolver
        self._sleep = sleep
        self._rng = rng
        self._limiter = Limiter(settings.fetch_per_host, settings.fetch_concurrency)
        self._robots = RobotsCache(self._load_robots, settings.user_agent)
        connections = max(100, settings.fetch_concurrency * 2)
        # Keep every idle connection alive: httpcore closes an idle one as soon as the pool holds more
        # connections, busy or idle, than max_keepalive_connections (20 by default), so with more requests
        # in flight than that each response's connection was closed and the next request opened a new one.
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self._client = httpx.AsyncClient(
            transport=transport
            or PinnedTransport(http2=_http2_available(), limits=limits, verify=settings.fetch_verify_tls),
            timeout=httpx.Timeout(settings.fetch_total_timeout, connect=settings.fetch_connect_timeout),
            follow_redirects=False,
            trust_env=False,  # an environment proxy would bypass the address pinning
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def get(
        self, url: str, *, etag: str = "", last_modified: str = "", accept: str = FEED_ACCEPT
    ) -> FetchResult:
        """Fetch url (following redirects), retrying 429/503 and transient errors; raise FetchError."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return await self._follow(
                    url,
                    headers,
                    robots=self._settings.fetch_respect_robots,
                    max_bytes=self._settings.fetch_max_bytes,
                )
            except FetchError as exc:
                wait = self._retry_wait(exc, attempt)
                if wait is None:
                    raise
                log.info("fetch: retrying %s in %.1f s after: %s", url, wait, exc)
            attempt += 1
            await self._sleep(wait)

    def _retry_wait(self, exc: FetchError, attempt: int) -> float | None:
        """Return how long to wait before retrying after exc, or None to give up."""
        transient = (exc.kind == "http" and exc.status in (429, 503)) or exc.kind in ("connect", "protocol")
        if not transient or attempt >= self._settings.fetch_retries:
            return None
        if exc.retry_after is not None:
            return exc.retry_after if exc.retry_after <= MAX_WAIT else None
        step = min(MAX_WAIT, BACKOFF_BASE * 2**attempt)
        # "Equal jitter": half fixed so waits still grow, half random so clients do not retry in step.
        return step / 2 + self._rng() * step / 2

    async def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool, max_bytes: int
    ) -> FetchResult:
        """Fetch url, following redirects by hand so that the guard checks every hop."""
        seen = {url}
        current = url
        for _ in range(self._settings.fetch_max_redirects + 1):
            outcome = await self._hop(current, headers, robots=robots, max_bytes=max_bytes)
            if isinstance(outcome, FetchResult):
                return outcome
            target = _join(current, outcome.location)
            if target in seen:
                raise FetchError("redirects", f"redirect loop at {target} (from {url})", url=url)
            seen.add(target)
            current = target
        limit = self._settings.fetch_max_redirects
        raise FetchError("redirects", f"more than {limit} redirects from {url}", url=url)

    async def _hop(
        self, url: str, headers: dict[str, str], *, robots: bool, max_bytes: int
    ) -> FetchResult | _Redirect:
        """Make one request (no redirect following) within the guard, robots.txt and the limits."""
        host, port = _checked_url(url)
        addresses = await resolve_checked(
            host,
            port,
            resolver=self._resolver,
            allow_private=self._settings.fetch_allow_private,
            timeout=self._settings.fetch_connect_timeout,
            url=url,
        )
        if robots and not await self._robots.allowed(url):
            raise FetchError("robots", f"robots.txt of {host} disallows {url}", url=url)
        total = self._settings.fetch_total_timeout
        async with self._limiter.slot(f"{host}:{port}"):
            with pinned(host, addresses):
                try:
                    # The whole exchange, body included, shares one deadline: a trickling server is cut.
                    async with asyncio.timeout(total):
                        return await self._send(url, f"{host}:{port}", headers, max_bytes)
                except TimeoutError:
                    raise FetchError(
                        "timeout", f"no complete response within {total:g} s from {url}", url=url
                    ) from None

    async def _send(
        self, url: str, where: str, headers: dict[str, str], max_bytes: int
    ) -> FetchResult | _Redirect:
        """Send one GET and turn its response into a result, a redirect or a FetchError."""
        timeouts = (self._settings.fetch_connect_timeout, self._settings.fetch_total_timeout)
        try:
            request = self._client.build_request("GET", url, headers=headers)
            response = await self._client.send(request, stream=True)
            try:
                return await self._handle(response, url, max_bytes)
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            raise transport_error(exc, url, where, timeouts) from exc
        except httpx.InvalidURL:
            raise FetchError("url", f"invalid URL {url!r}", url=url) from None
        except OSError as exc:  # a socket or TLS error that httpx did not wrap
            raise FetchError("connect", f"connection to {where} failed ({exc})", url=url) from exc

    async def _handle(self, response: httpx.Response, url: str, max_bytes: int) -> FetchResult | _Redirect:
        """Classify a response by status and read its body when it is wanted."""
        status = response.status_code
        if status in REDIRECT_CODES and response.headers.get("location"):
            await _drain(response)
            return _Redirect(response.headers["location"])
        if status == 304:
            await _drain(response)
            return result_from(response, url, b"")
        if not 200 <= status < 300:
            await _drain(response)
            raise http_error(response, url)
        return result_from(response, url, await read_capped(response, url, max_bytes))

    async def _load_robots(self, location: str) -> str | None:
        """Return the text of a robots.txt, or None (allow all) when it is missing or unreachable."""
        try:
            result = await self._follow(
                location, {"Accept": "text/plain, */*;q=0.5"}, robots=False, max_bytes=ROBOTS_MAX_BYTES
            )
        except FetchError as exc:
            # RFC 9309 says 5xx means "disallow all"; we follow the simpler rule of most feed readers.
            log.info("fetch: robots.txt unavailable, allowing all: %s", exc)
            return None
        return result.text()
