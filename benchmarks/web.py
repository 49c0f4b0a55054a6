"""Web benchmark: requests per second and latency of the portal's pages at 1,000,000 articles, with wrk.

One command: `.venv/bin/python benchmarks/web.py [--articles 1000000] [--duration 6] [--servers ...]`.
It builds (or reuses) its own copy of the generated corpus of benchmarks/corpus.py, migrated to head, then
for each server (uvicorn, granian, with and without httptools/uvloop) starts the portal over that database,
pinned to the last CPU, and drives it with wrk (one thread, pinned to the first CPU) at 64 connections: bare
ASGI responses of the home page's and of an article page's size on the same server (the ceilings), the home
page (cache hit, cache miss, 304), article pages (a hot set that the page cache holds, 10,000 distinct ones
that it cannot), the static stylesheet and a search mix, never served from the page cache (at 64
connections, at 1 connection for the latency of one search alone, and Arabic words searched in the French
edition, where they match nothing). Every page is measured in the same run and server process as its ceiling.
Results go to benchmarks/results/web.json and web.md, quoted in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from webload import BARE, HERE, get, lua_script, run_wrk, running_server, server_commands, server_env, usable

RESULTS = HERE / "results"
HOME_CEILING = "bare ASGI, home's size"
ARTICLE_CEILING = "bare ASGI, article's size"
CONNECTIONS = 64
HOT_ARTICLES = 100
COLD_ARTICLES = 20_000  # ten times the page cache's max_entries: an LRU over them never hits
# Each query through the edition its reader uses: Arabic words in the Arabic edition (Arabic and French
# articles). In the French edition (French, English, Spanish) they match nothing, and proving that walks
# the word's whole doclist: NO_MATCH measures that case apart.
SEARCHES = [
    ("/recherche", "maroc", "relevance"),
    ("/recherche", "maroc", "date"),
    ("/recherche", "gouvernement", "relevance"),
    ("/ar/search", "المغرب", "relevance"),
    ("/ar/search", "الحكومة", "date"),
    ("/recherche", "gouv*", "relevance"),
    ("/recherche", "economie", "date"),
    ("/recherche", "secheresse", "relevance"),
    ("/recherche", "maroc gouvernement", "relevance"),
    ("/ar/search", "الجفاف", "relevance"),
]
NO_MATCH = [("/recherche", "المغرب", "relevance"), ("/recherche", "الحكومة", "date")]


def schema_gaps(db: Path) -> list[str]:
    """Return the columns the code's tables have and the database lacks, after migrating it to head."""
    from akhbar.store import Store
    from akhbar.store.tables import metadata

    Store.open(f"sqlite:///{db}").close()  # applies migrations added since the corpus was built
    conn = sqlite3.connect(db)
    try:
        gaps = []
        for table in metadata.sorted_tables:
            have = {row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")}
            gaps += [f"{table.name}.{c.name}" for c in table.columns if c.name not in have]
    finally:
        conn.close()
    return gaps


def bench_corpus(n: int) -> Path:
    """Return the benchmark database of n articles, built again when its schema lags the code's tables."""
    from corpus import CACHE, build_corpus

    path = build_corpus(CACHE / f"web-corpus-{n}.db", n)
    # A revision file edited after the corpus was stamped with it leaves columns missing: build afresh.
    if gaps := schema_gaps(path):
        print(f"web benchmark: the corpus lacks {', '.join(gaps)}; building it again", file=sys.stderr)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path = build_corpus(path, n)
    return path


def sample_ids(db: Path) -> tuple[list[int], list[int]]:
    """Return a hot set and a cold set of article ids, drawn at random from the corpus."""
    conn = sqlite3.connect(db)
    high = int(conn.execute("SELECT max(id) FROM articles").fetchone()[0])
    conn.close()
    rng = random.Random(20261129)
    ids = rng.sample(range(1, high + 1), min(high, HOT_ARTICLES + COLD_ARTICLES))
    return ids[:HOT_ARTICLES], ids[HOT_ARTICLES:]


def searches(mix: list[tuple[str, str, str]], counter: str) -> list[str]:
    """Return the search addresses of a mix, each ending in a counter that wrk fills in (run=1, run=2...).

    The counter (warm=... while warming up) keeps every search out of the page cache: each one renders.
    """
    return [f"{path}?q={quote(text)}&sort={sort}&{counter}=" for path, text, sort in mix]


def scenarios(hot: list[int], cold: list[int], sizes: tuple[int, int]) -> list[dict[str, Any]]:
    """Return what is measured, in order; warm_paths differ where a warm-up would turn misses into hits.

    Each page is compared with the bare response of its own size ("ceiling"), measured just before it.
    """
    from akhbar.web.assets import asset_url

    half = len(cold) // 2
    return [
        {"name": HOME_CEILING, "cache": "-", "paths": [f"{BARE}{sizes[0]}"]},
        {"name": "home", "cache": "hit", "paths": ["/", "/ar/", "/en/", "/es/"]},
        {"name": "home, revalidated", "cache": "304", "paths": ["/"], "revalidate": True},
        {
            "name": "home",
            "cache": "miss",
            "paths": ["/?miss=run-"],
            "warm_paths": ["/?miss=warm-"],
            "unique": True,
        },
        {"name": ARTICLE_CEILING, "cache": "-", "paths": [f"{BARE}{sizes[1]}"]},
        {
            "name": "article",
            "cache": "hit",
            "paths": [f"/article/{i}" for i in hot],
            "ceiling": ARTICLE_CEILING,
        },
        {
            "name": "article",
            "cache": "miss",
            "paths": [f"/article/{i}" for i in cold[:half]],
            "warm_paths": [f"/article/{i}" for i in cold[half:]],
            "ceiling": ARTICLE_CEILING,
        },
        {"name": "static asset (site.css)", "cache": "memory", "paths": [asset_url("site.css")]},
        {
            "name": "search",
            "cache": "miss",
            "paths": searches(SEARCHES, "run"),
            "warm_paths": searches(SEARCHES, "warm"),
            "unique": True,
        },
        {
            "name": "search, one at a time",
            "cache": "miss",
            "paths": searches(SEARCHES, "run"),
            "warm_paths": searches(SEARCHES, "warm"),
            "unique": True,
            "connections": 1,
        },
        {
            "name": "search, no match (Arabic words, French edition), one at a time",
            "cache": "miss",
            "paths": searches(NO_MATCH, "run"),
            "warm_paths": searches(NO_MATCH, "warm"),
            "unique": True,
            "connections": 1,
        },
    ]


def measure_server(
    base: str, plan: list[dict[str, Any]], duration: float, warm: float
) -> list[dict[str, Any]]:
    """Run every scenario against one running server; ratios are to this server's own ceilings."""
    rows = []
    for item in plan:
        connections = item.get("connections", CONNECTIONS)
        unique = item.get("unique", False)
        # The ETag follows the body, which changes when the cached page ages out: read it just before.
        headers = {"If-None-Match": get(base + "/")[2].get("etag", "")} if item.get("revalidate") else None
        status = get(base + item["paths"][0] + ("0" if unique else ""), headers)[0]
        if status not in (200, 304):
            raise RuntimeError(f"web benchmark: {item['paths'][0]} answered {status}")
        run_wrk(base, lua_script(item.get("warm_paths", item["paths"]), unique, headers), connections, warm)
        figures = run_wrk(base, lua_script(item["paths"], unique, headers), connections, duration)
        ceiling = (
            item["name"]
            if item["name"] in (HOME_CEILING, ARTICLE_CEILING)
            else item.get("ceiling", HOME_CEILING)
        )
        rows.append(
            {"scenario": item["name"], "cache": item["cache"], "connections": connections, "ceiling": ceiling}
            | figures
        )
        print(f"  {item['name']:24} {item['cache']:5} {figures['rps']:9.1f} req/s  p99 {figures['p99']} ms")
    return rows


def page_sizes(base: str, hot: list[int]) -> tuple[int, int]:
    """Return the sizes of the home page and of an article page."""
    return len(get(base + "/")[1]), len(get(base + f"/article/{hot[0]}")[1])


def verdicts(rows: list[dict[str, Any]]) -> dict[str, bool]:
    """Return the issue's targets for one server: hot pages >= 1/4 of the ceiling, p99 < 50 ms; search p95."""
    by = {(r["scenario"], r["cache"]): r for r in rows}
    targets = {}
    for name in ("home", "article"):
        row = by[(name, "hit")]
        targets[f"{name} (cache hit) at least 0.25 x its ceiling"] = row["ratio_to_ceiling"] >= 0.25
        targets[f"{name} (cache hit) p99 under 50 ms at {row['connections']} connections"] = row["p99"] < 50
    targets["search, one at a time: p95 under 50 ms"] = by[("search, one at a time", "miss")]["p95"] < 50
    return targets


def write_results(result: dict[str, Any]) -> None:
    """Judge the targets, pick the fastest server, write web.json and web.md, print the Markdown."""
    for server in result["servers"].values():
        rows = server["rows"]
        ceilings = {
            row["scenario"]: row["rps"] for row in rows if row["scenario"] in (HOME_CEILING, ARTICLE_CEILING)
        }
        for row in rows:
            if row["scenario"] in ceilings:
                row["ceiling"] = row["scenario"]  # a ceiling is measured against itself
            row["ratio_to_ceiling"] = round(row["rps"] / ceilings[row["ceiling"]], 3)
        server["targets"] = verdicts(rows)
    result["fastest"] = fastest(result["servers"])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "web.md").write_text(markdown(result))
    print(markdown(result))


