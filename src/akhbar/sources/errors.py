"""Errors of the sources package and the checks every imported source passes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from akhbar.models import SourceSpec

FETCH_MODES = frozenset({"", "auto", "always", "never"})
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class SourceFileError(Exception):
    """A sources file (OPML or sources.toml) cannot be read; the message is one line naming the cause."""


class DiscoveryError(Exception):
    """No feed could be found for a site; the message lists what was tried."""


def one_line(text: object, limit: int = 200) -> str:
    """Return text on one line, shortened to limit characters, for error messages."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def is_http_url(url: str) -> bool:
    """Tell whether url is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def check_spec(spec: SourceSpec, where: str) -> SourceSpec:
    """Return spec with its fields stripped, or raise SourceFileError naming where the bad value is."""
    spec = SourceSpec(
        url=spec.url.strip(), name=spec.name.strip(), feed_url=spec.feed_url.strip(),
        language=spec.language.strip().lower(), category=spec.category.strip(),
        fetch_article_pages=spec.fetch_article_pages.strip().lower(),
    )
    problem = _problem(spec)
    if problem:
        raise SourceFileError(f"sources: {where}: {problem}")
    return spec


def _problem(spec: SourceSpec) -> str:
    """Return what is wrong with a stripped spec, or an empty string."""
    if not is_http_url(spec.url):
        return f"url is not an http(s) URL: {one_line(spec.url, 80)!r}"
    if spec.feed_url and not is_http_url(spec.feed_url):
        return f"feed_url is not an http(s) URL: {one_line(spec.feed_url, 80)!r}"
    if spec.language and not _LANGUAGE.match(spec.language):
        return f"language must be an ISO 639 code like 'fr', got {one_line(spec.language, 40)!r}"
    if spec.fetch_article_pages not in FETCH_MODES:
        return f"fetch_article_pages must be auto, always or never, got {spec.fetch_article_pages[:40]!r}"
    return ""
