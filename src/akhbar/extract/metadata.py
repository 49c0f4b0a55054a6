"""Page metadata from schema.org JSON-LD, OpenGraph and ordinary meta tags."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from akhbar.extract.dates import parse_date
from akhbar.extract.sanitize import absolute_url

ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
     "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "Report"}
)  # fmt: skip
# ISO 639-2 codes that some sites put in lang attributes, mapped to the ISO 639-1 code we store.
_THREE_LETTER = {"ara": "ar", "fra": "fr", "fre": "fr", "eng": "en", "spa": "es", "ber": "", "zgh": ""}
_SPACES = re.compile(r"\s+")
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ")
_OG_IMAGE_KEYS = ("og:image", "og:image:url", "og:image:secure_url")


@dataclass
class PageMeta:
    """Metadata found on a page; empty strings mean "not found"."""

    title: str = ""
    author: str = ""
    published: datetime | None = None
    image: str = ""
    canonical_url: str = ""
    language: str = ""
    body: str = ""  # JSON-LD articleBody, as the page gave it (text or HTML)
    base_url: str = ""


def clean_text(value: object) -> str:
    """Return value as one line of text with entities decoded, or "" when it is not a string."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", htmllib.unescape(value)).strip()


def language_code(raw: str) -> str:
    """Return an ISO 639-1 code for a lang value such as "fr-MA", "ar_MA" or "ara", else ""."""
    match = _LANG.match(raw.strip())
    if not match:
        return ""
    code = match.group(1).lower()
    return _THREE_LETTER.get(code, "") if len(code) == 3 else code


def read_metadata(tree: HtmlElement, url: str, now: datetime | None = None) -> PageMeta:
    """Return the metadata of a parsed page, each field from its most trustworthy source."""
    base = _base_url(tree, url)
    meta = meta_tags(tree)
    ld, ids = jsonld_article(tree) or ({}, {})
    body = ld.get("articleBody")
    return PageMeta(
        title=_title(tree, ld, meta),
        author=_author(ld, ids, meta),
        published=_published(ld, meta, now),
        image=_image(ld, ids, meta, base),
        canonical_url=_first(_canonical_link(tree, base), absolute_url(meta.get("og:url", ""), base)),
        language=_language(tree, ld, meta),
        body=body if isinstance(body, str) else "",
        base_url=base,
    )


def _author(ld: dict[str, Any], ids: dict[str, dict[str, Any]], meta: dict[str, str]) -> str:
    """Return the author: JSON-LD, then article:author, author and dc.creator meta tags."""
    tags = (_plain_author(meta.get(key, "")) for key in ("article:author", "author", "dc.creator"))
    return _first(author_name(ld.get("author"), ids), *tags)


def _image(ld: dict[str, Any], ids: dict[str, dict[str, Any]], meta: dict[str, str], base: str) -> str:
    """Return the lead image: og:image, then JSON-LD image, then twitter:image (absolute, http(s))."""
    og = [absolute_url(meta.get(key, ""), base) for key in _OG_IMAGE_KEYS]
    twitter = absolute_url(meta.get("twitter:image", ""), base)
    return _first(*og, image_url(ld.get("image"), base, ids), twitter)


def _language(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str]) -> str:
    """Return the language: <html lang>, og:locale, content-language, language meta, JSON-LD inLanguage."""
    html_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    return _first(
        language_code(html_lang),
        language_code(meta.get("og:locale", "")),
        language_code(meta.get("content-language", "").split(",")[0]),
        language_code(meta.get("language", "")),
        language_code(clean_text(ld.get("inLanguage"))),
    )


def _first(*values: str) -> str:
    """Return the first non-empty value, else ""."""
    return next((v for v in values if v), "")


