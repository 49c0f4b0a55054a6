"""Static assets served from memory, with content-hashed URLs and year-long cache headers."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

STATIC_DIR = Path(__file__).parent / "static"
PREFIX = "/static/"
# A versioned URL (?v=hash) never changes meaning, so browsers may keep it for a year without asking.
IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"public, max-age=3600"


@dataclass(frozen=True)
class Asset:
    """One static file held in memory."""

    body: bytes
    content_type: bytes
    etag: bytes
    version: str


def _load(directory: Path) -> dict[str, Asset]:
    assets: dict[str, Asset] = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        body = path.read_bytes()
        digest = hashlib.blake2b(body, digest_size=8).hexdigest()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in {"application/javascript", "image/svg+xml"}:
            kind += "; charset=utf-8"
        name = path.relative_to(directory).as_posix()
        assets[name] = Asset(body, kind.encode(), f'"{digest}"'.encode(), digest)
    return assets


ASSETS = _load(STATIC_DIR)


def asset_url(name: str) -> str:
    """Return the versioned URL of a static asset (/static/site.css?v=...)."""
    asset = ASSETS.get(name)
    return f"{PREFIX}{name}?v={asset.version}" if asset else f"{PREFIX}{name}"


class StaticAssets:
    """Answer /static/* from memory before routing (Starlette's StaticFiles stats the disk each time)."""

    def __init__(self, app: ASGIApp, assets: dict[str, Asset] | None = None) -> None:
        self.app = app
        self.assets = ASSETS if assets is None else assets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(PREFIX) or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        asset = self.assets.get(path[len(PREFIX) :])
        if asset is None:
            await self.app(scope, receive, send)  # the app's 404 page
            return
        await _send_asset(scope, send, asset)


async def _send_asset(scope: Scope, send: Send, asset: Asset) -> None:
    request_headers = dict(scope.get("headers", []))
    versioned = f"v={asset.version}".encode() in scope.get("query_string", b"")
    headers = [
        (b"etag", asset.etag),
        (b"cache-control", IMMUTABLE if versioned else REVALIDATE),
    ]
    if request_headers.get(b"if-none-match") == asset.etag:
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers += [(b"content-type", asset.content_type), (b"content-length", str(len(asset.body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    body = b"" if scope["method"] == "HEAD" else asset.body
    await send({"type": "http.response.body", "body": body})
