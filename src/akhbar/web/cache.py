"""A response cache in front of routing for the hot reader pages, with ETag / Last-Modified and 304s."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

import anyio.to_thread
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A view marks a response as cacheable with this header; the middleware removes it before sending.
CACHEABLE = b"x-akhbar-cacheable"
CACHE_CONTROL = b"public, max-age=0, must-revalidate"
HOP_HEADERS = {b"content-length", b"etag", b"last-modified", b"cache-control", CACHEABLE}


def mark_cacheable(response: Response) -> Response:
    """Mark a page response as the same for every anonymous reader (so it may be cached)."""
    response.headers[CACHEABLE.decode()] = "1"
    return response


@dataclass
class Entry:
    """One cached page."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    modified: float  # epoch seconds, for Last-Modified
    stored: float  # clock time, for the time-to-live
    # Built once when stored, not on every hit: a hit should cost little more than a bare response.
    generation: int = field(default=0, init=False)  # the cache's generation when the render began
    validators: list[tuple[bytes, bytes]] = field(init=False, repr=False)
    full_headers: list[tuple[bytes, bytes]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.validators = [
            (b"etag", self.etag),
            (b"last-modified", formatdate(self.modified, usegmt=True).encode()),
            (b"cache-control", CACHE_CONTROL),
        ]
        length = (b"content-length", str(len(self.body)).encode())
        self.full_headers = [*self.headers, *self.validators, length]


@dataclass
class PageCache:
    """Cached pages keyed by path and query, renewed when the article set's version changes or they age.

    A page whose version moved on (once it is min_fresh seconds old) or whose time-to-live ran out is
    stale: the next request renders it again while concurrent readers of that page get the stale copy,
    and a page not cached yet is rendered once for all its concurrent readers (no thundering herd when new
    articles land every few seconds).
    """

    version: Callable[[], int]  # e.g. store.latest_article_id: changes when new articles land
    ttl: float = 60.0  # seconds; also bounds how stale a relative age ("il y a 5 min") can be
    # Seconds a page stays fresh although new articles landed (the page_cache_min_fresh setting). While
    # ingestion lands articles every second, every page would otherwise be rendered again every second,
    # each render taking the CPU that hits need (benchmarks/load.py); a news portal may show a page a few
    # seconds old. 0: new articles make every page stale at once.
    min_fresh: float = 0.0
    max_entries: int = 2000
    check_every: float = 1.0  # read the version at most this often (one cheap query a second)
    clock: Callable[[], float] = time.monotonic
    entries: OrderedDict[tuple[str, bytes], Entry] = field(default_factory=OrderedDict)
    generation: int = 0  # bumped when the version moves: older entries become stale
    epoch: int = 0  # bumped by invalidate(): renders begun before it are not stored
    _seen: int | None = None
    _checked: float = float("-inf")

    def invalidate(self) -> None:
        """Forget every cached page at once, stale copies included (moderation actions call this)."""
        self.entries.clear()
        self.epoch += 1

    async def refresh(self) -> None:
        """Read the version when it is due and make every page stale when it moved."""
        now = self.clock()
        if now - self._checked < self.check_every:
            return
        self._checked = now
        current = await anyio.to_thread.run_sync(self.version)
        if current != self._seen:
            self._seen = current
            self.generation += 1

    def lookup(self, key: tuple[str, bytes]) -> tuple[Entry | None, bool]:
        """Return the cached page (or None) and whether it is fresh."""
        entry = self.entries.get(key)
        if entry is None:
            return None, False
        self.entries.move_to_end(key)
        age = self.clock() - entry.stored
        fresh = age < self.ttl and (entry.generation == self.generation or age < self.min_fresh)
        return entry, fresh

    def get(self, key: tuple[str, bytes]) -> Entry | None:
        """Return a fresh cached page."""
        entry, fresh = self.lookup(key)
        return entry if fresh else None

    def put(self, key: tuple[str, bytes], entry: Entry) -> None:
        """Store a page, evicting the least recently used beyond max_entries."""
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)


def _not_modified(request_headers: dict[bytes, bytes], etag: bytes, modified: float) -> bool:
    match = request_headers.get(b"if-none-match")
    if match is not None:
        return etag in {tag.strip() for tag in match.split(b",")} or match.strip() == b"*"
    since = request_headers.get(b"if-modified-since")
    if since is None:
        return False
    try:
        return int(modified) <= parsedate_to_datetime(since.decode("latin-1")).timestamp()
    except (TypeError, ValueError):
        return False


