"""The page cache under concurrent readers: one render per page, stale copies while it renders again."""

from __future__ import annotations

import asyncio

import pytest

from akhbar.web.cache import CACHEABLE, PageCache, PageCacheMiddleware


class GatedPage:
    """An ASGI page that counts its renders and finishes them only when the gate opens."""

    def __init__(self, body: bytes = b"v1", cacheable: bool = True) -> None:
        self.body, self.cacheable = body, cacheable
        self.calls = 0
        self.gate = asyncio.Event()

    async def __call__(self, scope: dict, receive: object, send: object) -> None:
        self.calls += 1
        body = self.body  # the data as it was when the render began
        await self.gate.wait()
        headers = [(b"content-type", b"text/html")] + ([(CACHEABLE, b"1")] if self.cacheable else [])
        await send({"type": "http.response.start", "status": 200, "headers": headers})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": body})  # type: ignore[operator]


async def fetch(app: PageCacheMiddleware, path: str = "/") -> tuple[int, bytes]:
    """Send one GET through the middleware; return the status and body."""
    messages: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        messages.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
    await app(scope, receive, send)
    return messages[0]["status"], b"".join(m.get("body", b"") for m in messages[1:])


async def settle() -> None:
    """Let every started task run until it waits (nothing here waits on time or I/O)."""
    for _ in range(20):
        await asyncio.sleep(0)


@pytest.fixture
async def parts() -> tuple[GatedPage, PageCache, PageCacheMiddleware, list[int]]:
    version = [1]
    page = GatedPage()
    cache = PageCache(lambda: version[0], check_every=3600.0)
    await cache.refresh()  # read the version now, so that no request below waits on a thread
    return page, cache, PageCacheMiddleware(page, cache), version


async def test_concurrent_readers_of_a_new_page_share_one_render(parts):
    page, _, app, _ = parts
    tasks = [asyncio.create_task(fetch(app)) for _ in range(5)]
    await settle()
    assert page.calls == 1
    page.gate.set()
    assert await asyncio.gather(*tasks) == [(200, b"v1")] * 5
    assert page.calls == 1


async def test_a_stale_page_is_rendered_once_while_others_get_the_stale_copy(parts):
    page, cache, app, version = parts
    page.gate.set()
    await fetch(app)
    version[0] = 2  # new articles landed
    cache._checked = float("-inf")
    await cache.refresh()
    page.gate, page.body = asyncio.Event(), b"v2"
    renderer = asyncio.create_task(fetch(app))
    await settle()
    assert [await fetch(app) for _ in range(3)] == [(200, b"v1")] * 3
    page.gate.set()
    assert await renderer == (200, b"v2")
    assert await fetch(app) == (200, b"v2")
    assert page.calls == 2


async def test_stale_pages_past_the_revalidation_limit_are_served_stale_until_a_slot_frees(parts):
    page, cache, _, version = parts
    app = PageCacheMiddleware(page, cache, revalidations=1)
    page.gate.set()
    for path in ("/a", "/b"):
        await fetch(app, path)
    version[0] = 2  # new articles landed: both pages are stale
    cache._checked = float("-inf")
    await cache.refresh()
    page.gate, page.body = asyncio.Event(), b"v2"
    renderer = asyncio.create_task(fetch(app, "/a"))
    await settle()
    assert await fetch(app, "/b") == (200, b"v1")  # no second render while one runs
    assert page.calls == 3
    page.gate.set()
    assert await renderer == (200, b"v2")
    assert await fetch(app, "/b") == (200, b"v2")  # the slot is free: /b is rendered again
    assert page.calls == 4


async def test_readers_of_a_page_that_is_not_cached_never_wait_on_each_other(parts):
    page, cache, app, _ = parts
    page.cacheable = False
    page.gate.set()
    await fetch(app)  # the middleware learns that this page is not cached
    page.gate = asyncio.Event()
    tasks = [asyncio.create_task(fetch(app)) for _ in range(3)]
    await settle()
    assert page.calls == 4  # all three render at once
    page.gate.set()
    await asyncio.gather(*tasks)
    assert not cache.entries


async def test_a_render_begun_before_invalidation_is_not_stored(parts):
    page, cache, app, _ = parts
    renderer = asyncio.create_task(fetch(app))
    await settle()
    cache.invalidate()  # e.g. a moderator removed an article shown on the page
    page.gate.set()
    assert await renderer == (200, b"v1")
    assert not cache.entries
