"""Retries after 429/503 and transient errors: Retry-After, exponential backoff with jitter, giving up."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from akhbar.config import Settings
from akhbar.fetch import Fetcher, FetchError
from akhbar.fetch.response import parse_max_age, parse_retry_after


def scripted(responses: list[httpx.Response | Exception]) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """Return a transport that plays responses in order (an exception is raised), and the requests seen."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = responses[min(len(seen), len(responses)) - 1]
        if isinstance(item, Exception):
            raise item
        return item

    return httpx.MockTransport(handler), seen


class Sleeps:
    """A sleep function that records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def resolve_public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


def fetcher_for(
    settings: Settings, transport: httpx.MockTransport, sleeps: Sleeps, retries: int = 2
) -> Fetcher:
    strict = settings.replace(fetch_retries=retries, fetch_allow_private=False)
    return Fetcher(strict, transport=transport, resolver=resolve_public, sleep=sleeps, rng=lambda: 0.5)


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds_is_honoured(settings: Settings, status: int) -> None:
    transport, seen = scripted(
        [httpx.Response(status, headers={"Retry-After": "3"}), httpx.Response(200, content=b"ok")]
    )
    sleeps = Sleeps()
    async with fetcher_for(settings, transport, sleeps) as fetcher:
        result = await fetcher.get("https://news.example/feed")
    assert result.content == b"ok"
    assert sleeps.waits == [3.0]
    assert len(seen) == 2


async def test_backoff_grows_exponentially_with_jitter(settings: Settings) -> None:
    transport, seen = scripted([httpx.Response(503)] * 3 + [httpx.Response(200, content=b"ok")])
    sleeps = Sleeps()
    async with fetcher_for(settings, transport, sleeps, retries=3) as fetcher:
        assert (await fetcher.get("https://news.example/feed")).content == b"ok"
    # rng() == 0.5: each wait is three quarters of its step (1, 2, 4 s).
    assert sleeps.waits == [0.75, 1.5, 3.0]


async def test_retries_run_out_and_the_last_error_is_raised(settings: Settings) -> None:
    transport, seen = scripted([httpx.Response(503, headers={"Retry-After": "1"})])
    sleeps = Sleeps()
    async with fetcher_for(settings, transport, sleeps, retries=2) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("https://news.example/feed")
    assert (info.value.kind, info.value.status, info.value.retry_after) == ("http", 503, 1.0)
    assert len(seen) == 3 and sleeps.waits == [1.0, 1.0]


async def test_long_retry_after_is_left_to_the_scheduler(settings: Settings) -> None:
    transport, seen = scripted([httpx.Response(429, headers={"Retry-After": "3600"})])
    sleeps = Sleeps()
    async with fetcher_for(settings, transport, sleeps) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("https://news.example/feed")
    assert (info.value.kind, info.value.status, info.value.retry_after) == ("http", 429, 3600.0)
    assert sleeps.waits == [] and len(seen) == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500])
async def test_other_statuses_are_not_retried(settings: Settings, status: int) -> None:
    transport, seen = scripted([httpx.Response(status)])
    sleeps = Sleeps()
    async with fetcher_for(settings, transport, sleeps) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("https://news.example/feed")
    assert info.value.status == status and len(seen) == 1 and sleeps.waits == []


async def test_transient_network_error_is_retried(settings: Settings) -> None:
    transport, seen = scripted([httpx.ConnectError("boom"), httpx.Response(200, content=b"ok")])
    sleeps = Sleeps()
    async with fetcher_for(settings, transport, sleeps) as fetcher:
        assert (await fetcher.get("https://news.example/feed")).content == b"ok"
    assert len(sleeps.waits) == 1


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (httpx.ConnectTimeout("slow"), "timeout"),
        (httpx.ReadTimeout("slow"), "timeout"),
        (httpx.RemoteProtocolError("bad"), "protocol"),
        (httpx.ReadError("reset"), "connect"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "connect"),
    ],
)
async def test_httpx_exceptions_never_escape(settings: Settings, error: Exception, kind: str) -> None:
    transport, _ = scripted([error])
    async with fetcher_for(settings, transport, Sleeps(), retries=0) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("https://news.example/feed")
    assert info.value.kind == kind


def test_retry_after_parsing() -> None:
    now = time.time()
    in_two_minutes = email.utils.formatdate(now + 120, usegmt=True)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(in_two_minutes, now=now) == pytest.approx(120, abs=1)
    assert parse_retry_after(email.utils.formatdate(now - 50, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("max-age=300", 300),
        ("public, max-age=60, must-revalidate", 60),
        ("s-maxage=10", None),
        ("no-cache", None),
        ("", None),
    ],
)
def test_max_age_parsing(header: str, expected: int | None) -> None:
    assert parse_max_age(header) == expected


async def test_max_age_and_retry_after_date_in_results(settings: Settings) -> None:
    date = email.utils.formatdate(time.time() + 10, usegmt=True)
    transport, _ = scripted(
        [
            httpx.Response(503, headers={"Retry-After": date}),
            httpx.Response(200, headers={"Cache-Control": "max-age=900"}),
        ]
    )
    sleeps = Sleeps()
    async with fetcher_for(settings, transport, sleeps) as fetcher:
        result = await fetcher.get("https://news.example/feed")
    assert result.max_age == 900
    assert len(sleeps.waits) == 1 and 5 < sleeps.waits[0] <= 10
