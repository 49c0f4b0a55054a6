"""Benchmark the stories enrich step: articles per second, cost per article as the archive grows, memory.

    .venv/bin/python benchmarks/stories.py [--articles 1000000] [--per-day 10000]

Articles are made from the labelled evaluation set's texts, each story given its own names and numbers so
that stories stay apart; they arrive at --per-day, so the 72-hour index holds about 3 x per-day articles.
The cost of placing article 10,000 and article --articles is timed (CPU time, blocks of 2,000) in the
same run, each with the window full of live articles: the index holds only the window, so the archive
before the last window is skipped rather than placed.
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
    # Every other word gets the story's mark in front (stems are 6-letter prefixes, so a mark at the end
    # would be cut off and all stories of one base text would merge): stories share common words only.
    words = [w if i % 2 else f"q{story % 5000}{w}" for i, w in enumerate(base.text.split())]
    text = f"{tag} Kal{story % 997} {' '.join(words)} {story}"
    when = start + timedelta(seconds=k * 86400 / per_day)
    return Doc(k + 1, k % 500 + 1, base.language, f"{base.title} {tag}", text, when)


def block_rate(index: StoryIndex, docs: list[Doc]) -> float:
    """Place a block of articles and return the CPU seconds per article (the machine is shared)."""
    began = time.process_time()
    for doc in docs:
        index.place(doc)
    return (time.process_time() - began) / len(docs)


def _rss_mb() -> float:
    """Return the resident memory of this process now, in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _place_range(index: StoryIndex, items: list[Labelled], first: int, last: int, per_day: int) -> float:
    """Place articles first..last-1 in blocks; return the CPU seconds spent placing them."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    spent = 0.0
    for block in range(first, last, BLOCK):
        docs = [synthetic(items, k, per_day, start) for k in range(block, min(block + BLOCK, last))]
        spent += block_rate(index, docs) * len(docs)
    return spent


def run(total: int, per_day: int) -> dict[str, object]:
    """Time article 10,000 and article `total` in one run, each with a full window of live articles.

    The index holds only the window (3 x per_day articles), so the archive before it is skipped: the
    articles of the window before article `total` are placed first, which expires every earlier one.
    """
    items = load((ROOT / "tests" / "stories" / "eval").glob("*.toml"))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    window = 3 * per_day
    index = StoryIndex(timedelta(hours=72))
    rss_before = _rss_mb()
    spent = _place_range(index, items, 0, 10_000, per_day)
    at_10k = block_rate(index, [synthetic(items, 10_000 + i, per_day, start) for i in range(BLOCK)])
    spent += at_10k * BLOCK + _place_range(index, items, 10_000 + BLOCK, window + BLOCK, per_day)
    window_memory = _rss_mb() - rss_before
    live_full = (len(index.duplicates), len(index))
    skip_to = max(total - window, window + BLOCK)
    spent += _place_range(index, items, skip_to, total, per_day)
    at_total = block_rate(index, [synthetic(items, total + i, per_day, start) for i in range(BLOCK)])
    placed = (window + BLOCK) + (total - skip_to) + 2 * BLOCK
    spent += at_total * BLOCK
    return {
        "articles_placed": placed,
        "archive_size_at_last_sample": total,
        "per_day": per_day,
        "articles_per_second": round(placed / spent, 1),
        "ms_at_10000": round(at_10k * 1000, 3),
        f"ms_at_{total}": round(at_total * 1000, 3),
        "cost_ratio_last_to_10000": round(at_total / at_10k, 2),
        "signatures_and_stories_window_full": list(live_full),
        "signatures_and_stories_at_last": [len(index.duplicates), len(index)],
        "index_memory_mb_window_full": round(window_memory, 1),  # RSS growth with a full 72 h window
    }


def main(argv: list[str]) -> int:
    """Run the benchmark, print and record its figures."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--per-day", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.articles < 10_000 or args.per_day < 1000:
        parser.error("--articles must be at least 10000 and --per-day at least 1000")
    result = run(args.articles, args.per_day)
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
