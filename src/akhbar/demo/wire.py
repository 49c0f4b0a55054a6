"""Serve demo outlets on loopback: one port per outlet, or one shared port with a /s/<slug>/ prefix."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from types import TracebackType
from typing import Any

import uvicorn

from akhbar.demo.content import DemoArticle, Outlet
from akhbar.demo.feeds import CONTENT_TYPES, feed_path, render_feed
from akhbar.demo.images import render_image
from akhbar.demo.render import article_page, body_image_slug, home_page
from akhbar.models import SourceSpec

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

HANG_SECONDS = 60.0  # a broken outlet's article page answers after this, far past any sane client timeout
_HTML = "text/html; charset=utf-8"
_ROBOTS = b"User-agent: *\nAllow: /\n"
_EPOCH = datetime(2026, 11, 1, tzinfo=UTC)


class DemoWireError(RuntimeError):
    """The demo wire cannot start, or was asked about an outlet it does not serve."""


@dataclass
class Resource:
    """A ready-to-send response body with its validators, computed once."""

    body: bytes
    content_type: str
    modified: datetime
    etag: str = ""
    validators: list[tuple[bytes, bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha1(self.body, usedforsecurity=False).hexdigest()[:20] + '"'
        last_modified = format_datetime(self.modified.astimezone(UTC), usegmt=True)
        self.validators = [(b"etag", self.etag.encode()), (b"last-modified", last_modified.encode())]


@dataclass(frozen=True)
class ImageSpec:
    """What is needed to draw an image on its first request."""

    seed: str
    color: str
    caption: str
    outlet_name: str
    modified: datetime


@dataclass(frozen=True)
class Hang:
    """A page that never answers in time (broken outlets)."""


Route = Resource | ImageSpec | Hang


def _not_modified(headers: dict[bytes, bytes], resource: Resource) -> bool:
    """Return whether the client's validators still match (If-None-Match wins over If-Modified-Since)."""
    match = headers.get(b"if-none-match")
    if match is not None:
        tags = {t.strip() for t in match.decode("latin-1").split(",")}
        return resource.etag in tags or "*" in tags
    since = headers.get(b"if-modified-since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since.decode("latin-1"))
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(resource.modified.timestamp()) <= int(when.timestamp())


class _App:
    """The ASGI application: looks the (port, path) pair up in a table of pre-rendered responses."""

    def __init__(self, routes: dict[tuple[int, str], Route]) -> None:
        self.routes = routes
        self.images: dict[tuple[int, str], Resource] = {}
        self.stopping: asyncio.Event | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self._send(send, 405, b"method not allowed\n", "text/plain", [(b"allow", b"GET, HEAD")])
            return
        key = (scope["server"][1] if scope.get("server") else 0, scope["path"])
        route = self.routes.get(key)
        if isinstance(route, ImageSpec):
            route = self.images.get(key) or await self._draw(key, route)
        if isinstance(route, Hang):
            await self._hang(receive)
            await self._send(send, 503, b"service unavailable\n", "text/plain")
        elif route is None:
            await self._send(send, 404, b"not found\n", "text/plain")
        else:
            await self._serve(scope, send, route)

    async def _draw(self, key: tuple[int, str], spec: ImageSpec) -> Resource:
        # Drawing takes milliseconds of CPU: keep it off the event loop; a rare double draw is harmless.
        body = await asyncio.to_thread(render_image, spec.seed, spec.color, spec.caption, spec.outlet_name)
        resource = Resource(body, "image/jpeg", spec.modified)
        self.images[key] = resource
        return resource

    async def _hang(self, receive: Receive) -> None:
        await receive()  # the request itself; the next receive() only returns when the client goes away
        waits: list[asyncio.Future[Any]] = [asyncio.ensure_future(receive())]
        if self.stopping is not None:
            waits.append(asyncio.ensure_future(self.stopping.wait()))
        _, pending = await asyncio.wait(waits, timeout=HANG_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()

    async def _serve(self, scope: Scope, send: Send, resource: Resource) -> None:
        if _not_modified(dict(scope["headers"]), resource):
            await send({"type": "http.response.start", "status": 304, "headers": resource.validators})
            await send({"type": "http.response.body", "body": b""})
            return
        body = b"" if scope["method"] == "HEAD" else resource.body
        extra = [*resource.validators, (b"cache-control", b"no-cache")]
        await self._send(send, 200, body, resource.content_type, extra, len(resource.body))

    @staticmethod
    async def _send(
        send: Send, status: int, body: bytes, content_type: str,
        extra: list[tuple[bytes, bytes]] | None = None, length: int | None = None,
    ) -> None:
        size = len(body) if length is None else length
        headers = [(b"content-type", content_type.encode()), (b"content-length", str(size).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
        await send({"type": "http.response.body", "body": body})


@dataclass
class _Site:
    outlet: Outlet
    port: int
    prefix: str  # "" or "/s/<slug>"
    url: str


def _article_routes(site: _Site) -> dict[str, Route]:
    outlet, routes = site.outlet, {}
    for article in outlet.articles:
        page: Route = Hang() if outlet.broken else Resource(
            article_page(outlet, article, site.url).encode("utf-8"), _HTML, article.published
        )
        routes[f"{site.prefix}/articles/{article.slug}.html"] = page
        for image_slug in (article.slug, body_image_slug(article)):
            if image_slug:
                routes[f"{site.prefix}/images/{image_slug}.jpg"] = _image(outlet, article, image_slug)
    return routes


def _image(outlet: Outlet, article: DemoArticle, image_slug: str) -> ImageSpec:
    caption = article.image_caption if image_slug == article.slug else ""
    return ImageSpec(f"{outlet.slug}/{image_slug}", outlet.color, caption, outlet.name, article.published)


def _site_routes(site: _Site) -> dict[str, Route]:
    """Render every page and feed of one outlet up front, so a request is only a dictionary look-up."""
    outlet = site.outlet
    newest = outlet.newest or _EPOCH
    feed_url = site.url + feed_path(outlet).lstrip("/")
    routes: dict[str, Route] = {
        f"{site.prefix}/": Resource(home_page(outlet, site.url, feed_url).encode("utf-8"), _HTML, newest),
        site.prefix + feed_path(outlet): Resource(
            render_feed(outlet, site.url, feed_url), CONTENT_TYPES[outlet.feed_format], newest
        ),
    }
    routes.update(_article_routes(site))
    return routes


def _index_page(sites: list[_Site]) -> bytes:
    links = "".join(f'<li><a href="{s.url}">{escape(s.outlet.name)}</a></li>' for s in sites)
    return f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Demo wire</title></head>' \
        f"<body><h1>Demo wire</h1><ul>{links}</ul></body></html>\n".encode()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio only sets TCP_NODELAY on such sockets, and without it every response waits
    # ~40 ms for the client's delayed ACK (measured: 44 ms a request instead of about 1 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise DemoWireError(f"demo: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(1024)  # a benchmark opens hundreds of connections at once
    sock.setblocking(False)
    return sock


class DemoWire:
    """Serve fictional outlets over HTTP on loopback, in a background thread with its own event loop."""

    def __init__(
        self, outlets: list[Outlet], host: str = "127.0.0.1", base_port: int = 0, single_port: bool = False
    ) -> None:
        slugs = [o.slug for o in outlets]
        if len(set(slugs)) != len(slugs):
            raise DemoWireError("demo: two outlets share a slug")
        self.outlets = list(outlets)
        self.host = host
        self.base_port = base_port
        self.single_port = single_port
        self._sites: dict[str, _Site] = {}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._app: _App | None = None

    def _bind(self) -> list[socket.socket]:
        netloc = f"[{self.host}]" if ":" in self.host else self.host
        sockets: list[socket.socket] = []
        try:
            if self.single_port:
                sockets.append(_listen(self.host, self.base_port))
            for i, outlet in enumerate(self.outlets):
                if not self.single_port:
                    sockets.append(_listen(self.host, self.base_port + i if self.base_port else 0))
                port = sockets[-1].getsockname()[1]
                prefix = f"/s/{outlet.slug}" if self.single_port else ""
                self._sites[outlet.slug] = _Site(outlet, port, prefix, f"http://{netloc}:{port}{prefix}/")
        except DemoWireError:
            for sock in sockets:
                sock.close()
            raise
        return sockets

    def _routes(self, sockets: list[socket.socket]) -> dict[tuple[int, str], Route]:
        newest = max((o.newest or _EPOCH for o in self.outlets), default=_EPOCH)
        routes: dict[tuple[int, str], Route] = {}
        for sock in sockets:
            routes[(sock.getsockname()[1], "/robots.txt")] = Resource(_ROBOTS, "text/plain", newest)
        for site in self._sites.values():
            routes.update({(site.port, path): route for path, route in _site_routes(site).items()})
        if self.single_port and sockets:
            index = Resource(_index_page(list(self._sites.values())), _HTML, newest)
            routes[(sockets[0].getsockname()[1], "/")] = index
        return routes

    def start(self) -> None:
        """Bind the sockets, render everything and serve in a background thread; return once listening."""
        if self._thread is not None:
            raise DemoWireError("demo: the wire is already started")
        sockets = self._bind()
        try:
            self._app = _App(self._routes(sockets))
        except Exception:
            for sock in sockets:
                sock.close()
            self._sites = {}
            raise
        config = uvicorn.Config(
            self._app, http="h11", ws="none", lifespan="off", log_config=None, log_level="warning",
            access_log=False, timeout_graceful_shutdown=2, timeout_keep_alive=30, backlog=1024,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, args=(sockets,), name="demo-wire", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise DemoWireError("demo: the wire's server did not start")
            time.sleep(0.01)

    def _run(self, sockets: list[socket.socket]) -> None:
        asyncio.run(self._serve(sockets))

    async def _serve(self, sockets: list[socket.socket]) -> None:
        assert self._server is not None and self._app is not None
        self._loop = asyncio.get_running_loop()
        self._app.stopping = asyncio.Event()
        await self._server.serve(sockets=sockets)

    def stop(self) -> None:
        """Stop serving: release hanging requests, close the sockets and wait for the thread."""
        if self._thread is None or self._server is None:
            return
        self._server.should_exit = True
        loop, app = self._loop, self._app
        if loop is not None and app is not None and app.stopping is not None and not loop.is_closed():
            loop.call_soon_threadsafe(app.stopping.set)
        self._thread.join(timeout=10)
        self._thread = None
        self._server = None
        self._sites = {}

    def __enter__(self) -> DemoWire:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _site(self, outlet_slug: str) -> _Site:
        if not self._sites:
            raise DemoWireError("demo: the wire is not started")
        try:
            return self._sites[outlet_slug]
        except KeyError:
            raise DemoWireError(f"demo: no outlet {outlet_slug!r} on this wire") from None

    def site_url(self, outlet_slug: str) -> str:
        """Return the home page URL of an outlet, e.g. http://127.0.0.1:41234/."""
        return self._site(outlet_slug).url

    def feed_url(self, outlet_slug: str) -> str:
        """Return the URL of an outlet's feed (what discovery or probing should find)."""
        site = self._site(outlet_slug)
        return site.url + feed_path(site.outlet).lstrip("/")

    def source_specs(self) -> list[SourceSpec]:
        """Return one SourceSpec per outlet (home page, name, language); the portal discovers the feed."""
        return [
            SourceSpec(url=self.site_url(o.slug), name=o.name, language=o.language, feed_url="", category="")
            for o in self.outlets
        ]
