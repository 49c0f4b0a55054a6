"""PostgreSQL full-text search: a stored tsvector per article, per-language configurations, a GIN index.

article_search (migration 0010) holds, per article, `doc` (title and body, GIN-indexed) and `title` (for
ranking headline matches first, read only for the ids of a window). Both are built from the text that
akhbar.search.normalize folds and words() splits, exactly as the SQLite index and the query parser see it,
so both engines find the same articles: to_tsvector only stems. The configurations (akhbar_french,
akhbar_english, akhbar_spanish: unaccent, then a snowball stemmer WITHOUT stop words, so that a quoted
phrase keeps its small words as FTS5 does; akhbar_simple: unaccent, no stemming, for Arabic and any other
language) also fold accents themselves, for text indexed by SQL alone.
One GIN test runs every language's query at once: each article's lexemes carry its language's weight
(fr A, en B, es C, others D), and each language's query asks for its weight ('econom':A), so a French word
stemmed by the English stemmer never matches an English article. Rows follow the article upsert in the
same transaction; deleting an article deletes its row (ON DELETE CASCADE).
Search keeps the bounded window of store/search.py: at most WINDOW matches, newest id first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import BigInteger, Boolean, Connection, bindparam, cast, column, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from akhbar.models import Article
from akhbar.search import ParsedQuery, SearchQuery, SearchResults, Term
from akhbar.search.normalize import normalize, words
from akhbar.store.tables import articles

TABLE = "article_search"
# Language -> (text search configuration, weight marking that language's lexemes).
CONFIGS = {"fr": ("akhbar_french", "A"), "en": ("akhbar_english", "B"), "es": ("akhbar_spanish", "C")}
OTHER = ("akhbar_simple", "D")
# Rows indexed per statement when the whole index is rebuilt.
REBUILD_BATCH = 2000

article_search = table(
    TABLE,
    column("article_id", BigInteger),
    column("title", TSVECTOR),
    column("doc", TSVECTOR),
)


def vector_sql(config: str, weight: str, words_: str) -> str:
    """Return the SQL of a document's tsvector: its words as typed (D), and stemmed in its language."""
    exact = f"setweight(to_tsvector('akhbar_simple', {words_}), 'D')"
    stemmed = f'setweight(to_tsvector(CAST({config} AS regconfig), {words_}), CAST({weight} AS "char"))'
    return f"(CASE WHEN {weight} = 'D' THEN {exact} ELSE {stemmed} || {exact} END)"


_WHOLE = ":title || ' ' || :body"
_UPSERT = text(
    f"INSERT INTO {TABLE} (article_id, title, doc) VALUES (:id, "
    f"{vector_sql(':config', ':weight', ':title')}, {vector_sql(':config', ':weight', _WHOLE)}) "
    "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, doc = EXCLUDED.doc"
)
_COLUMNS = tuple(articles.c[name] for name in ("id", "title", "text", "summary", "language"))


def enabled(conn: Connection) -> bool:
    """Return True when this engine keeps the tsvector index (PostgreSQL)."""
    return conn.dialect.name == "postgresql"


def config_of(language: str) -> tuple[str, str]:
    """Return the text search configuration and weight letter of an article language."""
    return CONFIGS.get(normalize(language or "")[:2], OTHER)


def plain_words(value: str | None) -> str:
    """Return text as the normalised words the query parser would see, one space apart."""
    return " ".join(words(normalize(value or "")))


def row_values(row: Any) -> dict[str, Any]:
    """Return the parameters that index one article (an Article or an articles row)."""
    config, weight = config_of(row.language)
    return {
        "id": row.id,
        "config": config,
        "weight": weight,
        "title": plain_words(row.title),
        "body": plain_words(row.text or row.summary),
    }


def index_rows(conn: Connection, rows: Iterable[Any]) -> None:
    """Index (or index again) articles given as Articles or articles rows."""
    values = [row_values(row) for row in rows]
    if values:
        conn.execute(_UPSERT, values)


def index_article(conn: Connection, article: Article) -> None:
    """Index a newly inserted or updated article."""
    if article.id is not None:
        conn.execute(_UPSERT, row_values(article))


def _batches(conn: Connection) -> Iterator[list[Any]]:
    last = 0
    while True:
        query = select(*_COLUMNS).where(articles.c.id > last).order_by(articles.c.id).limit(REBUILD_BATCH)
        batch = list(conn.execute(query))
        if not batch:
            return
        yield batch
        last = batch[-1].id


def rebuild(conn: Connection) -> int:
    """Empty the index and index every article again; return how many were indexed."""
    conn.execute(text(f"TRUNCATE {TABLE}"))
    count = 0
    for batch in _batches(conn):
        index_rows(conn, batch)
        count += len(batch)
    conn.execute(text(f"ANALYZE {TABLE}"))
    return count


# Queries: the parsed terms written as tsquery text, one query per configuration, joined with OR.


