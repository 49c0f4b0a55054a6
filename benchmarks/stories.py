"""Benchmark the stories enrich step: articles per second, cost per article as the archive grows, memory.

    .venv/bin/python benchmarks/stories.py [--articles 60000] [--per-day 10000]

Articles are made from the labelled evaluation set's texts, each story given its own names and numbers so
that stories stay apart; they arrive at --per-day, so the 72-hour index holds about 3 x per-day articles.
The cost of placing article k is timed over a block of articles around k, in the same run, side by side.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from akhbar.enrich.evaluate import Labelled, load
from akhbar.enrich.stories import Doc, StoryIndex

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "stories.json"
BLOCK = 2000  # articles per timed block
PER_STORY = 6  # articles per synthetic story


def synthetic(items: list[Labelled], k: int, per_day: int, start: datetime) -> Doc:
    """Return article k: a labelled text rewritten with story-specific names and numbers."""
    story = k // PER_STORY
    base = items[(story * 7 + k) % len(items)]
    tag = f"Zor{story}"
    # Every other word gets the story's mark: stories share a language's common words, not their subject.
    words = [w if i % 2 else f"{w}{story % 5000}" for i, w in enumerate(base.text.split())]
    text = f"{tag} Kal{story % 997} {' '.join(words)} {story}"
    when = start + timedelta(seconds=k * 86400 / per_day)
    return Doc(k + 1, k % 500 + 1, base.language, f"{base.title} {tag}", text, when)


def block_rate(index: StoryIndex, docs: list[Doc]) -> float:
    """Place a block of articles and return the CPU seconds per article (the machine is shared)."""
    began = time.process_time()
    for doc in docs:
        index.place(doc)
    return (time.process_time() - began) / len(docs)


def run(total: int, per_day: int) -> dict[str, object]:
    """Place total articles through one index; time blocks at 10,000 and at the end; measure memory."""
    items = load((ROOT / "tests" / "stories" / "eval").glob("*.toml"))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    index = StoryIndex(timedelta(hours=72))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    marks = {10_000: 0.0, total: 0.0}
    placed = 0
    began = time.process_time()
    while placed < total:
        size = min(BLOCK, total - placed)
        docs = [synthetic(items, placed + i, per_day, start) for i in range(size)]
        rate = block_rate(index, docs)
        placed += size
        for mark in marks:
            if placed - size < mark <= placed:
                marks[mark] = rate
    elapsed = time.process_time() - began
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "articles": total,
        "per_day": per_day,
        "articles_per_second": round(total / elapsed, 1),
        "ms_at_10000": round(marks[10_000] * 1000, 3),
        f"ms_at_{total}": round(marks[total] * 1000, 3),
        "cost_ratio_last_to_10000": round(marks[total] / marks[10_000], 2),
        "open_stories": len(index),
        "signatures": len(index.duplicates),
        "index_memory_mb": round((rss_after - rss_before) / 1024, 1),  # growth of peak RSS while placing
    }


def main(argv: list[str]) -> int:
    """Run the benchmark, print and record its figures."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--articles", type=int, default=60_000)
    parser.add_argument("--per-day", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.articles < 10_000:
        parser.error("--articles must be at least 10000")
    result = run(args.articles, args.per_day)
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
