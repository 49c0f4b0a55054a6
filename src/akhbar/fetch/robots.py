"""robots.txt rules, fetched once per origin and cached for a while."""

from __future__ import annotations

import asyncio
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable

import httpx

# One hour, as most crawlers do; RFC 9309 asks not to cache longer than 24 hours.
ROBOTS_TTL = 3600.0
# Most origins we follow stay the same; a bound keeps a crawl of many one-off hosts in memory limits.
MAX_ORIGINS = 10_000

Loader = Callable[[str], Awaitable[str | None]]


def robots_url(url: str) -> str:
    """Return the robots.txt URL of url's origin."""
    return str(httpx.URL(url).copy_with(path="/robots.txt", query=None, fragment=None, userinfo=b""))


def origin_key(url: str) -> str:
    """Return scheme://host:port of url."""
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return f"{parsed.scheme}://{parsed.host}:{port}"


class RobotsCache:
    """Answer whether a URL may be fetched, loading each origin's robots.txt through load()."""

    def __init__(
        self,
        load: Loader,
        user_agent: str,
        *,
        ttl: float = ROBOTS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._agent = user_agent
        self._ttl = ttl
        self._clock = clock
        self._rules: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        """Return True when robots.txt of url's origin lets our User-Agent fetch url."""
        rules = await self._rules_for(origin_key(url), robots_url(url))
        return rules is None or rules.can_fetch(self._agent, url)

    async def _rules_for(self, key: str, location: str) -> urllib.robotparser.RobotFileParser | None:
        """Return the cached parser of an origin (None: allow all), loading it when stale."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        # The lock makes concurrent requests to a new origin wait for one robots.txt download.
        async with lock:
            cached = self._rules.get(key)
            if cached is not None and cached[0] > self._clock():
                return cached[1]
            text = await self._load(location)
            rules = _parse(text) if text is not None else None
            if len(self._rules) >= MAX_ORIGINS:
                self._rules.clear()
                self._locks = {key: lock}
            self._rules[key] = (self._clock() + self._ttl, rules)
            return rules


def _parse(text: str) -> urllib.robotparser.RobotFileParser:
    """Return a parser loaded with the lines of a robots.txt."""
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    return parser