def _base_url(tree: HtmlElement, url: str) -> str:
    """Return the URL that relative links resolve against (<base href> when usable)."""
    for href in tree.xpath("//base/@href")[:1]:
        resolved = absolute_url(str(href), url)
        if resolved:
            return resolved
    return url


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """Return meta tag contents keyed by lower-cased property/name/itemprop/http-equiv; first one wins."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = clean_text(element.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attr) or "").strip().lower()
            if key:
                found.setdefault(key, content)
    return found


def _canonical_link(tree: HtmlElement, base: str) -> str:
    """Return the absolute http(s) URL of <link rel=canonical>, else ""."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return absolute_url(link.get("href") or "", base)
    return ""


def _title(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str]) -> str:
    """Return the headline: JSON-LD, OpenGraph, Twitter, a single <h1>, then a trimmed <title>."""
    headings = [clean_text(h.text_content()) for h in tree.iter("h1")]
    headings = [h for h in headings if h]
    single_h1 = headings[0] if len(headings) == 1 else ""
    return _first(
        clean_text(ld.get("headline")),
        clean_text(ld.get("name")),
        meta.get("og:title", ""),
        meta.get("twitter:title", ""),
        single_h1,
        _trim_site_name(_document_title(tree)),
    )


def _document_title(tree: HtmlElement) -> str:
    """Return the text of <title>, else ""."""
    for element in tree.iter("title"):
        return clean_text(element.text_content())
    return ""


def _trim_site_name(title: str) -> str:
    """Return title without a trailing " | Site name" part."""
    for separator in _TITLE_SEPARATORS:
        if separator in title:
            head = title.rsplit(separator, 1)[0].strip()
            # A short head means the separator belonged to the headline itself (e.g. "COP 30 - Bilan").
            if len(head) >= 15:
                return head
    return title


def _published(ld: dict[str, Any], meta: dict[str, str], now: datetime | None) -> datetime | None:
    """Return the first plausible publication date from JSON-LD, then meta tags."""
    candidates = [ld.get("datePublished"), ld.get("dateCreated")]
    candidates += [
        meta.get(k)
        for k in (
            "article:published_time",
            "og:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
        )
    ]
    for raw in candidates:
        value = parse_date(raw, now)
        if value is not None:
            return value
    return None


def _plain_author(value: str) -> str:
    """Return value unless it is a URL (article:author often links to a profile page)."""
    return "" if re.match(r"^(https?:)?//", value) else value


def author_name(value: Any, ids: dict[str, dict[str, Any]]) -> str:
    """Return author names from a JSON-LD author: text, Person/Organization, @id reference or a list."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = ids.get(str(item.get("@id")), item) if "name" not in item else item
            name = clean_text(item.get("name"))
        else:
            name = _plain_author(clean_text(item))
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


def image_url(value: Any, base: str, ids: dict[str, dict[str, Any]]) -> str:
    """Return the first http(s) URL of a JSON-LD image: text, ImageObject, @id reference or a list."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            item = ids.get(str(item.get("@id")), item)
            item = item.get("url") or item.get("contentUrl") or ""
        url = absolute_url(item, base) if isinstance(item, str) else ""
        if url:
            return url
    return ""


def jsonld_article(tree: HtmlElement) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    """Return the page's first schema.org article node and a map of all nodes by @id, else None."""
    scripts = tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
    nodes = [node for script in scripts for node in _walk(_load_json(script.text or ""))]
    ids = {str(node["@id"]): node for node in nodes if isinstance(node.get("@id"), str)}
    for node in nodes:
        if _types(node) & ARTICLE_TYPES:
            return node, ids
    return None


def _load_json(text: str) -> Any:
    """Return the JSON in a script element, tolerating comment wrappers and a trailing semicolon."""
    text = text.strip()
    for junk in ("<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"):
        text = text.replace(junk, "")
    try:
        return json.loads(text.strip().rstrip(";"), strict=False)
    except (ValueError, RecursionError):
        return None


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Yield the dict nodes of JSON-LD data: top-level lists, @graph members and mainEntity."""
    if depth > 4:  # real pages nest two or three levels; deeper is junk not worth walking
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                yield from _walk(data[key], depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    """Return a node's @type names without any schema.org prefix."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {re.split(r"[/:]", v)[-1] for v in values if isinstance(v, str)}
