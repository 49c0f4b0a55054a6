"""Highlighted snippets computed over the original text, so the reader sees accents and harakat intact."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from akhbar.search.normalize import _MARKS, normalize, words
from akhbar.search.query import Term

# Characters of text shown around the matches; about two lines of a result list.
SNIPPET_CHARS = 240
# Text scanned for the first match: the first matches are the ones shown, and long articles would cost for
# nothing.
SCAN_CHARS = 5_000
# Text after the first match where more matches may move the window (to show more distinct terms): the
# excerpt, bounded, so that a long article costs no more than a short one once its first match is found.
EXCERPT_CHARS = 2 * SNIPPET_CHARS
# A word of original text: letters and digits with their marks and tatweel, so "أَحْمَد" stays one word.
_ORIGINAL_WORD = re.compile(r"(?:[^\W_]|" + _MARKS.pattern + r"|\u0640)+")
# Distinct words normalised once per process, not once per hit: news text repeats its words (measured: at
# 1,000,000 articles, 20 hits' words are 80% already seen); the cache bounds the memory at a few MB.
_NORMAL_WORDS = 100_000

Span = tuple[int, int]
Token = tuple[str, int, int]


@lru_cache(maxsize=_NORMAL_WORDS)
def _normal_parts(word: str) -> tuple[str, ...]:
    """Return the normalised words of one original word (usually one; "ﻻ" or "ß" can grow into more)."""
    normal = word.lower() if word.isascii() else normalize(word)  # the ASCII case inline: most words
    return (normal,) if normal.isalnum() else tuple(words(normal))


def _tokens(text: str, stop: int) -> Iterator[Token]:
    """Yield (normalised word, start, end) for each word of the original text before stop."""
    for match in _ORIGINAL_WORD.finditer(text, 0, stop):
        start, end = match.span()
        for part in _normal_parts(match.group()):  # all parts share the span
            yield part, start, end


class _Folded(dict[int, str]):
    """str.translate table: each character to ONE character, so offsets in the folded text are the text's.

    A word character becomes its normalised letter, or \x01 when normalising removes it (marks, tatweel,
    hamza); any other character becomes a space. A character whose normalisation is not one letter ("œ",
    "ß", "™", ligatures) becomes \x02: texts holding one take the word-by-word path. Filled on demand.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        normal = normalize(char)
        if _ORIGINAL_WORD.fullmatch(char) is None:
            value = "\x02" if any(c.isalnum() for c in normal) else " "
        elif not normal:
            value = "\x01"
        else:
            value = normal if len(normal) == 1 and normal.isalnum() else "\x02"
        self[code] = value
        return value


_FOLDED = _Folded()
_SPECIAL = "\x02"
# Between two words of a phrase: spaces, and words that normalise to nothing (a lone mark or tatweel).
_GAP = "[ ]+(?:\x01+[ ]+)*"


def _word_pattern(word: str, prefix: bool) -> str:
    """Return the regex of one normalised word in folded text, removed characters allowed anywhere."""
    letters = "\x01*".join(re.escape(letter) for letter in word)
    return "\x01*" + letters + ("[^ ]*" if prefix else "\x01*")


@lru_cache(maxsize=256)
def _terms_pattern(terms: tuple[Term, ...]) -> re.Pattern[str]:
    """Return one regex of the terms in folded text, group i+1 for term i; earlier terms win, as words do."""
    alternatives = []
    for term in terms:
        last = len(term.words) - 1
        parts = [_word_pattern(word, term.prefix and i == last) for i, word in enumerate(term.words)]
        alternatives.append("(" + _GAP.join(parts) + ")")
    return re.compile("(?<![^ ])(?:" + "|".join(alternatives) + ")(?![^ ])")


def _folded_spans(folded: str, terms: tuple[Term, ...], scan: int, excerpt: int) -> list[tuple[Span, int]]:
    """Return the spans of match_spans, found by one regex over the folded text."""
    spans: list[tuple[Span, int]] = []
    horizon = scan
    for match in _terms_pattern(terms).finditer(folded, 0, scan):
        if match.start() >= horizon:
            break
        spans.append((match.span(), (match.lastindex or 1) - 1))  # group i+1 is term i
        horizon = min(horizon, spans[0][0][0] + excerpt)
    return spans


