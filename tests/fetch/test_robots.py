"""robots.txt: obeyed, cached per origin, and absent/broken files allow everything."""

from __future__ import annotations

import asyncio

import pytest

from akhbar.config import Settings
from akhbar.fetch import Fetcher, FetchError
from akhbar.fetch.robots import RobotsCache, robots_url

from .loopback import AsyncServer, Request

RULES = "User-agent: *\nDisallow: /private\n\nUser-agent: akhbar\nDisallow: /no-akhbar\n"


def polite(settings: Settings) -> Settings:
    return settings.replace(fetch_respect_robots=True)


@pytest.mark.parametrize(
    ("path", "allowed"), [("/feed", True), ("/private/feed", True), ("/no-akhbar/x", False)]
)
async def test_robots_rules_for_our_agent(
    settings: Settings, server: AsyncServer, path: str, allowed: bool
) -> None:
    # A group naming our agent replaces the "*" group, as robots.txt specifies.
    server.reply("/robots.txt", RULES, headers={"Content-Type": "text/plain"})
    server.reply(path, b"ok")
    async with Fetcher(polite(settings)) as fetcher:
        if allowed:
            assert (await fetcher.get(f"{server.url}{path}")).content == b"ok"
            return
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"{server.url}{path}")
    assert info.value.kind == "robots"
    assert str(info.value) == f"fetch: robots.txt of 127.0.0.1 disallows {server.url}{path}"
    assert server.hits(path) == 0


async def test_star_group_applies_to_other_agents(settings: Settings, server: AsyncServer) -> None:
    server.reply("/robots.txt", "User-agent: *\nDisallow: /private\n")
    async with Fetcher(polite(settings)) as fetcher:
        with pytest.raises(FetchError, match="disallows"):
            await fetcher.get(f"{server.url}/private/feed")


async def test_robots_is_fetched_once_per_origin(settings: Settings, server: AsyncServer) -> None:
    server.reply("/robots.txt", "User-agent: *\nDisallow:\n")
    server.reply("/feed", b"ok")
    async with Fetcher(polite(settings)) as fetcher:
        await asyncio.gather(*(fetcher.get(f"{server.url}/feed?{i}") for i in range(5)))
        await fetcher.get(f"{server.url}/feed")
    assert server.hits("/robots.txt") == 1
    assert len(server.requests) == 7


@pytest.mark.parametrize("status", [404, 403, 500, 503])
async def test_missing_or_broken_robots_allows_all(
    settings: Settings, server: AsyncServer, status: int
) -> None:
    server.reply("/robots.txt", "Disallow: /", status=status)
    server.reply("/feed", b"ok")
    async with Fetcher(polite(settings)) as fetcher:
        assert (await fetcher.get(f"{server.url}/feed")).content == b"ok"


async def test_unreachable_robots_allows_all(settings: Settings, server: AsyncServer) -> None:
    async def hang_up(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(b"garbage\r\n\r\n")

    server.routes["/robots.txt"] = hang_up
    server.reply("/feed", b"ok")
    async with Fetcher(polite(settings)) as fetcher:
        assert (await fetcher.get(f"{server.url}/feed")).content == b"ok"


async def test_robots_off_skips_the_file(settings: Settings, server: AsyncServer) -> None:
    server.reply("/robots.txt", "User-agent: *\nDisallow: /\n")
    server.reply("/feed", b"ok")
    async with Fetcher(settings.replace(fetch_respect_robots=False)) as fetcher:
        assert (await fetcher.get(f"{server.url}/feed")).content == b"ok"
    assert server.hits("/robots.txt") == 0


async def test_cache_expires_after_its_ttl() -> None:
    loads: list[str] = []
    clock = [0.0]

    async def load(location: str) -> str | None:
        loads.append(location)
        return "User-agent: *\nDisallow: /x\n"

    cache = RobotsCache(load, "akhbar/0", ttl=100, clock=lambda: clock[0])
    assert await cache.allowed("https://a.example/feed") is True
    assert await cache.allowed("https://a.example/x/1") is False
    clock[0] = 99.0
    await cache.allowed("https://a.example/feed")
    assert len(loads) == 1
    clock[0] = 101.0
    await cache.allowed("https://a.example/feed")
    await cache.allowed("http://a.example/feed")  # another origin
    assert loads == ["https://a.example/robots.txt"] * 2 + ["http://a.example/robots.txt"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/news/feed?x=1#top", "https://a.example/robots.txt"),
        ("http://user:pw@a.example:8080/x", "http://a.example:8080/robots.txt"),
    ],
)
def test_robots_url(url: str, expected: str) -> None:
    assert robots_url(url) == expected
