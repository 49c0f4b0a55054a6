"""Benchmark the stories enrich step: articles per second, cost per article as the archive grows, memory.

    .venv/bin/python benchmarks/stories.py [--articles 1000000] [--per-day 10000] [--baseline REF]

Articles are made from the labelled evaluation set's texts, each story given its own names and numbers so
that stories stay apart; they arrive at --per-day, so the 72-hour index holds about 3 x per-day articles.
The cost of placing article 10,000 and article --articles is timed (CPU time, blocks of 2,000) in the
same run, each with the window full of live articles: the index holds only the window, so the archive
before the last window is skipped rather than placed.

--baseline REF also runs the enrich modules as they were at git ref REF, side by side in the same process
(each block placed by one index, then by the other, so both see the same load), and writes the two sets
of figures and their ratio to stories-compare.json instead of stories.json. Memory is measured only by a
plain run: the two indexes share the process.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from akhbar.enrich.evaluate import Labelled, load
from akhbar.enrich.stories import Doc, StoryIndex

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "stories.json"
COMPARED = ROOT / "benchmarks" / "results" / "stories-compare.json"
BLOCK = 2000  # articles per timed block
PER_STORY = 6  # articles per synthetic story
ENRICH_MODULES = ("stories", "features", "dedupe", "lexicon", "translit")  # what placing imports


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


class _Runs:
    """The indexes under test, placing the same blocks one after the other, with their CPU seconds."""

    def __init__(self, items: list[Labelled], per_day: int, factories: dict[str, Callable[[], StoryIndex]]):
        self.items, self.per_day = items, per_day
        self.start = datetime(2026, 1, 1, tzinfo=UTC)
        self.indexes = {name: factory() for name, factory in factories.items()}
        self.spent = dict.fromkeys(self.indexes, 0.0)

    def block(self, first: int, last: int) -> dict[str, float]:
        """Place articles first..last-1 in every index; return each one's CPU seconds per article."""
        docs = [synthetic(self.items, k, self.per_day, self.start) for k in range(first, last)]
        rates = {name: block_rate(index, docs) for name, index in self.indexes.items()}
        for name, rate in rates.items():
            self.spent[name] += rate * len(docs)
        return rates

    def place_range(self, first: int, last: int) -> None:
        """Place articles first..last-1 in blocks."""
        for block in range(first, last, BLOCK):
            self.block(block, min(block + BLOCK, last))


def run(
    total: int, per_day: int, factories: dict[str, Callable[[], StoryIndex]] | None = None
) -> dict[str, dict[str, object]]:
    """Time article 10,000 and article `total` in one run, each with a full window of live articles.

    The index holds only the window (3 x per_day articles), so the archive before it is skipped: the
    articles of the window before article `total` are placed first, which expires every earlier one.
    """
    items = load((ROOT / "tests" / "stories" / "eval").glob("*.toml"))
    window = 3 * per_day
    rss_before = _rss_mb()
    runs = _Runs(items, per_day, factories or {"current": lambda: StoryIndex(timedelta(hours=72))})
    runs.place_range(0, 10_000)
    at_10k = runs.block(10_000, 10_000 + BLOCK)
    runs.place_range(10_000 + BLOCK, window + BLOCK)
    window_memory = _rss_mb() - rss_before
    live_full = {name: (len(index.duplicates), len(index)) for name, index in runs.indexes.items()}
    skip_to = max(total - window, window + BLOCK)
    runs.place_range(skip_to, total)
    at_total = runs.block(total, total + BLOCK)
    placed = (window + BLOCK) + (total - skip_to) + 2 * BLOCK
    figures: dict[str, dict[str, object]] = {}
    for name, index in runs.indexes.items():
        figures[name] = {
            "articles_placed": placed,
            "archive_size_at_last_sample": total,
            "per_day": per_day,
            "articles_per_second": round(placed / runs.spent[name], 1),
            "ms_at_10000": round(at_10k[name] * 1000, 3),
            f"ms_at_{total}": round(at_total[name] * 1000, 3),
            "cost_ratio_last_to_10000": round(at_total[name] / at_10k[name], 2),
            "signatures_and_stories_window_full": list(live_full[name]),
            "signatures_and_stories_at_last": [len(index.duplicates), len(index)],
        }
        if len(runs.indexes) == 1:  # RSS growth with a full 72 h window
            figures[name]["index_memory_mb_window_full"] = round(window_memory, 1)
    return figures


def baseline(ref: str) -> Callable[[], StoryIndex]:
    """Return a factory of StoryIndex as it was at a git ref (its enrich modules in a temporary package)."""
    package = Path(tempfile.mkdtemp(prefix="akhbar-baseline-")) / "akhbar_baseline"
    (package / "enrich").mkdir(parents=True)
    for folder in (package, package / "enrich"):
        (folder / "__init__.py").write_text("", encoding="utf-8")
    for name in ENRICH_MODULES:
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{ref}:src/akhbar/enrich/{name}.py"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        source = shown.stdout.replace("from akhbar.enrich.", "from akhbar_baseline.enrich.")
        (package / "enrich" / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(package.parent))
    index_class = importlib.import_module("akhbar_baseline.enrich.stories").StoryIndex
    return lambda: index_class(timedelta(hours=72))


def main(argv: list[str]) -> int:
    """Run the benchmark, print and record its figures."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--per-day", type=int, default=10_000)
    parser.add_argument("--baseline", metavar="REF", help="also run the enrich modules of this git ref")
    args = parser.parse_args(argv)
    if args.articles < 10_000 or args.per_day < 1000:
        parser.error("--articles must be at least 10000 and --per-day at least 1000")
    if args.baseline:
        current = lambda: StoryIndex(timedelta(hours=72))  # noqa: E731
        figures = run(args.articles, args.per_day, {"baseline": baseline(args.baseline), "current": current})
        result: dict[str, object] = {"baseline_ref": args.baseline, **figures}
        rates = [float(str(figures[name]["articles_per_second"])) for name in ("current", "baseline")]
        result["speedup_articles_per_second"] = round(rates[0] / rates[1], 2)
        path = COMPARED
    else:
        result, path = run(args.articles, args.per_day)["current"], RESULTS
    print(json.dumps(result, indent=2))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