def markdown(result: dict[str, Any]) -> str:
    """Return the results as Markdown: one table per server, then the targets and the fastest server."""
    meta = result["meta"]
    lines = [
        f"Web benchmark, {meta['articles']:,} articles, wrk 1 thread, {meta['duration_s']} s per row after "
        f"{meta['warm_s']} s of warm-up, {meta['connections']} connections unless said; home page "
        f"{meta['home_bytes']:,} bytes, article page {meta['article_bytes']:,} bytes ({meta['machine']}, "
        f"{meta['cpus']} CPUs: server pinned to the last, wrk to the first; {meta['when']}).",
    ]
    for name, server in result["servers"].items():
        lines += [
            "",
            f"### {name}",
            "",
            "| page | cache | conns | req/s | x ceiling | p50 ms | p95 ms | p99 ms | errors |",
        ]
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in server["rows"]:
            errors = r["errors"] + r["non_2xx_3xx"]
            lines.append(
                f"| {r['scenario']} | {r['cache']} | {r['connections']} | {r['rps']:,.0f} | "
                f"{r['ratio_to_ceiling']:.2f} | {r['p50']} | {r['p95']} | {r['p99']} | {errors} |"
            )
        lines += [""] + [
            f"- {'met' if ok else 'MISSED'}: {target}" for target, ok in server["targets"].items()
        ]
    lines += [
        "",
        f"Fastest on the cached pages (mean req/s of home and article hits): **{result['fastest']}**.",
    ]
    return "\n".join(lines) + "\n"