def _lexeme(word: str, weight: str, prefix: bool) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:{'*' if prefix else ''}{weight}"


def _term(term: Term, weight: str) -> str:
    """Return a term as tsquery text: a word, a prefix, or a phrase of adjacent words (<->)."""
    parts = [_lexeme(word, weight, term.prefix) for word in term.words]
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def _any(terms: Iterable[Term], weight: str) -> str:
    return "(" + " | ".join(_term(term, weight) for term in terms) + ")"


def query_text(parsed: ParsedQuery, weight: str, *, exclusions: bool = True) -> str:
    """Return the tsquery text of a parsed query for one weight: every group, none of the exclusions."""
    expression = " & ".join(_any(group, weight) for group in parsed.groups)
    if exclusions and parsed.excluded:
        expression = f"{expression} & !{_any(parsed.excluded, weight)}"
    return expression


def _configs(languages: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return the configurations a search runs in: the filtered languages' stemmers, else the words as typed.

    Without a language filter a word is looked up as typed, as the SQLite index does: stemming it in every
    language would make false friends match ("economie", stemmed as English, finds "economy").
    """
    if not languages:
        return [OTHER]
    return list(dict.fromkeys(config_of(language) for language in languages))


def tsquery(conn: Connection, parsed: ParsedQuery, languages: tuple[str, ...], *, exclusions: bool) -> str:
    """Return the search's tsquery, computed once by the server: a constant the planner can estimate."""
    parts: list[str] = []
    params: dict[str, str] = {}
    for n, (config, weight) in enumerate(_configs(languages)):
        parts.append(f"to_tsquery(CAST(:c{n} AS regconfig), :q{n})")
        params |= {f"c{n}": config, f"q{n}": query_text(parsed, weight, exclusions=exclusions)}
    return str(conn.execute(text("SELECT CAST(" + " || ".join(parts) + " AS text)"), params).scalar_one())


def window(conn: Connection, query: SearchQuery, parsed: ParsedQuery, size: int) -> list[int]:
    """Return up to size matching ids, in the query's order, taken from the newest matches."""
    from akhbar.store import search as fulltext  # imported here: search imports articles, which imports us

    # psycopg prepares a statement run 5 times; PostgreSQL may then reuse a generic plan, blind to the tsquery
    # and the dates, that walks every newer match for a past range (1-2 s at 1M articles instead of 50 ms).
    conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    found = tsquery(conn, parsed, query.languages, exclusions=True)
    ids = (
        select(article_search.c.article_id.label("id"))
        .where(article_search.c.doc.op("@@", return_type=Boolean)(_constant(found)))
        .order_by(article_search.c.article_id.desc())
        .limit(size)
    )
    filters = fulltext._filters(query)  # the same filters as the engine without an index
    if filters:
        ids = ids.join(articles, articles.c.id == article_search.c.article_id).where(*filters)
    if query.sort == "relevance":
        return [int(i) for i in conn.execute(ids).scalars()]
    window_ = ids.subquery()
    dated = (
        select(window_.c.id)
        .join(articles, articles.c.id == window_.c.id)
        .order_by(articles.c.published_at.desc().nulls_last(), window_.c.id.desc())
    )
    return [int(i) for i in conn.execute(dated).scalars()]


def _constant(query: str) -> Any:
    """Return a tsquery literal bound as a parameter (cast once, at plan time)."""
    return cast(bindparam("tsq", query), TSQUERY)


def headline_first(conn: Connection, parsed: ParsedQuery, query: SearchQuery, ids: list[int]) -> list[int]:
    """Return ids with the articles whose title holds every term moved ahead, in order."""
    if not ids:
        return ids
    required = tsquery(conn, parsed, query.languages, exclusions=False)
    statement = select(article_search.c.article_id).where(
        article_search.c.article_id.in_(ids),
        article_search.c.title.op("@@", return_type=Boolean)(_constant(required)),
    )
    in_title = {int(i) for i in conn.execute(statement).scalars()}
    return [i for i in ids if i in in_title] + [i for i in ids if i not in in_title]


def search(conn: Connection, query: SearchQuery, parsed: ParsedQuery, size: int) -> SearchResults:
    """Run a search on PostgreSQL: the newest size matches, ranked, one page with snippets."""
    from akhbar.store import search as fulltext  # its page helpers (see window)

    matches = window(conn, query, parsed, size + 1)
    capped = len(matches) > size
    ranked = matches[:size] if not capped else fulltext._drop_oldest(matches)
    if query.sort == "relevance":
        ranked = headline_first(conn, parsed, query, ranked)
    page_ids, message = fulltext._page(query, ranked, capped)
    notes = [note for note in (*parsed.notes, message) if note]
    return SearchResults(
        hits=fulltext._hits(fulltext._articles(conn, page_ids), parsed),
        total=len(ranked),
        query=query,
        message="; ".join(notes),
        capped=capped,
        has_next=query.page * query.per_page < len(ranked),
    )
