"""OPML 2.0 import and export of sources, with XML entities refused (no XXE, no entity bombs)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from akhbar.models import SourceSpec
from akhbar.sources.errors import SourceFileError, check_spec, one_line

# Our own attribute for what OPML has no word for; readers ignore attributes of unknown namespaces.
AKHBAR_NS = "urn:akhbar:opml:1"
_FETCH_ATTR = f"{{{AKHBAR_NS}}}fetchArticlePages"


def _parse_xml(data: bytes) -> ET.Element:
    """Parse bytes as XML with entity declarations refused, or raise SourceFileError saying why."""
    try:
        root: ET.Element = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise SourceFileError(
            f"sources: OPML refused: it declares XML entities ({type(exc).__name__}), "
            "which could read local files or exhaust memory"
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = one_line(str(exc).split(":")[0], 60)  # expat's words, e.g. "mismatched tag"
        message = f"sources: not an OPML file: invalid XML at line {line}, column {column} ({reason})"
        raise SourceFileError(message) from None
    return root


def _outline_name(outline: ET.Element) -> str:
    """Return an outline's title, else its text."""
    return (outline.get("title") or outline.get("text") or "").strip()


def _outline_category(outline: ET.Element, folders: list[str]) -> str:
    """Return the outline's own OPML category (last part of its first path), else the innermost folder."""
    own = (outline.get("category") or "").split(",")[0].strip().strip("/")
    if own:
        return own.rsplit("/", 1)[-1].strip()
    return folders[-1] if folders else ""


def _outline_spec(outline: ET.Element, folders: list[str]) -> SourceSpec | None:
    """Return the source an outline describes, or None when it is a folder (or empty)."""
    feed_url = (outline.get("xmlUrl") or "").strip()
    site_url = (outline.get("htmlUrl") or outline.get("url") or "").strip()
    if not feed_url and (not site_url or len(outline.findall("outline")) > 0):
        return None
    spec = SourceSpec(
        url=site_url or feed_url,
        name=_outline_name(outline),
        feed_url=feed_url,
        language=outline.get("language") or "",
        category=_outline_category(outline, folders),
        fetch_article_pages=outline.get(_FETCH_ATTR) or "",
    )
    return check_spec(spec, f"outline {one_line(spec.name or spec.url, 60)!r}")


def _walk(
    element: ET.Element, folders: list[str], specs: list[SourceSpec], seen: set[tuple[str, str]]
) -> None:
    """Collect the sources under element, depth first, keeping the first of duplicates."""
    for outline in element.findall("outline"):
        spec = _outline_spec(outline, folders)
        if spec is not None and (spec.url, spec.feed_url) not in seen:
            seen.add((spec.url, spec.feed_url))
            specs.append(spec)
        name = _outline_name(outline)
        _walk(outline, [*folders, name] if spec is None and name else folders, specs, seen)


def parse_opml(data: bytes) -> list[SourceSpec]:
    """Return the sources of an OPML document; folders name the category of the sources inside them."""
    root = _parse_xml(data)
    if root.tag != "opml":
        raise SourceFileError(f"sources: not an OPML file: the root element is <{one_line(root.tag, 40)}>")
    body = root.find("body")
    if body is None:
        raise SourceFileError("sources: not an OPML file: it has no <body> element")
    specs: list[SourceSpec] = []
    _walk(body, [], specs, set())
    return specs


def _outline_of(spec: SourceSpec) -> ET.Element:
    """Return the outline element describing one source."""
    attrs = {"text": spec.name}
    if spec.name:
        attrs["title"] = spec.name
    if spec.feed_url:
        attrs.update(type="rss", xmlUrl=spec.feed_url, htmlUrl=spec.url)
    else:  # no feed known yet: a link outline, the feed is discovered on first refresh
        attrs.update(type="link", url=spec.url, htmlUrl=spec.url)
    if spec.language:
        attrs["language"] = spec.language
    if spec.fetch_article_pages:
        attrs[_FETCH_ATTR] = spec.fetch_article_pages
    return ET.Element("outline", attrs)


def export_opml(specs: Iterable[SourceSpec], title: str = "akhbar sources") -> str:
    """Return an OPML 2.0 document of the sources, one folder per category (in order of first appearance)."""
    ET.register_namespace("akhbar", AKHBAR_NS)
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for spec in specs:
        parent = body
        if spec.category:
            if spec.category not in folders:
                folders[spec.category] = ET.SubElement(body, "outline", {"text": spec.category})
            parent = folders[spec.category]
        parent.append(_outline_of(spec))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
