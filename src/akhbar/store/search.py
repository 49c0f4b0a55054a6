"""Full-text search: SQLite FTS5 over normalised titles and text, relevance bounded to the newest matches.

Why bounded: ranking every match of a word found in half of 1,000,000 articles by bm25 takes 400-900 ms, while
walking the index newest first (ORDER BY rowid DESC, ids follow arrival) stops after a few pages. So a search
collects at most WINDOW matches, newest first, ranks those and pages through them; when more match, the total
is a lower bound ("1000+"). Relevance is not bm25: even over a window, bm25 first counts every document of
each term (10-60 ms for common words at 1M articles, benchmarks/search.py). It ranks articles whose headline
holds the terms first, then the others, newest first in each tier: a second, equally cheap index walk over
the window's id range finds the headline matches. Filters are part of the MATCH (tokens in the tags column),
so the walk only visits articles that pass them: source, language and category tokens, and for a date range
the fewest year, month and day tokens covering it (fts.date_cover). Without those date tokens, a past range
walked every newer match (backfilled articles, old dates on new ids, made the id span useless): 175-1,300 ms
for one month of 2025 and a common word at 1M articles; with them, a few ms. The exact published_at test
stays, for the hours outside the range on its first and last day.
On PostgreSQL, store/pg_search.py runs the same queries on its tsvector index, with the same window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, literal, not_, or_, select, text

from akhbar.models import Article
from akhbar.search import ParsedQuery, SearchHit, SearchQuery, SearchQueryError, SearchResults, parse_query
from akhbar.search.query import Term
from akhbar.search.snippet import SCAN_CHARS, highlight_html, snippet_html
from akhbar.store import fts, pg_search
from akhbar.store.articles import row_to_article
from akhbar.store.tables import UTCDateTime, articles, sources

# Matches ranked per search; see benchmarks/search.py (p95 at 1,000,000 articles grows with it: ~1000 keeps
# the heaviest query kind, a common word behind a filter, under 50 ms on a 2-core machine).
WINDOW = 1000
NO_WORDS = "search: the query has no words to look for"
# The index keeps prefix indexes of 2 and 3 characters (prefix='2 3', migration 0002). A longer prefix makes
# FTS5 merge the whole doclist of every word it starts before returning a row: 45 ms for "gouv*" at
# 1,000,000 articles, where the same words spelled out are walked newest first and stop at the window
# (1 ms). So a longer prefix is spelled out from the index's vocabulary (about 0.1 ms a word), up to
# MAX_SPELLED words; beyond, FTS5 runs the prefix itself.
INDEXED_PREFIX = 3
MAX_SPELLED = 16
_VOCABULARY = f"{fts.TABLE}_words"  # a TEMP fts5vocab table, one per connection


def _filters(query: SearchQuery) -> list[Any]:
    """Return the filters as SQLAlchemy conditions on articles (for the engine without FTS5)."""
    conditions: list[Any] = []
    if query.sources:
        conditions.append(articles.c.source_id.in_(query.sources))
    if query.languages:
        conditions.append(articles.c.language.in_(query.languages))
    if query.category:
        conditions.append(articles.c.category == query.category)
    conditions.extend(_date_conditions(query))
    return conditions


def _date_conditions(query: SearchQuery) -> list[Any]:
    conditions = []
    if query.since is not None:
        conditions.append(articles.c.published_at >= query.since)
    if query.until is not None:
        conditions.append(articles.c.published_at < query.until)
    return conditions


def _tag_filter(query: SearchQuery) -> str:
    """Return the filters on source, language and category as an FTS5 expression on the tags column."""
    groups = [
        [fts.source_tag(source_id) for source_id in query.sources],
        [fts.language_tag(language) for language in query.languages],
        [fts.category_tag(query.category)] if query.category else [],
    ]
    parts = ["(" + " OR ".join(f'"{tag}"' for tag in group) + ")" for group in groups if group]
    return " AND ".join(f"tags : {part}" for part in parts)


def match_string(parsed: ParsedQuery, query: SearchQuery, dates: str = "") -> str:
    """Return the MATCH string: the reader's terms on title and body, the filters (and dates) on tags."""
    expression = "{title body} : (" + parsed.match_expression() + ")"
    return " AND ".join(part for part in (expression, _tag_filter(query), dates) if part)


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _published_edge(conn: Connection, edge: Any) -> datetime | None:
    """Return the oldest (func.min) or newest (func.max) publication date: one seek in its index."""
    value = conn.execute(select(edge(articles.c.published_at))).scalar_one()
    return None if value is None else _utc(value)


