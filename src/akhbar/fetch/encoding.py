"""Turn a response body into text: declared charsets first, then detection."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import charset_normalizer

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_PROLOG = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# The HTML standard scans 1024 bytes for <meta charset>; pages with long heads put it later, so look further.
_SCAN_BYTES = 4096
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Labels that browsers read as windows-1252; the stricter codec is tried after it.
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"}


def _codec(label: str) -> str | None:
    """Return Python's codec name for a charset label, or None when unknown."""
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def _declared(content: bytes, content_type_header: str) -> Iterator[tuple[str, bool]]:
    """Yield (charset label, found inside the document) in the order they are trusted."""
    match = _HEADER_CHARSET.search(content_type_header or "")
    if match:
        yield match.group(1), False
    head = content[:_SCAN_BYTES]
    for pattern in (_XML_PROLOG, _META_CHARSET):
        found = pattern.search(head)
        if found:
            yield found.group(1).decode("ascii", "replace"), True


def _candidates(content: bytes, content_type_header: str) -> Iterator[str]:
    """Yield codec names to try, most trusted first."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            yield name
    for label, in_document in _declared(content, content_type_header):
        codec = _codec(label)
        # A document we could read as ASCII to find its label cannot really be UTF-16/32.
        if codec is None or (in_document and codec.startswith(("utf-16", "utf-32"))):
            continue
        if label.strip().lower() in _AS_WINDOWS_1252:
            yield "cp1252"
        yield codec


def decode_body(content: bytes, content_type_header: str = "") -> str:
    """Decode content using the header charset, the XML prolog, <meta charset>, then detection."""
    for name in _candidates(content, content_type_header):
        try:
            return content.decode(name)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(content).best()
    if best is not None:
        return str(best)
    return content.decode("utf-8", errors="replace")
