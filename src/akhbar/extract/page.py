"""Turn page bytes into a bounded, decoded string and a parsed lxml tree."""

from __future__ import annotations

import codecs
import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

# Real article pages weigh 50-500 KB; 4 MB keeps any plausible article whole while a 50 MB page is cut
# before trafilatura spends minutes on it (a 200,000-word page, ~1.5 MB, extracts in a few seconds).
MAX_PAGE_BYTES = 4_000_000
MAX_PAGE_CHARS = MAX_PAGE_BYTES
# Browsers look for a <meta charset> in the first kilobytes only; so do we.
_SNIFF_BYTES = 4096
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARED = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# An undeclared, non-UTF-8 page from our outlets (French, Arabic, English, Spanish) is nearly always in one
# of these; left free, charset-normalizer reads short Latin-1 snippets as CJK encodings.
_GUESSES = ("utf_8", "cp1252", "cp1256", "iso8859_6", "iso8859_15")
# Labels that the web (WHATWG Encoding) decodes as windows-1252 whatever they say.
_AS_1252 = {"iso8859-1", "latin-1", "ascii", "us-ascii", "iso-8859-1", "latin1"}


def declared_encoding(data: bytes) -> str:
    """Return the codec named by a BOM, <meta charset> or XML declaration, if Python knows it, else ""."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:_SNIFF_BYTES]
    match = _DECLARED.search(head) or _XML_DECLARED.search(head)
    if not match:
        return ""
    label = match.group(1).decode("ascii", "ignore").lower()
    if label in _AS_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def _decode_strict(data: bytes, codec: str) -> str | None:
    """Return data decoded with codec, forgiving only a sequence cut at the very end, else None."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 4:  # the size bound may have cut a multi-byte character in two
            return data[: exc.start].decode(codec, "replace")
        return None
    except LookupError:
        return None


def _guess(data: bytes) -> str:
    """Return data decoded with charset-normalizer's best guess, else windows-1252."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(_GUESSES)).best()
    codec = best.encoding if best is not None else "cp1252"
    return data.decode(codec, "replace")


def decode_page(page: bytes | str) -> str:
    """Return the page as size-bounded text, decoded by BOM, declared charset, UTF-8 or a guess."""
    if isinstance(page, str):
        text = page[:MAX_PAGE_CHARS]
    else:
        data = bytes(page[:MAX_PAGE_BYTES])
        text = _decode_bytes(data)
    return _CONTROLS.sub("", text)


def _decode_bytes(data: bytes) -> str:
    """Return data decoded by its declared codec, else as UTF-8, else by a guess."""
    declared = declared_encoding(data)
    for codec in (declared, "utf-8") if declared else ("utf-8",):
        text = _decode_strict(data, codec)
        if text is not None:
            return text
    return _guess(data)


def parse_page(text: str) -> HtmlElement | None:
    """Return the lxml tree of a decoded page, or None when there is nothing to parse."""
    if not text.strip():
        return None
    # Parsing UTF-8 bytes with the encoding forced makes lxml ignore the page's own (now wrong) charset
    # declaration; no_network keeps libxml2 from fetching DTDs.
    parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        tree = document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.LxmlError, ValueError):
        return None
    return tree if isinstance(tree, HtmlElement) else None
