"""Signed /img URLs: the token carries the image's source URL, an HMAC makes sure we issued it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

PREFIX = "/img/"
# 16 bytes of HMAC-SHA256 (128 bits) is far beyond guessing and keeps the URLs short.
SIGNATURE_BYTES = 16
# The longest image URL we sign; longer ones are not displayed (they are never real images).
MAX_URL_CHARS = 2048
_PURPOSE = b"akhbar-img-v1:"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: str, url: str) -> str:
    digest = hmac.new(key.encode("utf-8"), _PURPOSE + url.encode("utf-8"), hashlib.sha256).digest()
    return _b64(digest[:SIGNATURE_BYTES])


def image_path(key: str, url: str) -> str:
    """Return the signed /img/{signature}/{token} path that serves an outlet's image from our cache."""
    return f"{PREFIX}{_signature(key, url)}/{_b64(url.encode('utf-8'))}"


def verify(key: str, signature: str, token: str) -> str | None:
    """Return the image URL a signed path stands for, or None when the signature does not match."""
    if len(token) > MAX_URL_CHARS * 2 or len(signature) > 64:
        return None
    try:
        url = _unb64(token).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(_signature(key, url), signature):
        return None
    return url


def parse_image_path(key: str, path: str) -> str | None:
    """Return the image URL behind a signed /img/... path (or absolute URL ending in one), None if forged."""
    at = path.find(PREFIX)
    if at < 0:
        return None
    signature, _, token = path[at + len(PREFIX) :].partition("/")
    return verify(key, signature, token.split("?", 1)[0])