def fastest(servers: dict[str, Any]) -> str:
    """Return the server with the best mean req/s over the cached home and article pages."""

    def score(name: str) -> float:
        rows = servers[name]["rows"]
        return sum(r["rps"] for r in rows if r["cache"] == "hit") / 2

    return max(servers, key=score)


def main() -> None:
    """Build or reuse the corpus, measure every server variant, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=6, help="seconds measured per row")
    parser.add_argument("--warm", type=int, default=2, help="seconds of warm-up per row")
    parser.add_argument("--servers", nargs="*", help="variants to run (default: every available one)")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite web.md from web.json, measure nothing"
    )
    args = parser.parse_args()
    if args.report_only:
        write_results(json.loads((RESULTS / "web.json").read_text()))
        return
    if shutil.which("wrk") is None:
        sys.exit("web benchmark: wrk is not installed (apt-get install wrk)")
    db = bench_corpus(args.articles)
    hot, cold = sample_ids(db)
    base = f"http://127.0.0.1:{args.port}"
    commands = server_commands(args.port)
    names = [n for n in (args.servers or commands) if usable(n)]
    servers: dict[str, Any] = {}
    sizes = (0, 0)
    with tempfile.TemporaryDirectory() as data:
        for name in names:
            print(f"{name}:", flush=True)
            with running_server(commands[name], server_env(db, Path(data)), base):
                sizes = page_sizes(base, hot)
                rows = measure_server(base, scenarios(hot, cold, sizes), args.duration, args.warm)
            servers[name] = {"command": " ".join(commands[name]), "rows": rows}
    meta = {
        "articles": args.articles,
        "duration_s": args.duration,
        "warm_s": args.warm,
        "connections": CONNECTIONS,
        "home_bytes": sizes[0],
        "article_bytes": sizes[1],
        "cpus": os.cpu_count(),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_results({"meta": meta, "servers": servers})


if __name__ == "__main__":
    main()
