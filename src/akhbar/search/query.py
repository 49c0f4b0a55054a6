"""Reader queries: parsed by hand into terms, phrases, exclusions and prefixes; never raises on any input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from akhbar.search.normalize import normalize, words

# Longer input is cut: nobody types 2,000 characters into a search box, and FTS work grows with the terms.
MAX_QUERY_CHARS = 2000
# Terms kept per query (words, phrases and exclusions together); each one is another doclist to walk.
MAX_TERMS = 12
# Shorter prefixes ("a*") would expand to a large part of the vocabulary: they are searched as words.
MIN_PREFIX_CHARS = 2
SORTS = ("relevance", "date")
MAX_PER_PAGE = 100
# A chunk is a quoted phrase (closing quote optional) or a run of non-space characters.
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class SearchQueryError(ValueError):
    """A search cannot run as asked; the message is one line for the reader."""


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word, a phrase of adjacent words, or a word prefix; normalised."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        """Return the term as an FTS5 string: always quoted, so no user text is ever read as syntax."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class ParsedQuery:
    """A query as terms: every group must match (any term of a group), no excluded term may."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Return True when there is nothing to look for."""
        return not self.groups

    def terms(self) -> list[Term]:
        """Return the terms to look for (the ones snippets highlight)."""
        return [term for group in self.groups for term in group]

    def required_expression(self) -> str:
        """Return the FTS5 expression every match must satisfy, without the exclusions."""
        return " AND ".join(_any_of(group) for group in self.groups)

    def match_expression(self) -> str:
        """Return the FTS5 MATCH string built from the terms."""
        expression = self.required_expression()
        if self.excluded:
            expression = f"({expression}) NOT {_any_of(self.excluded)}"
        return expression


def _any_of(terms: tuple[Term, ...]) -> str:
    if len(terms) == 1:
        return terms[0].fts()
    return "(" + " OR ".join(term.fts() for term in terms) + ")"


@dataclass
class _Builder:
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pending_or: bool = False
    count: int = 0

    def add(self, term: Term, *, negative: bool) -> None:
        if self.count >= MAX_TERMS:
            if not self.notes:
                self.notes.append(f"only the first {MAX_TERMS} words of the query were searched")
            return
        self.count += 1
        if negative:
            self.excluded.append(term)
        elif self.pending_or and self.groups:
            self.groups[-1].append(term)
        else:
            self.groups.append([term])
        self.pending_or = False


def _term(raw: str, *, phrase: bool) -> Term | None:
    """Return the term for a chunk of text, or None when it holds no word."""
    prefix = not phrase and raw.endswith("*")
    found = tuple(words(normalize(raw)))
    if not found:
        return None
    if prefix and (len(found) > 1 or len(found[0]) < MIN_PREFIX_CHARS):
        prefix = False
    return Term(found, prefix)


def parse_query(text: str) -> ParsedQuery:
    """Parse what a reader typed: words, "phrases", -exclusions, prefix*, OR between terms."""
    builder = _Builder()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        builder.notes.append(f"the query was cut to its first {MAX_QUERY_CHARS} characters")
    for match in _CHUNK.finditer(text.replace("\x00", " ")):
        minus, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare in ("OR", "|"):
            builder.pending_or = bool(builder.groups)
            continue
        if bare in ("AND", "&&", "+"):
            continue
        negative = bool(minus) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        raw = quoted if quoted is not None else (bare or "").lstrip("-+")
        term = _term(raw, phrase=quoted is not None)
        if term is not None:
            builder.add(term, negative=negative)
    groups = tuple(tuple(group) for group in builder.groups)
    return ParsedQuery(groups, tuple(builder.excluded), tuple(builder.notes))


@dataclass(frozen=True)
class SearchQuery:
    """A search as the web and the API ask for it; invalid settings raise SearchQueryError."""

    text: str
    sources: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    category: str | None = None
    since: datetime | None = None  # published_at >= since
    until: datetime | None = None  # published_at < until
    sort: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        """Refuse settings that no search can honour."""
        if self.sort not in SORTS:
            raise SearchQueryError(f"search: unknown sort {self.sort!r} (use relevance or date)")
        if self.page < 1:
            raise SearchQueryError("search: the page number starts at 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchQueryError(f"search: results per page must be between 1 and {MAX_PER_PAGE}")
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise SearchQueryError("search: the start date must come before the end date")
