"""Refuse hostile XML (entity bombs, external entities) and probe well-formedness without opening anything.

Neither engine is trusted alone: fastfeedparser's lxml parsers allow huge trees, and feedparser hands the
bytes to expat and then to a forgiving regex parser. So every document passes here first: entity
declarations are read from the prolog and refused unless they are small literal strings, and the strict
probe parse uses lxml with entities unresolved, no DTD loading, no network and libxml2's size limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from akhbar.parse.errors import FeedError

# Real feeds declare at most a handful of entities (old RSS 0.91 feeds copied a few from HTML).
MAX_ENTITIES = 64
# Expansion allowed beyond the document's own size: a literal entity used on every line of a big feed
# stays far below it, a quadratic blow-up (a long entity repeated thousands of times) goes far above.
MAX_EXPANSION = 1 << 20

_FIRST_ELEMENT = re.compile(r"<([A-Za-z_][\w:.-]*)")
_VALUE = r"(?:[^\"&%<]|&#[0-9]{1,7};|&#x[0-9a-fA-F]{1,6};)*"
_SAFE_ENTITY = re.compile(
    r"<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:\"(" + _VALUE + r")\"|'(" + _VALUE.replace('"', "'") + r")')\s*>"
)
_LOCATION = re.compile(r",? line \d+, column \d+$")
_PROBE_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "collect_ids": False,
}


@dataclass(frozen=True)
class Probe:
    """What a strict, safe parse learnt about a document."""

    well_formed: bool
    root: str  # local name of the first element, lower case ("" when there is none)
    error: str = ""  # the strict parser's first complaint, with its line


def as_text(data: bytes) -> str:
    """Decode `data` just enough to scan its markup (UTF-16/32 by BOM or NUL pattern, else byte for byte)."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<"):
        codec = (
            "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le" if data[0] else "utf-16-be")
        )
        return data.decode(codec, errors="replace")
    # Latin-1 maps every byte to one character, so the ASCII markup is found whatever the real charset.
    return data.decode("latin-1")


def prolog(text: str) -> str:
    """Return what comes before the first element: XML declaration, comments, DOCTYPE."""
    match = _FIRST_ELEMENT.search(text)
    return text[: match.start()] if match else text


def first_element(text: str) -> str:
    """Return the local name, lower case, of the first element in `text` ("" when none)."""
    match = _FIRST_ELEMENT.search(text)
    return match.group(1).rsplit(":", 1)[-1].lower() if match else ""


def check_entities(text: str, size: int) -> dict[str, str]:
    """Raise FeedError(kind="hostile") for dangerous entity declarations; return the safe ones by name."""
    head = prolog(text)
    starts = [m.start() for m in re.finditer(r"<!ENTITY", head)]
    if len(starts) > MAX_ENTITIES:
        raise FeedError(
            f"parse: refused: the DOCTYPE declares {len(starts)} entities (an entity bomb?)", "hostile"
        )
    expansion = 0
    found: dict[str, str] = {}
    for start in starts:
        match = _SAFE_ENTITY.match(head, start)
        if match is None:
            raise FeedError(
                "parse: refused: the DOCTYPE declares an external, parameter or nested entity "
                "(XML entity attack?)",
                "hostile",
            )
        value = match.group(2) if match.group(2) is not None else match.group(3)
        found.setdefault(match.group(1), value)
        expansion += len(value) * text.count(f"&{match.group(1)};")
    if expansion > MAX_EXPANSION + size:
        raise FeedError(
            f"parse: refused: entities would expand to {expansion} characters (an entity bomb?)", "hostile"
        )
    return found


def inline_entities(data: bytes, entities: dict[str, str]) -> bytes:
    """Return `data` with its (checked, literal) entities written out and their declarations removed.

    Engines disagree on declared entities (lxml leaves them unresolved, feedparser only keeps those it
    finds at the start of a line), so they are expanded here, once, within the bounds checked above.
    """
    if not entities or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return data
    text = data.decode("latin-1")  # byte for byte, so the encoding of the rest is untouched
    head = prolog(text)
    body = text[len(head) :]
    head = _SAFE_ENTITY.sub("", head)
    for name, value in entities.items():
        body = body.replace(f"&{name};", value)
    return (head + body).encode("latin-1")


def probe(data: bytes) -> Probe:
    """Parse `data` strictly and safely; report well-formedness, the root element and the first error."""
    parser = etree.XMLParser(recover=False, **_PROBE_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = _LOCATION.sub("", (str(exc.msg or exc).strip().splitlines() or [""])[0])
        if "Excessive depth" in message:
            raise FeedError(
                "parse: refused: elements nested deeper than libxml2 allows (256)", "hostile"
            ) from None
        if "huge" in message.lower():
            raise FeedError(
                f"parse: refused: document past libxml2's size limits ({message})", "hostile"
            ) from None
        line = f" at line {exc.lineno}" if exc.lineno else ""
        return Probe(False, first_element(as_text(data[:65536])), f"invalid XML{line}: {message}")
    except ValueError as exc:  # lxml refuses some inputs (e.g. unicode with an encoding declaration)
        return Probe(False, first_element(as_text(data[:65536])), f"invalid XML: {exc}")
    if root is None:
        return Probe(False, "", "invalid XML: no root element")
    tag = root.tag if isinstance(root.tag, str) else ""
    return Probe(True, tag.rsplit("}", 1)[-1].lower())
