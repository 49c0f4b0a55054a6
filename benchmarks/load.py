"""Overload benchmark: the portal's pages under wrk while `akhbar run` ingests a 1,000-source loopback wire.

One command: `.venv/bin/python benchmarks/load.py [--sources 1000] [--items 5] [--duration 20]`.
It serves a generated wire of outlets on loopback, registers them in an empty database, starts
`akhbar run` (web server; scheduler and fetches in its ingestion process) and, as soon as the first
articles are in, drives a mix of home, article and search pages with wrk at 64 connections while ingestion
goes on. Then, ingestion finished, it drives the same mix again on the same portal: the two are side by
side, so the ratio says what ingestion costs the readers on this machine. It checks that no request
failed, that "database is locked" appears nowhere in the server's output, and that every source was refreshed.
The portal runs with its default settings (page cache: 60 s time-to-live, pages kept at least
page_cache_min_fresh = 5 s while articles land; searches cached like the other pages).
Results go to benchmarks/results/load.json and load.md, quoted in docs/benchmarks.md (Load) and
docs/operations.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from akhbar.demo import DemoWire
from akhbar.demo.synthetic import synthetic_outlets
from akhbar.store import Store

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
P99_BUDGET_MS = 100.0
CONNECTIONS = 64


def web_bench() -> ModuleType:
    """Load benchmarks/web.py for its wrk runner (one way of driving wrk in this repository)."""
    spec = importlib.util.spec_from_file_location("akhbar_bench_web", HERE / "web.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    """Return a free port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(predicate: Any, seconds: float, step: float = 0.5) -> bool:
    """Poll predicate until it holds or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def page_mix(base: str) -> list[str]:
    """Return the paths wrk cycles over: the home page, article pages found on it and searches."""
    home = httpx.get(base + "/", timeout=30).text
    articles = sorted(set(re.findall(r'href="(/[^"?#]*/\d+-[^"]*)"', home)))[:20]
    action = re.search(r'<form[^>]*action="(/[^"]*)"', home)
    search = action.group(1) if action else "/search"
    queries = [f"{search}?q={word}" for word in ("maroc", "economie", "port", "saison", "gouvernement")]
    return ["/", *articles, *queries, "/", "/"]


def refreshed(store: Store) -> int:
    """Return how many sources have been checked at least once."""
    return sum(1 for source in store.all_sources() if source.last_checked_at is not None)


def drive(wrk: ModuleType, base: str, paths: list[str], duration: float) -> dict[str, Any]:
    """Run wrk over the mix at 64 connections and return its figures."""
    figures: dict[str, Any] = wrk.run_wrk(base, wrk.lua_script(paths), CONNECTIONS, duration)
    return figures


def start_portal(tmp: str, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """Start `akhbar run` on the database in tmp, its output going to log_path."""
    env = {
        **os.environ,
        "AKHBAR_DATA_DIR": tmp,
        "AKHBAR_FETCH_ALLOW_PRIVATE": "1",
        "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
        "AKHBAR_FETCH_PER_HOST": "32",  # the wire's outlets share one host:port; real ones do not
        "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
        "AKHBAR_SCHEDULE_TICK": "1",
        "AKHBAR_LOG_LEVEL": "INFO",
    }
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "akhbar", "run", "--port", str(port)], env=env, stdout=log, stderr=log
        )


def measure(args: argparse.Namespace, wrk: ModuleType) -> dict[str, Any]:
    """Run the whole scenario and return its figures."""
    outlets = synthetic_outlets(args.sources, args.items)
    with DemoWire(outlets, single_port=True) as wire, tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/akhbar.db")
        for spec in wire.source_specs():
            store.add_source(spec)
        port, log_path = free_port(), Path(tmp) / "server.log"
        base = f"http://127.0.0.1:{port}"
        portal = start_portal(tmp, port, log_path)
        started = time.monotonic()
        try:
            wait_until(lambda: store.count_articles() > 50, 300)
            paths = page_mix(base)
            during = drive(wrk, base, paths, args.duration)
            refreshed_during = refreshed(store)
            finished = wait_until(lambda: refreshed(store) >= args.sources, args.ingest_timeout, 1.0)
            ingest_s = time.monotonic() - started
            after = drive(wrk, base, paths, args.duration)
        finally:
            portal.terminate()
            portal.wait(timeout=30)
        log = log_path.read_text(errors="replace")
        failed = sum(1 for source in store.all_sources() if source.last_error)
        articles = store.count_articles()
        store.close()
    return {
        "sources": args.sources,
        "items_per_source": args.items,
        "connections": CONNECTIONS,
        "duration_s": args.duration,
        "paths_in_mix": len(paths),
        "during_ingestion": during,
        "after_ingestion": after,
        "p99_ratio_during_to_after": round(during["p99"] / max(after["p99"], 0.01), 2),
        "rps_ratio_during_to_after": round(during["rps"] / max(after["rps"], 0.01), 2),
        "sources_refreshed_while_loaded": refreshed_during,
        "ingestion_finished": finished,
        "ingestion_s": round(ingest_s, 1),
        "articles_stored": articles,
        "sources_failed": failed,
        "database_is_locked_in_log": log.lower().count("database is locked"),
        "exit_code_after_sigterm": portal.returncode,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, CPython {platform.python_version()}",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def verdicts(result: dict[str, Any]) -> list[str]:
    """Return the checks of the issue, each met or MISSED."""
    during = result["during_ingestion"]
    checks = [
        (during["p99"] < P99_BUDGET_MS, f"web p99 under {P99_BUDGET_MS:g} ms during ingestion"),
        (during["errors"] == 0 and during["non_2xx_3xx"] == 0, "no request failed during ingestion"),
        (result["database_is_locked_in_log"] == 0, 'no "database is locked" in the server output'),
        (result["ingestion_finished"], "ingestion finished (every source refreshed)"),
    ]
    return [f"{'met' if ok else 'MISSED'}: {text}" for ok, text in checks]


def markdown(result: dict[str, Any]) -> str:
    """Return the results as a Markdown table and the verdicts."""
    rows = [
        "| phase | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | non-2xx/3xx |",
        "|---|---:|" + "---:|" * 6,
    ]
    for phase in ("during_ingestion", "after_ingestion"):
        f = result[phase]
        rows.append(
            f"| {phase.replace('_', ' ')} | {f['rps']} | {f['p50']} | {f['p95']} | {f['p99']} | {f['max']} "
            f"| {f['errors']} | {f['non_2xx_3xx']} |"
        )
    head = (
        f"Load benchmark: {result['sources']} sources x {result['items_per_source']} items ingested by "
        f"`akhbar run` while wrk drives {result['paths_in_mix']} paths (home, articles, searches) at "
        f"{result['connections']} connections for {result['duration_s']} s "
        f"({result['machine']}; {result['when']})."
    )
    facts = (
        f"Ingestion: {result['articles_stored']} articles, {result['sources_failed']} sources failed, "
        f"{result['ingestion_s']} s; p99 during/after ingestion: {result['p99_ratio_during_to_after']}; "
        f'"database is locked" in the log: {result["database_is_locked_in_log"]}.'
    )
    return "\n".join([head, "", *rows, "", facts, "", *(f"- {v}" for v in verdicts(result))]) + "\n"


def main() -> None:
    """Run the benchmark and write its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--ingest-timeout", type=float, default=900)
    args = parser.parse_args()
    result = measure(args, web_bench())
    result["verdicts"] = verdicts(result)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "load.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