def date_filter(conn: Connection, query: SearchQuery) -> str | None:
    """Return the date range as an FTS5 filter on date tokens ("" when none applies), None when it is empty.

    The range is first narrowed to the oldest and newest publication dates (an open end closed there), so
    that "since last week" costs a few day tokens and "since the year 1" a few year tokens; a range needing
    more than fts.date_cover's limit keeps only the exact published_at test.
    """
    if query.since is None and query.until is None:
        return ""
    oldest, newest = _published_edge(conn, func.min), _published_edge(conn, func.max)
    if oldest is None or newest is None:  # no dated article at all
        return None
    since = max(_utc(query.since), oldest) if query.since else oldest
    until = newest + timedelta(microseconds=1)  # the newest article itself is in the range
    until = min(_utc(query.until), until) if query.until else until
    if since >= until:
        return None
    cover = fts.date_cover(since, until)
    if cover is None:
        return ""
    return "tags : (" + " OR ".join(f'"{token}"' for token in cover) + ")"


def _fts_matches(conn: Connection, match: str, query: SearchQuery) -> list[int]:
    """Return up to WINDOW + 1 matching ids, in the query's order, taken from the newest matches."""
    params: dict[str, Any] = {"match": match, "window": WINDOW + 1}
    binds: list[Any] = []
    where = join = ""
    if query.since is not None or query.until is not None:
        join = f" CROSS JOIN articles ON articles.id = {fts.TABLE}.rowid"
        for name in ("since", "until"):
            if getattr(query, name) is not None:
                where += f" AND articles.published_at {'>=' if name == 'since' else '<'} :{name}"
                params[name] = getattr(query, name)
                binds.append(bindparam(name, type_=UTCDateTime()))
    # The CTE (kept apart by its LIMIT) walks the index newest first; CROSS JOIN keeps that walk outside.
    # The outer query orders only those ids, on raw columns: no datetime is built for the ranking.
    order = (
        "m.id DESC"
        if query.sort == "relevance"
        else ("articles.published_at IS NULL, articles.published_at DESC, m.id DESC")
    )
    sql = (
        f"WITH m AS (SELECT {fts.TABLE}.rowid AS id FROM {fts.TABLE}{join} "
        f"WHERE {fts.TABLE} MATCH :match{where} "
        f"ORDER BY {fts.TABLE}.rowid DESC LIMIT :window) "
        f"SELECT m.id FROM m CROSS JOIN articles ON articles.id = m.id ORDER BY {order}"
    )
    return [int(row[0]) for row in conn.execute(text(sql).bindparams(*binds), params)]


def _headline_first(conn: Connection, parsed: ParsedQuery, ids: list[int], filters: str = "") -> list[int]:
    """Return ids (newest first) with the articles whose title holds every term moved ahead, in order.

    The filters (tags and dates) join this MATCH too: the walk over the window's id span then skips what the
    window cannot hold (a past date range's span reaches its backfilled articles, far newer).
    """
    if not ids:
        return ids
    sql = (
        f"SELECT rowid FROM {fts.TABLE} WHERE {fts.TABLE} MATCH :match "
        f"AND rowid BETWEEN :low AND :high ORDER BY rowid DESC"
    )
    match = "{title} : (" + parsed.required_expression() + ")"
    match = f"{match} AND {filters}" if filters else match
    params = {"match": match, "low": min(ids), "high": max(ids)}
    in_title = {int(row[0]) for row in conn.execute(text(sql), params)}
    return [i for i in ids if i in in_title] + [i for i in ids if i not in in_title]


def _words_starting(conn: Connection, prefix: str) -> list[str] | None:
    """Return the indexed words that start with prefix, in order; None when more than MAX_SPELLED do."""
    if ord(prefix[-1]) >= 0x10FFFF:
        return None
    vocabulary = f"temp.{_VOCABULARY} USING fts5vocab(main, '{fts.TABLE}', instance)"
    conn.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocabulary}"))
    # 'instance' rows come one by one (a 'row' table counts each word's documents first: 35 ms for
    # "gouvernement"), so LIMIT 1 from just past the previous word is one seek in the term index.
    sql = text(f"SELECT term FROM temp.{_VOCABULARY} WHERE term >= :low AND term < :high LIMIT 1")
    high = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    found: list[str] = []
    low = prefix
    while len(found) <= MAX_SPELLED:
        word = conn.execute(sql, {"low": low, "high": high}).scalar()
        if word is None:
            return found
        found.append(str(word))
        low = f"{word}\x01"  # the next word: the tokenizer keeps no control character in a word
    return None


