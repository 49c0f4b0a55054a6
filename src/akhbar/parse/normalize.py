"""Turn an engine's feedparser-shaped entries into FeedItems: plain titles, absolute links, UTC dates."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from akhbar.models import FeedItem
from akhbar.parse.dates import settle, to_utc
from akhbar.parse.engines import RawFeed
from akhbar.parse.images import absolute, pick_image, resolve_links

_TAG = re.compile(r"<[^>]*>")
# RSS <author> is "email (Name)" by the spec and often "Name (email)" in practice: keep the name.
_EMAIL_THEN_NAME = re.compile(r"^\s*[^\s@()]+@[^\s()]+\s*\((.+)\)\s*$")
_NAME_THEN_EMAIL = re.compile(r"^\s*(.+?)\s*\(\s*[^\s@()]+@[^\s()]+\s*\)\s*$")


def plain_text(value: Any) -> str:
    """Return `value` as one line of plain text: tags dropped, entities decoded, spaces collapsed."""
    text = str(value or "")
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def _detail_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "".join(_detail_value(v) for v in value[:1])
    if isinstance(value, Mapping):
        return str(value.get("value") or "")
    return str(value or "")


def entry_language(entry: Mapping[str, Any], fallback: str) -> str:
    """Return the entry's own language (dc:language, xml:lang of its text) or `fallback`."""
    found = entry.get("language")
    for key in ("title_detail", "summary_detail"):
        if not found and isinstance(entry.get(key), Mapping):
            found = entry[key].get("language")
    content = entry.get("content")
    if not found and content and isinstance(content[0], Mapping):
        found = content[0].get("language")
    return str(found or fallback or "").strip().lower()


def author_name(value: Any) -> str:
    """Return the person's name from an author string such as "me@example.com (Jo Bloggs)"."""
    text = plain_text(value)
    match = _EMAIL_THEN_NAME.match(text) or _NAME_THEN_EMAIL.match(text)
    return match.group(1).strip() if match else text


def _authors(entry: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for author in entry.get("authors") or ():
        if isinstance(author, Mapping):
            name = author_name(author.get("name") or author.get("email") or "")
        else:
            name = author_name(author)
        if name and name not in names:
            names.append(name)
    if not names and entry.get("author"):
        names.append(author_name(entry["author"]))
    return names


def _categories(entry: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for tag in entry.get("tags") or ():
        term = (
            plain_text(tag.get("term") or tag.get("label") or "")
            if isinstance(tag, Mapping)
            else plain_text(tag)
        )
        if term and term not in found:
            found.append(term)
    return found


def _drop_copy(summary: str, content: str, *, atom: bool) -> tuple[str, str]:
    """Drop the text an engine derived from the other one, keeping what the feed carried."""
    if not atom:
        return summary, "" if content.strip() == summary.strip() else content
    # An Atom teaser made from <content> is its plain text cut short; a real <summary> rarely is.
    teaser = plain_text(summary)
    if summary.strip() == content.strip() or ("<" not in summary and plain_text(content).startswith(teaser)):
        return "", content
    return summary, content


def _texts(entry: Mapping[str, Any], raw: RawFeed, base: str) -> tuple[str, str]:
    """Return (summary, content) as the feed gave them, relative links resolved against `base`."""
    summary = str(entry.get("summary") or entry.get("description") or "")
    content = _detail_value(entry.get("content"))
    if raw.fills_missing_text:
        summary, content = _drop_copy(summary, content, atom=raw.format == "atom")
    return resolve_links(summary, base), resolve_links(content, base)


def _date(entry: Mapping[str, Any], name: str) -> datetime | None:
    return to_utc(entry.get(f"{name}_parsed")) or to_utc(entry.get(name))


def _guid(entry: Mapping[str, Any], url: str, title: str, published: datetime | None) -> str:
    guid = str(entry.get("id") or entry.get("guid") or "").strip()
    if guid:
        return guid
    if url:
        return url
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}".encode()).hexdigest()


def _link(entry: Mapping[str, Any], base: str) -> str:
    link = absolute(str(entry.get("link") or ""), base)
    guid = str(entry.get("id") or "")
    # An RSS guid is a permalink unless it says otherwise; feedparser marks that with guidislink.
    if not link and (entry.get("guidislink") or entry.get("guidislink") is None):
        link = absolute(guid, "") if guid.lower().startswith(("http://", "https://")) else ""
    return link


def to_item(entry: Mapping[str, Any], raw: RawFeed, language: str, now: datetime) -> FeedItem:
    """Return the FeedItem for one entry of `raw`; `language` is the feed's, used when the entry has none."""
    url = _link(entry, raw.base)
    title = plain_text(entry.get("title"))
    # JSON Feed content is relative to its item; XML content to the document (xml:base goes to feedparser).
    base = (url or raw.base) if raw.engine == "json" else raw.base
    summary, content = _texts(entry, raw, base)
    given = _date(entry, "published") or _date(entry, "created")
    updated = _date(entry, "updated")
    published, note = settle(given, updated, now)
    return FeedItem(
        # The date as given, never the clamped one, so a hashed guid stays the same from fetch to fetch.
        guid=_guid(entry, url, title, given or updated),
        url=url,
        title=title,
        summary=summary,
        content=content,
        published=published,
        updated=updated,
        authors=_authors(entry),
        image=pick_image(entry, (content, summary), base),
        categories=_categories(entry),
        language=entry_language(entry, language),
        date_note=note,
    )
