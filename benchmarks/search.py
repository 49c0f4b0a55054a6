"""Search benchmark: Store.search latency at 1,000,000 articles, per query kind and sort order.

One command: `.venv/bin/python benchmarks/search.py [--articles 1000000] [--repeat 40] [--db PATH]`.
It builds (or reuses) the generated corpus of benchmarks/corpus.py, warms the page cache with one pass of
every query, then times each query kind `--repeat` times per sort (relevance, date) through Store.search, the
whole path the web uses: parsing, the FTS5 query, ranking, the page of articles and their snippets.
Results go to benchmarks/results/search.json and search.md and are quoted in docs/search.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from corpus import END, build_corpus

from akhbar.search import SearchQuery
from akhbar.store import Store
from akhbar.store.search import WINDOW

RESULTS = Path(__file__).resolve().parent / "results"


def query_mix(rare_source: int, big_source: int) -> dict[str, dict[str, Any]]:
    """Return the query kinds: common, rare and prefixed words, in several languages, filtered or not."""
    week = {"since": END - timedelta(days=7)}
    month = {"since": datetime(2025, 3, 1, tzinfo=UTC), "until": datetime(2025, 4, 1, tzinfo=UTC)}
    year = {"since": datetime(2024, 1, 1, tzinfo=UTC), "until": datetime(2025, 1, 1, tzinfo=UTC)}
    odd = {"since": datetime(2024, 2, 10, 9, 30, tzinfo=UTC), "until": datetime(2024, 11, 20, 18, tzinfo=UTC)}
    return {
        "common word (maroc)": {"text": "maroc"},
        "common word (gouvernement)": {"text": "gouvernement"},
        "common word, Arabic (المغرب)": {"text": "المغرب"},
        "common word, Arabic (الحكومة)": {"text": "الحكومة"},
        "two common words": {"text": "maroc gouvernement"},
        "medium word (économie)": {"text": "Économie"},
        "rare word (sécheresse)": {"text": "secheresse"},
        "rare word, Arabic (الجفاف)": {"text": "الجفاف"},
        "prefix (gouv*)": {"text": "gouv*"},
        "prefix, Arabic (الحك*)": {"text": "الحك*"},
        "short prefix (ma*)": {"text": "ma*"},
        "phrase": {"text": '"le maroc"'},
        "exclusion": {"text": "maroc -gouvernement"},
        "common word + language": {"text": "maroc", "languages": ("fr",)},
        "common word + category": {"text": "gouvernement", "category": "sport"},
        "common word + big source": {"text": "maroc", "sources": (big_source,)},
        "common word + rare source": {"text": "maroc", "sources": (rare_source,)},
        "common word + last 7 days": {"text": "maroc", **week},
        "common word + one month in 2025": {"text": "المغرب", **month},
        "rare word + one month in 2025": {"text": "secheresse", **month},
        "common word + the year 2024": {"text": "maroc", **year},
        "common word + 2024-02-10 09:30 to 2024-11-20 18:00": {"text": "gouvernement", **odd},
        "common word + before 2024-06-01": {"text": "maroc", "until": datetime(2024, 6, 1, tzinfo=UTC)},
    }


def _sources(path: Path) -> tuple[int, int]:
    """Return the French source with the fewest articles and the one with the most."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT source_id, count(*) AS n FROM articles WHERE language = 'fr' GROUP BY source_id ORDER BY n"
    ).fetchall()
    conn.close()
    return int(rows[0][0]), int(rows[-1][0])


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731 - nearest rank
    return {"p50": round(at(0.5), 2), "p95": round(at(0.95), 2), "p99": round(at(0.99), 2)}


def run(store: Store, mix: dict[str, dict[str, Any]], repeat: int) -> list[dict[str, Any]]:
    """Time every query kind in both orders; return one row per (kind, sort)."""
    rows = []
    for sort in ("relevance", "date"):
        for kind, fields in mix.items():
            query = SearchQuery(**fields, sort=sort)
            found = store.search(query)  # warm the cache for this query
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                store.search(query)
                samples.append((time.perf_counter() - started) * 1000)
            rows.append({"kind": kind, "sort": sort, "total": found.total_label, **_percentiles(samples)})
    return rows


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """Return the results as a Markdown table."""
    lines = [
        f"Search latency, ms, {meta['articles']:,} articles, {meta['repeat']} runs per row, warm cache "
        f"({meta['machine']}, SQLite {meta['sqlite']}, WINDOW={meta['window']}).",
        "",
        "| query kind | sort | matches | p50 | p95 | p99 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['kind']} | {r['sort']} | {r['total']} | {r['p50']} | {r['p95']} | {r['p99']} |" for r in rows
    ]
    every = [r["p95"] for r in rows]
    lines += ["", f"Worst p95: {max(every)} ms; median of the p95s: {statistics.median(every)} ms."]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Build or reuse the corpus, run the mix, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", type=Path, help="a corpus built by corpus.py elsewhere (default: the cache)")
    args = parser.parse_args()
    path = args.db or build_corpus(n=args.articles)
    store = Store.open(f"sqlite:///{path}")
    rows = run(store, query_mix(*_sources(path)), args.repeat)
    store.close()
    meta = {
        "articles": args.articles,
        "repeat": args.repeat,
        "window": WINDOW,
        "sqlite": sqlite3.sqlite_version,
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2, ensure_ascii=False)
    )
    (RESULTS / "search.md").write_text(markdown(rows, meta))
    print(markdown(rows, meta))


if __name__ == "__main__":
    main()
