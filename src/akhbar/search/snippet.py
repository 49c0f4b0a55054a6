"""Highlighted snippets computed over the original text, so the reader sees accents and harakat intact."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from akhbar.search.normalize import _MARKS, normalize, words
from akhbar.search.query import Term

# Characters of text shown around the matches; about two lines of a result list.
SNIPPET_CHARS = 240
# Text scanned for matches: the first matches are the ones shown, and long articles would cost for nothing.
SCAN_CHARS = 5_000
# A word of original text: letters and digits with their marks and tatweel, so "أَحْمَد" stays one word.
_ORIGINAL_WORD = re.compile(r"(?:[^\W_]|" + _MARKS.pattern + r"|\u0640)+")

Span = tuple[int, int]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Return (normalised word, start, end) for each word of the original text."""
    found: list[tuple[str, int, int]] = []
    for match in _ORIGINAL_WORD.finditer(text, 0, SCAN_CHARS):
        word = match.group()
        normal = word.lower() if word.isascii() else normalize(word)  # the ASCII case inline: most words
        if normal.isalnum():
            found.append((normal, match.start(), match.end()))
            continue
        for part in words(normal):  # "ﻻ" or "ß" can grow; all parts share the span
            found.append((part, match.start(), match.end()))
    return found


def _matches_at(tokens: list[tuple[str, int, int]], at: int, term: Term) -> bool:
    if at + len(term.words) > len(tokens):
        return False
    for offset, wanted in enumerate(term.words):
        word = tokens[at + offset][0]
        last = offset == len(term.words) - 1
        if not (word == wanted or (last and term.prefix and word.startswith(wanted))):
            return False
    return True


def match_spans(text: str, terms: Sequence[Term]) -> list[tuple[Span, int]]:
    """Return ((start, end), term index) of every match of the terms in text, in text order."""
    tokens = _tokens(text)
    spans: list[tuple[Span, int]] = []
    at = 0
    while at < len(tokens):
        for index, term in enumerate(terms):
            if _matches_at(tokens, at, term):
                spans.append(((tokens[at][1], tokens[at + len(term.words) - 1][2]), index))
                at += len(term.words) - 1
                break
        at += 1
    return spans


def _window_start(text: str, spans: list[tuple[Span, int]], size: int) -> int:
    """Return where to start the window that shows the most distinct terms (the earliest on ties)."""
    best, best_count = 0, -1
    for (start, _), _term in spans:
        count = len({index for (s, e), index in spans if start <= s and e <= start + size * 3 // 4})
        if count > best_count:
            best, best_count = start, count
    # Back up to show a little of what comes before the first match, from a word boundary.
    begin = max(0, best - size // 4)
    if begin > 0:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= 0 and best - space < size // 2 else begin
    return begin


def _render(text: str, spans: list[tuple[Span, int]], begin: int, end: int) -> str:
    out: list[str] = ["…" if begin > 0 else ""]
    cursor = begin
    for (start, stop), _ in spans:
        if start < cursor or stop > end:
            continue
        out.append(html.escape(text[cursor:start]))
        out.append(f"<mark>{html.escape(text[start:stop])}</mark>")
        cursor = stop
    out.append(html.escape(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)


def snippet_html(text: str, terms: Sequence[Term], size: int = SNIPPET_CHARS) -> str:
    """Return an escaped excerpt of text around its matches, each match wrapped in <mark>."""
    text = " ".join(text.split())
    spans = match_spans(text, terms)
    begin = _window_start(text, spans, size) if spans else 0
    end = min(len(text), begin + size)
    if end < len(text):  # finish on a word boundary
        space = text.rfind(" ", begin, end)
        end = space if space > begin + size // 2 else end
    return _render(text, spans, begin, end)


def highlight_html(text: str, terms: Sequence[Term]) -> str:
    """Return all of a short text (a title) escaped, with its matches wrapped in <mark>."""
    return _render(text, match_spans(text, terms), 0, len(text))
