"""The fetch stage: HTTP with conditional GET, politeness, robots.txt, limits and an SSRF guard."""

from akhbar.fetch.client import FEED_ACCEPT, HTML_ACCEPT, Fetcher
from akhbar.fetch.encoding import decode_body
from akhbar.fetch.errors import FetchError
from akhbar.fetch.guard import Resolver, is_public_address
from akhbar.fetch.response import FetchResult

__all__ = [
    "FEED_ACCEPT",
    "HTML_ACCEPT",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "Resolver",
    "decode_body",
    "is_public_address",
]
