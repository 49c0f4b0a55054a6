"""What readers' browsers are given for an image: our signed /img URL, or the placeholder once blocked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from akhbar.images.signing import MAX_URL_CHARS, image_path

PLACEHOLDER = "/static/blocked.svg"
HIDDEN_STATES = frozenset({"blocked", "confirmed"})
# The sanitizer writes <img ... src="..."> with double quotes; single quotes are handled all the same.
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""(\ssrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_ALT = re.compile(r"""\salt\s*=\s*(["']).*?\1""", re.IGNORECASE | re.DOTALL)
_HTML_ENTITIES = {"&amp;": "&", "&quot;": '"', "&#39;": "'", "&#x27;": "'", "&lt;": "<", "&gt;": ">"}


def is_outlet_url(url: str) -> bool:
    """Return True for an absolute http(s) URL: an image on someone else's server."""
    lowered = url[:8].lower()
    return lowered.startswith(("http://", "https://")) and len(url) <= MAX_URL_CHARS


def public_src(url: str, *, states: Mapping[str, str], key: str, base_url: str = "") -> str:
    """Return the address a reader may load for an image URL ("" when it cannot be shown)."""
    if not url:
        return ""
    if not is_outlet_url(url):
        # Our own paths pass; anything else (protocol-relative, data:, javascript:) is never shown.
        return url if url.startswith("/") and not url.startswith("//") else ""
    if states.get(url) in HIDDEN_STATES:
        return base_url + PLACEHOLDER
    return base_url + image_path(key, url)


def is_hidden(url: str, states: Mapping[str, str]) -> bool:
    """Return True when an image was blocked (the reader sees the placeholder)."""
    return states.get(url) in HIDDEN_STATES


def _unescape(value: str) -> str:
    for entity, char in _HTML_ENTITIES.items():
        value = value.replace(entity, char)
    return value


def html_image_urls(html: str) -> list[str]:
    """Return the src of every <img> in sanitized article HTML, in order, without repeats."""
    found: list[str] = []
    for tag in _IMG_TAG.finditer(html):
        src = _SRC.search(tag.group(0))
        if src:
            found.append(_unescape(src.group(3)).strip())
    return list(dict.fromkeys(u for u in found if u))


def article_image_urls(lead: str, html: str) -> list[str]:
    """Return the outlet image URLs an article shows: its lead image, then those inside its text."""
    return [u for u in dict.fromkeys([lead, *html_image_urls(html)]) if u and is_outlet_url(u)]


def rewrite_html(
    html: str,
    resolve: Callable[[str], str],
    *,
    blocked_alt: str = "",
    after: Callable[[str], str] | None = None,
) -> Markup:
    """Return sanitized HTML with every <img src> replaced by resolve(src); after(src) may add markup."""

    def one_tag(tag: re.Match[str]) -> str:
        src = _SRC.search(tag.group(0))
        if not src:
            return ""  # an image without an address shows nothing
        original = _unescape(src.group(3)).strip()
        target = resolve(original)
        if not target:
            return ""
        rewritten = tag.group(0)[: src.start(3)] + str(Markup.escape(target)) + tag.group(0)[src.end(3) :]
        if target.endswith(PLACEHOLDER):  # the outlet's alt text would describe what is no longer shown
            rewritten = _ALT.sub("", rewritten)
            rewritten = rewritten[:4] + str(Markup(' alt="{}"').format(blocked_alt)) + rewritten[4:]
        return rewritten + (after(original) if after else "")

    return Markup(_IMG_TAG.sub(one_tag, html))


@dataclass
class ImageLinks:
    """Resolve image URLs for one page or response: states looked up once per URL, signed with the key."""

    key: str
    lookup: Callable[[Iterable[str]], Mapping[str, str]]
    base_url: str = ""
    states: dict[str, str] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)

    def prefetch(self, urls: Iterable[str]) -> None:
        """Read the states of these URLs in one batch."""
        fresh = [u for u in dict.fromkeys(urls) if u and is_outlet_url(u) and u not in self._seen]
        if fresh:
            self.states.update(self.lookup(fresh))
            self._seen.update(fresh)

    def src(self, url: str) -> str:
        """Return the public address of an image (signed /img URL or placeholder)."""
        self.prefetch([url])
        return public_src(url, states=self.states, key=self.key, base_url=self.base_url)

    def hidden(self, url: str) -> bool:
        """Return True when the image is blocked."""
        self.prefetch([url])
        return is_hidden(url, self.states)
