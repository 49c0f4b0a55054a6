"""Ingestion benchmark: `akhbar fetch` end to end on a loopback wire, next to extraction alone.

One command: `.venv/bin/python benchmarks/ingest.py [--sources 1000] [--items 20]`.
In one run, on the same generated wire and with the same number of processes, it measures:
  1. extraction only: every article page, already downloaded, through extract_article in a process pool
     (again on a quarter of the pages after the passes; the ratio uses the faster of the two rates);
  2. `akhbar fetch` (a real subprocess) from an empty database: articles per second end to end;
  3. a second `akhbar fetch` with nothing new (every feed answers 304);
  4. the peak memory of the fetch process tree (the process and its extraction workers, summed), and of
     the fetch process alone.
Results go to benchmarks/results/ingest.json and are quoted in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx

from akhbar.config import SETTINGS
from akhbar.demo import DemoWire, Outlet
from akhbar.demo.synthetic import synthetic_outlets
from akhbar.extract import extract_article
from akhbar.parse import parse_feed
from akhbar.store import Store

RESULTS = Path(__file__).resolve().parent / "results"
NICE = next(setting.default for setting in SETTINGS if setting.name == "extract_nice")


def article_urls(client: httpx.Client, wire: DemoWire, outlets: list[Outlet]) -> list[str]:
    """Return the article page URLs of the wire, read from each outlet's feed."""
    urls: list[str] = []
    for outlet in outlets:
        feed_url = wire.feed_url(outlet.slug)
        urls.extend(item.url for item in parse_feed(client.get(feed_url).content, feed_url).items)
    return urls


def extraction_only(pages: list[tuple[bytes, str]], processes: int, nice: int) -> float:
    """Return pages per second of extract_article alone over already-downloaded pages.

    The workers get the niceness of the pipeline's extraction workers: both rates then compete alike with
    whatever else the machine runs.
    """
    with ProcessPoolExecutor(processes, initializer=os.nice, initargs=(nice,)) as pool:
        list(pool.map(_extract, pages[: processes * 2]))  # warm the workers (imports) before timing
        started = time.perf_counter()
        list(pool.map(_extract, pages, chunksize=8))
        return len(pages) / (time.perf_counter() - started)


def _extract(page: tuple[bytes, str]) -> int:
    return len(extract_article(page[0], page[1]).text)


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(status.split("VmRSS:", 1)[1].split()[0]) if "VmRSS:" in status else 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(child) for child in children.read_text().split())
        except OSError:
            continue
    return found


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """Return the resident memory of a process and of all its descendants, in MB.

    It follows /proc/<pid>/task/*/children instead of reading every process's status: sampled five times
    a second, a scan of all of /proc took ~10 ms of the CPU the measured run needs.
    """
    own, total, todo = _rss_kb(pid), 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss_kb(current)
        todo.extend(_children(current))
    return own / 1024, total / 1024


def timed_fetch(env: dict[str, str], cwd: str) -> tuple[float, tuple[float, float], str]:
    """Run `akhbar fetch`; return (seconds, peak MB of the process and of its tree, its last output line)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "akhbar", "fetch"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak = (0.0, 0.0)
    sampling = True

    def sample() -> None:
        nonlocal peak
        while sampling:
            own, tree = tree_rss_mb(child.pid)
            peak = (max(peak[0], own), max(peak[1], tree))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    elapsed = time.perf_counter() - started
    sampling = False
    sampler.join()
    return elapsed, peak, output.strip().splitlines()[-1] if output.strip() else ""


def main() -> None:
    """Run the benchmark and write its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--nice", type=int, default=NICE, help="niceness of the extraction workers")
    args = parser.parse_args()
    # Summary-only feeds: every article's page is fetched and extracted, the pipeline's costliest path.
    outlets = [replace(o, full_content_in_feed=False) for o in synthetic_outlets(args.sources, args.items)]
    with DemoWire(outlets, single_port=True) as wire, tempfile.TemporaryDirectory() as tmp:
        specs = wire.source_specs()
        with httpx.Client(timeout=30) as client:
            urls = article_urls(client, wire, outlets)
            pages = [(client.get(u).content, u) for u in urls]
        extract_rate = extraction_only(pages, args.processes, args.nice)
        print(
            f"extraction only: {extract_rate:.1f} pages/s over {len(pages)} pages, {args.processes} processes"
        )
        env = {
            **os.environ,
            "AKHBAR_DATA_DIR": tmp,
            "AKHBAR_FETCH_ALLOW_PRIVATE": "1",
            "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
            "AKHBAR_EXTRACT_PROCESSES": str(args.processes),
            "AKHBAR_EXTRACT_NICE": str(args.nice),
            # every outlet of the wire shares one loopback host:port; real outlets are distinct hosts
            "AKHBAR_FETCH_PER_HOST": "32",
            "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
        }
        store = Store.open(f"sqlite:///{tmp}/akhbar.db")
        for spec in specs:
            store.add_source(spec)
        first_s, first_mb, first_line = timed_fetch(env, tmp)
        stored = store.count_articles()
        second_s, second_mb, second_line = timed_fetch(env, tmp)
        store.close()
    # Measured again after the passes on a quarter of the pages: on a shared machine the load can change
    # during a run, and the ratio is taken against the faster of the two rates, never the luckier one.
    extract_after = extraction_only(pages[: max(len(pages) // 4, 1)], args.processes, args.nice)
    pipeline_rate = stored / first_s
    result = {
        "sources": args.sources,
        "items_per_source": args.items,
        "processes": args.processes,
        "pages": len(pages),
        "articles_stored": stored,
        "extraction_only_pages_per_s": round(extract_rate, 1),
        "extraction_only_after_pages_per_s": round(extract_after, 1),
        "fetch_articles_per_s": round(pipeline_rate, 1),
        "ratio_pipeline_to_extraction": round(pipeline_rate / max(extract_rate, extract_after), 3),
        "first_pass_s": round(first_s, 1),
        "first_pass_output": first_line,
        "second_pass_all_304_s": round(second_s, 2),
        "second_pass_output": second_line,
        "extract_nice": args.nice,
        "peak_memory_mb": round(max(first_mb[1], second_mb[1]), 1),
        "peak_memory_fetch_process_mb": round(max(first_mb[0], second_mb[0]), 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
