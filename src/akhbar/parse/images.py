"""Choose an entry's lead image: image enclosures, media:content, media:thumbnail, then the first <img>."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
# A quoted href/src whose value has no scheme and is not a fragment: relative, to be resolved.
_RELATIVE_ATTR = re.compile(
    r"""(\s(?:href|src)\s*=\s*)(["'])(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^"']+)\2""", re.IGNORECASE
)
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")


@lru_cache(maxsize=256)
def _origin(base: str) -> tuple[str, str]:
    parts = urlsplit(base)
    return parts.scheme, f"{parts.scheme}://{parts.netloc}"


def absolute(url: str, base: str) -> str:
    """Return `url` resolved against `base`, or "" unless the result is an http(s) URL."""
    url = url.strip()
    if not url:
        return ""
    lowered = url[:8].lower()
    if lowered.startswith(("http://", "https://")):
        return url  # already absolute: the common case, and urljoin is slow (see benchmarks/parse.py)
    try:
        if base and url.startswith("//"):
            resolved = f"{_origin(base)[0]}:{url}"
        elif base and url.startswith("/") and _origin(base)[0] in ("http", "https"):
            resolved = _origin(base)[1] + url
        else:
            resolved = urljoin(base, url) if base else url
    except ValueError:  # e.g. a malformed IPv6 host: not a URL we can use
        return ""
    return resolved if resolved[:8].lower().startswith(("http://", "https://")) else ""


def resolve_links(markup: str, base: str) -> str:
    """Return `markup` with relative href/src values made absolute against `base`; nothing else changes."""
    if not base or ("href" not in markup and "src" not in markup):
        return markup

    def swap(match: re.Match[str]) -> str:
        resolved = absolute(html.unescape(match.group(3)), base)
        value = html.escape(resolved) if resolved else match.group(3)
        return f"{match.group(1)}{match.group(2)}{value}{match.group(2)}"

    return _RELATIVE_ATTR.sub(swap, markup)


def _href(item: Mapping[str, Any]) -> str:
    return str(item.get("href") or item.get("url") or "")


def _is_image(item: Mapping[str, Any], *, untyped_ok: bool) -> bool:
    kind = str(item.get("type") or "").lower()
    medium = str(item.get("medium") or "").lower()
    if kind.startswith("image/") or medium == "image":
        return True
    if kind or medium:
        return False
    return untyped_ok or _href(item).lower().split("?", 1)[0].endswith(_IMAGE_SUFFIXES)


def _first(items: Iterable[Any], base: str, *, untyped_ok: bool) -> str:
    for item in items or ():
        if isinstance(item, Mapping) and _is_image(item, untyped_ok=untyped_ok):
            found = absolute(_href(item), base)
            if found:
                return found
    return ""


def first_img(markup: str, base: str) -> str:
    """Return the absolute src of the first <img> in `markup` ("" when none; data: URIs are skipped)."""
    for match in _IMG_SRC.finditer(markup or ""):
        found = absolute(html.unescape(next(g for g in match.groups() if g is not None)), base)
        if found:
            return found
    return ""


def _image_field(value: Any) -> str:
    # feedparser gives itunes:image as a mapping, the JSON Feed reader gives a plain URL.
    return _href(value) if isinstance(value, Mapping) else str(value or "")


def pick_image(entry: Mapping[str, Any], markup: Iterable[str], base: str) -> str:
    """Return the entry's image URL, absolute, in the order the spec gives ("" when none)."""
    enclosures = [e for e in entry.get("enclosures") or () if isinstance(e, Mapping)]
    links = [
        link
        for link in entry.get("links") or ()
        if isinstance(link, Mapping) and link.get("rel") == "enclosure"
    ]
    candidates = (
        _first(enclosures + links, base, untyped_ok=False)
        or _first(entry.get("media_content") or (), base, untyped_ok=False)
        or _first(entry.get("media_thumbnail") or (), base, untyped_ok=True)
        or absolute(_image_field(entry.get("image")), base)
    )
    if candidates:
        return candidates
    for text in markup:
        found = first_img(text, base)
        if found:
            return found
    return ""
