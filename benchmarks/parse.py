"""Measure the parse stage: MB/s of parse_feed, feedparser, fastfeedparser and raw lxml; corpus correctness.

Run: .venv/bin/python benchmarks/parse.py   (needs ../shared/corpora/feedparser beside the checkout)
Writes benchmarks/results/parse.json, parse.md and parse-corpus.txt, and prints the tables.
"""

from __future__ import annotations

import importlib.util
import io
import json
import platform
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fastfeedparser
import feedparser
from lxml import etree

from akhbar.parse import FeedError
from akhbar.parse.feeds import parse_with

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
NOW = datetime(2030, 1, 1, tzinfo=UTC)
ROUNDS = 3  # best of three: the machine is shared, the minimum is the least disturbed figure


def _corpus_helper() -> Any:
    path = REPO / "tests" / "parse" / "feedparser_corpus.py"
    spec = importlib.util.spec_from_file_location("akhbar_feedparser_corpus", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def big_feed(items: int = 10_000) -> bytes:
    """Return a generated RSS 2.0 feed of `items` items (about 3 MB), in our own words."""
    body = "".join(
        f"<item><title>Report {n}: council &amp; harbour</title><link>https://wire.example/{n}</link>"
        f"<guid>wire-{n}</guid><description>&lt;p&gt;Paragraph {n} of a generated item, with a "
        f"&lt;a href='/more/{n}'&gt;link&lt;/a&gt; and some words to read.&lt;/p&gt;</description>"
        f"<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><category>city</category></item>"
        for n in range(items)
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
    return f"{head}<link>https://wire.example/</link>{body}</channel></rss>".encode()


def _quiet_feedparser(data: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return feedparser.parse(io.BytesIO(data))


RECOVER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
READERS: dict[str, Callable[[bytes], Any]] = {
    "lxml.etree.fromstring (recover)": lambda d: etree.fromstring(d, RECOVER),
    "fastfeedparser.parse": lambda d: fastfeedparser.parse(d),
    "feedparser.parse": _quiet_feedparser,
    "parse_feed (auto)": lambda d: parse_with(d, "https://wire.example/feed", now=NOW),
    "parse_feed (fast-first)": lambda d: parse_with(
        d, "https://wire.example/feed", now=NOW, engine="fast-first"
    ),
}


def throughput(documents: list[bytes]) -> dict[str, dict[str, float]]:
    """Return, per reader, the best seconds over ROUNDS for all documents, MB/s and the errors raised."""
    size = sum(len(d) for d in documents)
    table: dict[str, dict[str, float]] = {}
    for name, read in READERS.items():
        best, errors = float("inf"), 0
        for _ in range(ROUNDS):
            errors = 0
            start = time.perf_counter()
            for data in documents:
                try:
                    read(data)
                except Exception:  # noqa: BLE001 - counted: engines refuse some corpus files
                    errors += 1
            best = min(best, time.perf_counter() - start)
        table[name] = {"seconds": round(best, 4), "mb_per_s": round(size / best / 1e6, 2), "errors": errors}
    return table


def correctness(fc: Any, root: Path) -> dict[str, dict[str, Any]]:
    """Return the corpus tally of each engine path of parse_feed."""
    cases = list(fc.read_cases(root))
    report: dict[str, dict[str, Any]] = {}
    for engine in ("auto", "feedparser-first", "fast-first", "feedparser", "fastfeedparser"):
        tally = fc.Tally()
        for case in cases:
            try:
                parsed = parse_with(case.data, case.url, now=NOW, engine=engine)
            except FeedError as exc:
                parsed = None
                tally.refused[exc.kind] += 1
            fc.count(tally, case, parsed)
        report[engine] = {
            "held": tally.held,
            "considered": tally.considered,
            "ratio": round(tally.ratio, 4),
            "bozo_only": tally.bozo_only,
            "not_stored": tally.not_stored,
            "sanitize": tally.sanitize,
            "refused": dict(tally.refused),
            "summary": fc.summary(tally),
        }
    return report


def markdown(speed: dict[str, Any], right: dict[str, Any]) -> str:
    """Return the results as Markdown tables."""
    lines = []
    for label, table in speed.items():
        lines += [
            f"### {label}",
            "",
            "| reader | seconds (best of 3) | MB/s | errors |",
            "|---|---:|---:|---:|",
        ]
        lines += [
            f"| {name} | {r['seconds']} | {r['mb_per_s']} | {r['errors']} |" for name, r in table.items()
        ]
        lines.append("")
    lines += [
        "### Corpus correctness (stored-field expectations)",
        "",
        "| engine path | hold | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {r['held']}/{r['considered']} | {r['ratio']:.1%} |" for name, r in right.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark and write its results."""
    fc = _corpus_helper()
    root = fc.corpus_root(REPO)
    if not root.is_dir():
        raise SystemExit(f"benchmark: corpus not found at {root}")
    corpus = [case.data for case in fc.read_cases(root)]
    big = big_feed()
    speed = {
        f"feedparser corpus: {len(corpus)} files, {sum(map(len, corpus)) / 1e6:.2f} MB": throughput(corpus),
        f"generated feed: 10,000 items, {len(big) / 1e6:.2f} MB": throughput([big]),
    }
    right = correctness(fc, root)
    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu": platform.processor(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "parse.json").write_text(
        json.dumps({"speed": speed, "correctness": right, "machine": machine}, indent=2)
    )
    table = markdown(speed, right)
    (RESULTS / "parse.md").write_text(
        f"# Parse stage benchmark\n\n`.venv/bin/python benchmarks/parse.py`\n\n{table}"
    )
    (RESULTS / "parse-corpus.txt").write_text(right["auto"]["summary"] + "\n")
    print(table)
    print(right["auto"]["summary"])


if __name__ == "__main__":
    main()
