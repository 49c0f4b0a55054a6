"""parse_feed: bytes in, ParsedFeed out; checks the input, picks the engine, normalises what it returns.

Engine choice (measured, see docs/parse.md): on the feedparser corpus feedparser gets 95.5% of the
considered expectations right and a fastfeedparser-first chain 89.8%, but on a 3 MB feed fastfeedparser is
about 80 times faster (75 MB/s against 0.9 MB/s). So a document below FAST_PATH_MIN_BYTES, where feedparser
costs well under a second, is read by feedparser; a bigger well-formed one by fastfeedparser, unless it uses
a construct fastfeedparser does not interpret. Whichever engine goes first, the other one is tried when it
fails or finds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from akhbar.models import FeedItem, ParsedFeed
from akhbar.parse import guard
from akhbar.parse.charset import repair_charset
from akhbar.parse.engines import RawFeed, with_fastfeedparser, with_feedparser
from akhbar.parse.errors import FeedError, NotAFeedError
from akhbar.parse.images import absolute
from akhbar.parse.jsonfeed import looks_like_json, read_json_feed
from akhbar.parse.normalize import plain_text, to_item

# "auto" is the production choice; the others exist so benchmarks/parse.py can measure each path.
ENGINES = ("auto", "fast-first", "feedparser-first", "fastfeedparser", "feedparser")
# feedparser reads ~0.9 MB/s (benchmarks/parse.py), so below this size it costs under ~0.6 s per feed;
# news feeds are mostly 20-300 KB and get the most forgiving engine, 10,000-item dumps get the fast one.
FAST_PATH_MIN_BYTES = 512 * 1024
_HTML_ROOTS = {"html", "head", "body"}
_FEED_ROOTS = {"rss": "rss", "rdf": "rdf", "feed": "atom", "channel": "rss"}
# Constructs fastfeedparser does not interpret (measured on the feedparser corpus, see docs/parse.md):
# xml:base, Atom 0.3, inline XHTML and base64 content. A document using one goes to feedparser.
_FEEDPARSER_MARKERS = (
    "xml:base",
    "http://purl.org/atom/ns#",
    "http://www.w3.org/1999/xhtml",
    'mode="base64"',
    "mode='base64'",
    'type="xhtml"',
    "type='xhtml'",
)
_BLANK = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"


def parse_feed(data: bytes, url: str, *, now: datetime | None = None, max_items: int = 10000) -> ParsedFeed:
    """Return the feed in `data` (fetched from `url`); raise FeedError when it cannot be read as one."""
    return parse_with(data, url, now=now, max_items=max_items, engine="auto")


def parse_with(
    data: bytes, url: str, *, now: datetime | None = None, max_items: int = 10000, engine: str = "auto"
) -> ParsedFeed:
    """Return the feed in `data` read as `engine` says (one of ENGINES; parse_feed uses "auto")."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    if not data.strip(_BLANK):
        raise FeedError("parse: empty document (no bytes to read)", "empty")
    if looks_like_json(data):
        return _finish(read_json_feed(data, url), now, max_items, [])
    data, note = repair_charset(data)
    notes = [note] if note else []
    text = guard.as_text(data)
    entities = guard.check_entities(text, len(data))
    if entities:
        data = guard.inline_entities(data, entities)
        text = guard.as_text(data)
    probe = guard.probe(data)
    if probe.root in _HTML_ROOTS:
        raise NotAFeedError(
            "parse: not a feed: this looks like an HTML page (try feed discovery on the site URL)"
        )
    if not probe.root:
        raise FeedError(f"parse: not XML: no element found ({probe.error or 'no markup'})", "not_xml")
    fast_ok = probe.well_formed and not any(marker in text for marker in _FEEDPARSER_MARKERS)
    if engine == "auto":
        engine = "fast-first" if len(data) >= FAST_PATH_MIN_BYTES else "feedparser-first"
    raw = _run(data, url, engine, fast_ok=fast_ok)
    if not raw.usable:
        _refuse_unusable(probe)
    if not probe.well_formed:
        notes.append(f"parse: ill-formed XML recovered ({probe.error})")
    raw.format = _format(raw, probe.root)
    return _finish(raw, now, max_items, notes)


def _run(data: bytes, url: str, engine: str, *, fast_ok: bool) -> RawFeed:
    """Run the chosen engine first and, unless one engine was forced, the other when it finds nothing."""
    if engine == "feedparser":
        return _guarded(with_feedparser, data, url)
    if engine == "fastfeedparser":
        return _guarded(with_fastfeedparser, data, url)
    order = [with_fastfeedparser, with_feedparser]
    if engine == "feedparser-first" or not fast_ok:
        order.reverse()
    first: RawFeed | None = None
    for reader in order:
        try:
            raw = _guarded(reader, data, url)
        except FeedError:
            continue
        if raw.usable:
            return raw
        first = first or raw  # both empty: the first engine's reading (it may still carry a language)
    if first is None:
        raise FeedError("parse: neither feed engine could read the document", "not_xml")
    return first


def _guarded(engine: Callable[[bytes, str], RawFeed], data: bytes, url: str) -> RawFeed:
    try:
        return engine(data, url)
    # Third-party engines fail in many ways on hostile bytes; none of it may escape as anything but FeedError.
    except Exception as exc:  # noqa: BLE001
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise FeedError(f"parse: cannot read the document: {message}", "not_xml") from None


def _refuse_unusable(probe: guard.Probe) -> None:
    if not probe.well_formed:
        raise FeedError(f"parse: {probe.error}", "not_xml")
    if probe.root not in _FEED_ROOTS:
        raise FeedError(
            f"parse: unsupported document: root element <{probe.root}> is not RSS, RDF or Atom", "unsupported"
        )


def _format(raw: RawFeed, root: str) -> str:
    version = raw.version
    if version.startswith(("rss090", "rss10")):
        return "rdf"
    if version.startswith("atom"):
        return "atom"
    if version.startswith(("rss", "cdf")):
        return "rss"
    return _FEED_ROOTS.get(root, "")


def _finish(raw: RawFeed, now: datetime | None, max_items: int, notes: list[str]) -> ParsedFeed:
    """Build the ParsedFeed: feed fields, items (first of each guid kept, at most `max_items`), warnings."""
    now = now or datetime.now(UTC)
    language = str(raw.feed.get("language") or "").strip().lower()
    link = absolute(str(raw.feed.get("link") or ""), raw.base)
    items: list[FeedItem] = []
    seen: set[str] = set()
    duplicates = 0
    for entry in raw.entries:
        if len(items) >= max_items:
            notes.append(f"parse: kept the first {max_items} of {len(raw.entries)} items (max_items)")
            break
        item = to_item(entry, raw, language, now)
        if item.guid in seen:
            duplicates += 1
            continue
        seen.add(item.guid)
        items.append(item)
    if duplicates:
        notes.append(f"parse: dropped {duplicates} item(s) whose guid repeats an earlier one (first kept)")
    title = plain_text(raw.feed.get("title"))
    return ParsedFeed(
        title=title, link=link, language=language, format=raw.format, items=items, warnings=notes
    )