def _matches_at(tokens: list[Token], at: int, term: Term) -> bool:
    if at + len(term.words) > len(tokens):
        return False
    for offset, wanted in enumerate(term.words):
        word = tokens[at + offset][0]
        last = offset == len(term.words) - 1
        if not (word == wanted or (last and term.prefix and word.startswith(wanted))):
            return False
    return True


class _Matcher:
    """The terms, with their first words indexed: most words of a text start no term and cost one lookup."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = list(terms)
        self.first = {term.words[0] for term in terms if not term.prefix or len(term.words) > 1}
        self.prefixes = tuple(term.words[0] for term in terms if term.prefix and len(term.words) == 1)
        self.longest = max((len(term.words) for term in terms), default=1)

    def could_start(self, word: str) -> bool:
        """Return True when a term may begin at this word."""
        return word in self.first or (bool(self.prefixes) and word.startswith(self.prefixes))

    def match(self, tokens: list[Token], at: int) -> int:
        """Return the index of the first term matching at tokens[at], -1 when none does."""
        if not self.could_start(tokens[at][0]):
            return -1
        return next((i for i, term in enumerate(self.terms) if _matches_at(tokens, at, term)), -1)


def match_spans(
    text: str, terms: Sequence[Term], scan: int = SCAN_CHARS, excerpt: int = EXCERPT_CHARS
) -> list[tuple[Span, int]]:
    """Return ((start, end), term index) of the matches in text, in text order.

    Words are read up to the first match within `scan` characters, then `excerpt` characters further.
    """
    if not terms:
        return []
    folded = text[:scan].translate(_FOLDED)
    if _SPECIAL not in folded:
        return _folded_spans(folded, tuple(terms), scan, excerpt)
    return _word_spans(text, terms, scan, excerpt)


def _word_spans(text: str, terms: Sequence[Term], scan: int, excerpt: int) -> list[tuple[Span, int]]:
    """Return the spans of match_spans, word by word (texts whose folding is not one character each)."""
    matcher = _Matcher(terms)
    tokens: list[Token] = []
    spans: list[tuple[Span, int]] = []
    horizon = scan
    stream = _tokens(text, scan)
    at = 0
    while True:
        # Read ahead as many words as the longest phrase needs before testing position `at`.
        while len(tokens) < at + matcher.longest and (token := next(stream, None)) is not None:
            tokens.append(token)
        if at >= len(tokens) or tokens[at][1] >= horizon:
            return spans
        index = matcher.match(tokens, at)
        if index < 0:
            at += 1
            continue
        last = at + len(matcher.terms[index].words) - 1
        spans.append(((tokens[at][1], tokens[last][2]), index))
        horizon = min(horizon, spans[0][0][0] + excerpt)
        at = last + 1


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


def _render(text: str, spans: list[tuple[Span, int]], begin: int, end: int, more: bool = False) -> str:
    out: list[str] = ["…" if begin > 0 else ""]
    cursor = begin
    for (start, stop), _ in spans:
        if start < cursor or stop > end:
            continue
        out.append(html.escape(text[cursor:start]))
        out.append(f"<mark>{html.escape(text[start:stop])}</mark>")
        cursor = stop
    out.append(html.escape(text[cursor:end]))
    out.append("…" if end < len(text) or more else "")
    return "".join(out)


def _collapsed(text: str, limit: int) -> tuple[str, bool]:
    """Return text's first `limit` characters, whitespace runs made one space, and whether words follow."""
    return " ".join(text[:limit].split()), len(text) > limit and not text[limit:].isspace()


def snippet_html(text: str, terms: Sequence[Term], size: int = SNIPPET_CHARS) -> str:
    """Return an escaped excerpt of text around its matches, each match wrapped in <mark>."""
    # Twice what is scanned: once collapsed, the head still reaches past the scan and the window after it.
    text, more = _collapsed(text, 2 * SCAN_CHARS)
    spans = match_spans(text, terms)
    begin = _window_start(text, spans, size) if spans else 0
    end = min(len(text), begin + size)
    if end < len(text):  # finish on a word boundary
        space = text.rfind(" ", begin, end)
        end = space if space > begin + size // 2 else end
    return _render(text, spans, begin, end, more)


def highlight_html(text: str, terms: Sequence[Term]) -> str:
    """Return all of a short text (a title) escaped, with its matches wrapped in <mark>."""
    return _render(text, match_spans(text, terms, SCAN_CHARS, len(text)), 0, len(text))