def _spelled_out(conn: Connection, parsed: ParsedQuery) -> ParsedQuery:
    """Return the query with each long prefix term replaced by the words it stands for (the same matches)."""

    def spell(terms: tuple[Term, ...]) -> tuple[Term, ...]:
        out: list[Term] = []
        for term in terms:
            words = None
            if term.prefix and len(term.words) == 1 and len(term.words[0]) > INDEXED_PREFIX:
                words = _words_starting(conn, term.words[0])
            # No word at all: the prefix stays (an empty doclist for FTS5, as cheap as a miss).
            out += [Term((word,)) for word in words] if words else [term]
        return tuple(out)

    return ParsedQuery(tuple(spell(group) for group in parsed.groups), spell(parsed.excluded), parsed.notes)


def _drop_oldest(ranked: list[int]) -> list[int]:
    """Return the ranked ids without the oldest one (fetched only to tell that more match)."""
    oldest = min(ranked)
    return [i for i in ranked if i != oldest]


def _hit_columns() -> list[Any]:
    """Return the columns of a hit: every article column but its HTML, its text cut to what snippets read."""
    cut = {"html": literal(""), "text": func.substr(articles.c.text, 1, 2 * SCAN_CHARS)}
    columns = [cut[c.name].label(c.name) if c.name in cut else c for c in articles.columns]
    return [*columns, sources.c.name.label("source_name"), sources.c.slug.label("source_slug")]


def _articles(conn: Connection, ids: list[int]) -> list[Article]:
    """Return the articles with these ids, in this order, trimmed to what a hit shows (see _hit_columns)."""
    if not ids:
        return []
    joined = select(*_hit_columns()).join(sources, sources.c.id == articles.c.source_id)
    rows = conn.execute(joined.where(articles.c.id.in_(ids)))
    found = {article.id: article for article in map(row_to_article, rows)}
    return [found[i] for i in ids if i in found]


def _hits(found: list[Article], parsed: ParsedQuery) -> list[SearchHit]:
    terms = parsed.terms()
    return [
        SearchHit(a, snippet_html(a.text or a.summary, terms), highlight_html(a.title, terms)) for a in found
    ]


def _page(query: SearchQuery, ranked: list[int], capped: bool) -> tuple[list[int], str]:
    start = (query.page - 1) * query.per_page
    if capped and start >= len(ranked):
        return [], f"search: only the {WINDOW} newest matches can be browsed; add words or filters"
    return ranked[start : start + query.per_page], ""


def search(conn: Connection, query: SearchQuery) -> SearchResults:
    """Run a search: parse the text, find and rank the matches, return one page with snippets."""
    parsed = parse_query(query.text)
    if parsed.empty:
        raise SearchQueryError(NO_WORDS)
    if pg_search.enabled(conn):
        return pg_search.search(conn, query, parsed, WINDOW)
    if not fts.enabled(conn):
        return fallback_search(conn, query, parsed)
    dates = date_filter(conn, query)
    spelled = _spelled_out(conn, parsed)
    matches = [] if dates is None else _fts_matches(conn, match_string(spelled, query, dates), query)
    capped = len(matches) > WINDOW
    ranked = matches[:WINDOW] if not capped else _drop_oldest(matches)
    if query.sort == "relevance":
        filters = " AND ".join(part for part in (_tag_filter(query), dates) if part)
        ranked = _headline_first(conn, spelled, ranked, filters)
    page_ids, message = _page(query, ranked, capped)
    notes = [note for note in (*parsed.notes, message) if note]
    return SearchResults(
        hits=_hits(_articles(conn, page_ids), parsed),
        total=len(ranked),
        query=query,
        message="; ".join(notes),
        capped=capped,
        has_next=query.page * query.per_page < len(ranked),
    )


def _like(term_words: tuple[str, ...]) -> Any:
    pattern = "%" + " ".join(term_words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(articles.c.title.ilike(pattern, escape="\\"), articles.c.text.ilike(pattern, escape="\\"))


def fallback_search(conn: Connection, query: SearchQuery, parsed: ParsedQuery) -> SearchResults:
    """Search without a full-text index: case-insensitive substring match, newest first, WINDOW at most."""
    conditions = _filters(query)
    conditions += [or_(*(_like(term.words) for term in group)) for group in parsed.groups]
    conditions += [not_(_like(term.words)) for term in parsed.excluded]
    statement = select(articles.c.id).where(*conditions).order_by(articles.c.id.desc()).limit(WINDOW + 1)
    ids = [int(i) for i in conn.execute(statement).scalars()]
    capped = len(ids) > WINDOW
    page_ids, message = _page(query, ids[:WINDOW], capped)
    note = "search: accents and Arabic letter variants are not folded on this database engine yet"
    return SearchResults(
        hits=_hits(_articles(conn, page_ids), parsed),
        total=min(len(ids), WINDOW),
        query=query,
        message="; ".join(n for n in (*parsed.notes, message, note) if n),
        capped=capped,
        has_next=query.page * query.per_page < min(len(ids), WINDOW),
    )
