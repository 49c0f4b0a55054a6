"""Read JSON Feed 1.0/1.1 documents into the same feedparser-shaped RawFeed the XML engines return."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from akhbar.parse.engines import RawFeed
from akhbar.parse.errors import FeedError


def looks_like_json(data: bytes) -> bool:
    """Return True when the document starts (after a BOM and spaces) with '{'."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _load(data: bytes) -> Mapping[str, Any]:
    try:
        document = json.loads(data.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise FeedError(f"parse: invalid JSON at line {exc.lineno}: {exc.msg}", "not_xml") from None
    except RecursionError:
        raise FeedError("parse: refused: JSON nested too deeply", "hostile") from None
    version = str(document.get("version", "")) if isinstance(document, dict) else ""
    if not version.startswith("https://jsonfeed.org/version/") or not isinstance(document.get("items"), list):
        raise FeedError(
            "parse: unsupported JSON: not a JSON Feed (no jsonfeed.org version or no items)", "unsupported"
        )
    return document


def _authors(item: Mapping[str, Any]) -> list[dict[str, str]]:
    people = item.get("authors")
    if not isinstance(people, list):
        people = [item.get("author")]
    return [{"name": str(p.get("name") or p.get("url") or "")} for p in people if isinstance(p, Mapping)]


def _content(item: Mapping[str, Any]) -> str:
    if item.get("content_html"):
        return str(item["content_html"])
    text = str(item.get("content_text") or "")
    return html.escape(text) if text else ""


def _entry(item: Mapping[str, Any], language: str) -> dict[str, Any]:
    attachments = [a for a in item.get("attachments") or () if isinstance(a, Mapping)]
    identifier = item.get("id")
    return {
        "id": "" if identifier is None else str(identifier),
        "link": str(item.get("url") or item.get("external_url") or ""),
        "title": html.escape(str(item.get("title") or "")),
        "summary": html.escape(str(item.get("summary") or "")),
        "content": [{"value": _content(item)}],
        "published": str(item.get("date_published") or ""),
        "updated": str(item.get("date_modified") or ""),
        "authors": _authors(item),
        "tags": [{"term": str(t)} for t in item.get("tags") or () if isinstance(t, str | int)],
        "enclosures": [{"href": a.get("url"), "type": a.get("mime_type")} for a in attachments],
        "image": str(item.get("image") or item.get("banner_image") or ""),
        "language": str(item.get("language") or language),
        "guidislink": False,
    }


def read_json_feed(data: bytes, url: str) -> RawFeed:
    """Return the RawFeed of a JSON Feed document; raise FeedError for invalid JSON or other JSON."""
    document = _load(data)
    language = str(document.get("language") or "")
    feed = {
        "title": html.escape(str(document.get("title") or "")),
        "link": str(document.get("home_page_url") or ""),
        "language": language,
    }
    items = [item for item in document["items"] if isinstance(item, Mapping)]
    entries: list[Mapping[str, Any]] = [_entry(item, language) for item in items]
    return RawFeed("json", feed, entries, version="json1", format="json", base=url)
