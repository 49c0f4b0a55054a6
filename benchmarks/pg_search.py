"""PostgreSQL search next to SQLite's on the same articles: p95 per query kind of benchmarks/search.py's mix.

One command: `.venv/bin/python benchmarks/pg_search.py [--corpus PATH] [--articles 1000000] [--repeat 20]`.
It takes the generated SQLite corpus (benchmarks/corpus.py; --corpus names an existing copy), makes sure its
FTS5 index has the current tokens, loads its sources and articles into a fresh PostgreSQL database with COPY
(psycopg's copy API, not row-by-row upserts), builds the tsvector table and its GIN index there, then times
the same query mix through Store.search on both engines, side by side in one run. Results are merged into
benchmarks/results/scale.json (key "pg_search") and scale.md (its search section), quoted in docs/search.md.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from corpus import build_corpus
from sqlalchemy import create_engine, make_url, text

from akhbar.store import Store, pg_search
from akhbar.store.search import WINDOW
from search import _sources, query_mix, run

RESULTS = Path(__file__).resolve().parent / "results"
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DATABASE = "akhbar_bench_search"
CHUNK = 20_000
MARK = "<!-- pg_search -->"


def log(message: str) -> None:
    """Print a progress line on stderr."""
    print(f"pg_search: {message}", file=sys.stderr, flush=True)


def sqlite_ready(path: Path) -> Store:
    """Open the corpus; rebuild its FTS5 index when it lacks the date tokens (an older corpus build)."""
    store = Store.open(f"sqlite:///{path}")
    with store.engine.connect() as conn:
        probe = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'tags : y2025'"
        if conn.execute(text(probe)).scalar_one() == 0:
            log("the corpus index has no date tokens; rebuilding it")
            store.rebuild_search_index()
    return store


def fresh_database(admin_url: str) -> str:
    """Create an empty, migrated benchmark database; return its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    url = make_url(admin_url).set(database=DATABASE).render_as_string(hide_password=False)
    Store.open(url).close()
    return url


def _rows(sqlite_path: Path, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    conn = sqlite3.connect(sqlite_path)
    try:
        yield from conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
    finally:
        conn.close()


def copy_table(pg: psycopg.Connection, sqlite_path: Path, table: str) -> int:
    """COPY one table's rows from SQLite into PostgreSQL (the columns both hold); return the count."""
    lite = sqlite3.connect(sqlite_path)
    lite_columns = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
    lite.close()
    pg_columns = {row[0] for row in pg.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,)
    )}  # fmt: skip
    columns = [name for name in lite_columns if name in pg_columns]
    count = 0
    with pg.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in _rows(sqlite_path, table, columns):
            copy.write_row(row)
            count += 1
    return count


def _search_rows(sqlite_path: Path) -> Iterator[tuple[Any, ...]]:
    for row in _rows(sqlite_path, "articles", ["id", "title", "text", "summary", "language"]):
        values = pg_search.row_values(_Row(*row))
        yield values["id"], values["config"], values["weight"], values["title"], values["body"]


class _Row:
    def __init__(self, id: int, title: str, text: str, summary: str, language: str) -> None:  # noqa: A002
        self.id, self.title, self.text, self.summary, self.language = id, title, text, summary, language


def build_index(pg: psycopg.Connection, sqlite_path: Path) -> None:
    """Stage the normalised words with COPY, then fill article_search in SQL and build the GIN index."""
    pg.execute("DROP INDEX ix_article_search_doc")
    pg.execute("CREATE UNLOGGED TABLE stage (id bigint, config text, weight text, title text, body text)")
    with pg.cursor().copy("COPY stage FROM STDIN") as copy:
        for row in _search_rows(sqlite_path):
            copy.write_row(row)
    log("words staged; computing the tsvectors")
    title = pg_search.vector_sql("config", "weight", "title")
    whole = pg_search.vector_sql("config", "weight", "title || ' ' || body")
    pg.execute(f"INSERT INTO article_search (article_id, title, doc) SELECT id, {title}, {whole} FROM stage")
    pg.execute("DROP TABLE stage")
    log("tsvectors stored; building the GIN index")
    pg.execute("SET maintenance_work_mem = '1GB'")
    pg.execute("CREATE INDEX ix_article_search_doc ON article_search USING gin (doc)")