async def send_entry(send: Send, entry: Entry, request_headers: dict[bytes, bytes]) -> None:
    """Send a cached page, or a 304 when the client's copy is current."""
    if _not_modified(request_headers, entry.etag, entry.modified):
        await send({"type": "http.response.start", "status": 304, "headers": list(entry.validators)})
        await send({"type": "http.response.body", "body": b""})
        return
    # A copy: the security headers' middleware appends to the list it is given.
    headers = list(entry.full_headers)
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body})


# Stale pages rendered again at once, at most. When new articles land every page goes stale together, and
# its renders (threads, each holding the interpreter for tens of milliseconds) would leave the event loop a
# small share of the CPU: every cache hit waited behind a burst of renders (benchmarks/load.py's p99). Past
# this many, a stale page's readers get its stale copy until a render slot frees.
REVALIDATIONS = 2


class PageCacheMiddleware:
    """Serve marked pages from a PageCache, one render per page at a time; the rest passes through."""

    def __init__(self, app: ASGIApp, cache: PageCache, revalidations: int = REVALIDATIONS) -> None:
        self.app = app
        self.cache = cache
        self.revalidations = revalidations
        self.revalidating = 0  # renders of pages that have a stale copy, now
        self.renders: dict[tuple[str, bytes], anyio.Event] = {}  # pages being rendered now
        self.uncacheable: OrderedDict[tuple[str, bytes], None] = OrderedDict()  # last answer not marked

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or self.cache.ttl <= 0:
            await self.app(scope, receive, send)
            return
        await self.cache.refresh()
        key = (scope["path"], scope.get("query_string", b""))
        request_headers = dict(scope.get("headers", []))
        entry, fresh = self.cache.lookup(key)
        render = self.renders.get(key)
        if entry is not None and (fresh or render is not None or self.revalidating >= self.revalidations):
            await send_entry(send, entry, request_headers)
            return
        if render is not None and key not in self.uncacheable:
            await render.wait()  # the first reader's render serves everyone who asked meanwhile
            entry, _ = self.cache.lookup(key)
            if entry is not None:
                await send_entry(send, entry, request_headers)
                return
        if entry is None:
            await self._render(scope, receive, send, key, request_headers)
            return
        self.revalidating += 1
        try:
            await self._render(scope, receive, send, key, request_headers)
        finally:
            self.revalidating -= 1

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes], headers: dict[bytes, bytes]
    ) -> None:
        done = None if key in self.renders else self.renders.setdefault(key, anyio.Event())
        recorder = _Recorder(self.cache, key, headers, send)
        try:
            await self.app(scope, receive, recorder)
        finally:
            if done is not None:  # this reader's render was the one the others waited for
                del self.renders[key]
                done.set()
        self._remember(key, cached=recorder.start is not None)

    def _remember(self, key: tuple[str, bytes], *, cached: bool) -> None:
        """Track pages that are not cached (search, errors) so that their readers never wait on each other."""
        if cached:
            self.uncacheable.pop(key, None)
            return
        self.uncacheable[key] = None
        while len(self.uncacheable) > self.cache.max_entries:
            self.uncacheable.popitem(last=False)


class _Recorder:
    """Pass a response through, or hold a marked one back to store it and answer with validators."""

    def __init__(
        self, cache: PageCache, key: tuple[str, bytes], request_headers: dict[bytes, bytes], send: Send
    ) -> None:
        self.cache, self.key, self.request_headers, self.send = cache, key, request_headers, send
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        # Taken when the render begins: a page rendered from older data is stored as such.
        self.generation, self.epoch = cache.generation, cache.epoch

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            if message["status"] == 200 and any(name.lower() == CACHEABLE for name, _ in headers):
                self.start = message
                return
        if self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            await self._finish()

    async def _finish(self) -> None:
        assert self.start is not None
        body = b"".join(self.chunks)
        headers = [(k, v) for k, v in self.start.get("headers", []) if k.lower() not in HOP_HEADERS]
        etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'.encode()
        entry = Entry(self.start["status"], headers, body, etag, time.time(), self.cache.clock())
        entry.generation = self.generation
        if self.epoch == self.cache.epoch:  # not invalidated (moderation) while it was being rendered
            self.cache.put(self.key, entry)
        await send_entry(self.send, entry, self.request_headers)
