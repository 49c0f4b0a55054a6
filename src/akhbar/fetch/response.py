"""What a fetch returns, and how an httpx response or exception becomes a FetchResult or a FetchError."""

from __future__ import annotations

import email.utils
import http
import re
import ssl
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from akhbar.fetch.encoding import decode_body
from akhbar.fetch.errors import FetchError
from akhbar.fetch.inflate import Decoder, InflateError, decoder_for

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass
class FetchResult:
    """A successful fetch: the final URL, the status (200-299 or 304), the decoded body and cache hints."""

    url: str
    status: int
    content: bytes
    headers: httpx.Headers
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    max_age: int | None = None
    content_type: str = ""

    def text(self) -> str:
        """Return the body as text, decoded with decode_body()."""
        return decode_body(self.content, self.headers.get("content-type", ""))


def result_from(response: httpx.Response, url: str, content: bytes) -> FetchResult:
    """Build a FetchResult from a response whose body was read as content."""
    headers = response.headers
    return FetchResult(
        url=url,
        status=response.status_code,
        content=content,
        headers=headers,
        etag=headers.get("etag", ""),
        last_modified=headers.get("last-modified", ""),
        not_modified=response.status_code == 304,
        max_age=parse_max_age(headers.get("cache-control", "")),
        content_type=headers.get("content-type", "").split(";", 1)[0].strip().lower(),
    )


def parse_max_age(cache_control: str) -> int | None:
    """Return the max-age of a Cache-Control header in seconds, or None."""
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Return the seconds a Retry-After header (delay or HTTP-date) asks to wait, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def http_error(response: httpx.Response, url: str) -> FetchError:
    """Return the FetchError for an unwanted HTTP status."""
    status = response.status_code
    reason = response.reason_phrase
    if not reason:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = "status"
    retry_after = parse_retry_after(response.headers.get("retry-after")) if status in (429, 503) else None
    return FetchError(
        "http",
        f"HTTP {status} {reason} for {url}",
        url=url,
        status=status,
        retry_after=retry_after,
        permanent=status == 410,
    )


def _cap_text(max_bytes: int) -> str:
    """Return a cap in words: '10 MB' when it is a whole number of MiB, else bytes."""
    mib = 1024 * 1024
    return f"{max_bytes // mib} MB" if max_bytes % mib == 0 else f"{max_bytes} bytes"


def too_large(url: str, max_bytes: int) -> FetchError:
    """Return the FetchError for a body over the cap."""
    return FetchError("too_large", f"body exceeds the {_cap_text(max_bytes)} cap for {url}", url=url)


async def _decoded(response: httpx.Response, decoder: Decoder) -> AsyncIterator[bytes]:
    """Yield the decompressed body of a streamed response in bounded pieces."""
    if response.is_stream_consumed:
        # A response built in memory (httpx.MockTransport) has been read and decoded by httpx already.
        yield response.content
        return
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            yield piece
    for piece in decoder.finish():
        yield piece


async def read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """Read and decompress a streamed body, refusing it as soon as it passes max_bytes."""
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > max_bytes:
        raise too_large(url, max_bytes)
    try:
        decoder = decoder_for(response.headers.get("content-encoding", ""))
        parts: list[bytes] = []
        total = 0
        async for piece in _decoded(response, decoder):
            total += len(piece)
            if total > max_bytes:
                raise too_large(url, max_bytes)
            parts.append(piece)
    except InflateError as exc:
        raise FetchError("protocol", f"{exc} from {url}", url=url) from None
    return b"".join(parts)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """Return the first exception of type kind in exc's cause/context chain."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _reason(exc: BaseException) -> str:
    """Return a short reason for an exception, never empty."""
    text = str(exc).strip()
    return text or type(exc).__name__


def transport_error(exc: httpx.HTTPError, url: str, where: str, timeouts: tuple[float, float]) -> FetchError:
    """Return the FetchError for an httpx exception raised while talking to where (host:port)."""
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError("timeout", f"connect to {where} timed out after {timeouts[0]:g} s", url=url)
    if isinstance(exc, httpx.TimeoutException):
        return FetchError("timeout", f"no complete response within {timeouts[1]:g} s from {url}", url=url)
    tls = _caused_by(exc, ssl.SSLError)
    if tls is not None:
        return FetchError("tls", f"TLS failure with {where} ({_reason(tls)})", url=url)
    if isinstance(exc, httpx.ConnectError):
        if _caused_by(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
            return FetchError("connect", f"connection refused by {where}", url=url)
        return FetchError("connect", f"cannot connect to {where} ({_reason(exc)})", url=url)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError("scheme", f"unsupported URL scheme in {url}", url=url)
    if isinstance(exc, httpx.NetworkError):
        return FetchError("connect", f"connection to {where} failed ({_reason(exc)})", url=url)
    return FetchError("protocol", f"bad HTTP response from {where} ({_reason(exc)})", url=url)