def load(url: str, sqlite_path: Path) -> dict[str, float]:
    """Load the corpus into PostgreSQL; return the seconds each step took."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    took: dict[str, float] = {}
    with psycopg.connect(plain, autocommit=True) as pg:
        pg.execute("SET timezone = 'UTC'")  # the corpus stores naive UTC datetimes
        started = time.perf_counter()
        for table in ("sources", "articles"):
            log(f"copied {copy_table(pg, sqlite_path, table):,} rows of {table}")
        pg.execute("SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))")
        took["copy_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        build_index(pg, sqlite_path)
        pg.execute("VACUUM ANALYZE")
        took["index_s"] = round(time.perf_counter() - started, 1)
        size = pg.execute("SELECT pg_total_relation_size('article_search')").fetchone()
        took["index_mb"] = round((size[0] if size else 0) / 1e6)
    return took


def compare(lite: list[dict[str, Any]], pg: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per (kind, sort) with both engines' matches and p95."""
    return [
        {"kind": a["kind"], "sort": a["sort"], "sqlite_matches": a["total"], "pg_matches": b["total"],
         "sqlite_p95": a["p95"], "pg_p95": b["p95"], "ratio": round(b["p95"] / max(a["p95"], 0.01), 1)}
        for a, b in zip(lite, pg, strict=True)
    ]  # fmt: skip


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """Return the comparison as a Markdown section."""
    lines = [
        MARK,
        "## PostgreSQL search next to SQLite's (benchmarks/pg_search.py)",
        "",
        f"Command: `.venv/bin/python benchmarks/pg_search.py --articles {meta['articles']} --repeat "
        f"{meta['repeat']}`. {meta['articles']:,} generated articles loaded into PostgreSQL "
        f"{meta['postgresql']} with COPY in {meta['copy_s']} s; tsvectors and GIN index built in "
        f"{meta['index_s']} s ({meta['index_mb']} MB). Latency in ms, warm cache, WINDOW={WINDOW}, "
        "both engines timed in this one run on the same shared, loaded machine: compare the columns.",
        "",
        "| query kind | sort | matches SQLite / PG | SQLite p95 | PostgreSQL p95 | PG / SQLite |",
        "|---|---|---|---:|---:|---:|",
    ]
    lines += [
        f"| {r['kind']} | {r['sort']} | {r['sqlite_matches']} / {r['pg_matches']} | {r['sqlite_p95']} "
        f"| {r['pg_p95']} | {r['ratio']} |"
        for r in rows
    ]
    lite, pg = [r["sqlite_p95"] for r in rows], [r["pg_p95"] for r in rows]
    lines += [
        "",
        f"Worst p95: SQLite {max(lite)} ms, PostgreSQL {max(pg)} ms; median of the p95s: SQLite "
        f"{statistics.median(lite):.1f} ms, PostgreSQL {statistics.median(pg):.1f} ms.",
    ]
    return "\n".join(lines) + "\n"


def write(rows: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    """Merge the results into scale.json and scale.md, keeping their other figures."""
    path = RESULTS / "scale.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data["pg_search"] = {"meta": meta, "rows": rows}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    md = RESULTS / "scale.md"
    before = md.read_text().split(MARK)[0].rstrip() + "\n\n" if md.exists() else ""
    md.write_text(before + markdown(rows, meta))


def main() -> None:
    """Load the corpus into PostgreSQL, time both engines, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="an existing corpus database (default: build or reuse)")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--reuse", action="store_true", help="time the database loaded by the last run")
    args = parser.parse_args()
    path = args.corpus or build_corpus(n=args.articles)
    lite = sqlite_ready(path)
    if args.reuse:
        url = make_url(args.admin_url).set(database=DATABASE).render_as_string(hide_password=False)
        last = json.loads((RESULTS / "scale.json").read_text())["pg_search"]["meta"]
        took = {key: last[key] for key in ("copy_s", "index_s", "index_mb")}
    else:
        url = fresh_database(args.admin_url)
        took = load(url, path)
    log(f"loaded: {took}")
    pg = Store.open(url)
    mix = query_mix(*_sources(path))
    rows = compare(run(lite, mix, args.repeat), run(pg, mix, args.repeat))
    lite.close()
    pg.close()
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string()) as conn:
        version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    meta = {"articles": args.articles, "repeat": args.repeat, "postgresql": version, **took}
    write(rows, meta)
    print(markdown(rows, meta))


if __name__ == "__main__":
    main()
